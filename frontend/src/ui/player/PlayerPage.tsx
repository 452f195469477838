import { ChatPanel } from '../Chat';
import { MapPanel } from '../map/MapPanel';
import { AssessmentsPanel } from './Assessments';
import { AssetsTable } from './Assets';
import { Attributions } from './Attributions';
import { InjectFeed, Warnings } from './Injects';
import { OrdersPanel } from './Orders';
import { PictureTable } from './PictureTable';
import { ResponsesPanel } from './Responses';
import { SensorsTable } from './Sensors';
import { SharingPanel } from './Sharing';
import { RequestsPanel } from './Requests';
import { TaskingsPanel } from './Taskings';
import { WhyFeed } from './Why';

/** A team's page. Each panel subscribes to the store slices it shows. */
export function PlayerPage() {
  return (
    <main class="grid" data-testid="player-page">
      <MapPanel />
      <AssetsTable />
      <SensorsTable />
      <PictureTable />
      <InjectFeed />
      <WhyFeed />
      <Warnings />
      <AssessmentsPanel />
      <SharingPanel />
      <TaskingsPanel />
      <RequestsPanel />
      <OrdersPanel />
      <ResponsesPanel />
      <ChatPanel control={false} />
      <Attributions />
    </main>
  );
}
