import { ChatPanel } from '../Chat';
import { AssetsTable } from '../player/Assets';
import { ReplayPanel } from '../facilitator/Replay';
import { Attributions } from '../player/Attributions';
import { SensorsTable } from '../player/Sensors';
import { AdhocPanel } from './Adhoc';
import { ExerciseControls } from './Controls';
import { EventFeed } from './EventFeed';
import { MetricsPanel, PictureSummary, SharingMatrix } from './GroundTruth';
import { MselPanel } from './Msel';
import { PicturesPanel } from './Pictures';
import { PreviewPanel } from './Preview';
import { WhiteCellRequests } from './Requests';
import { StatusActions } from './StatusActions';

/** The white cell's page. Each panel subscribes to the store slices it shows. */
export function WhiteCellPage() {
  return (
    <main class="grid" data-testid="white-cell-page">
      <ExerciseControls />
      <EventFeed />
      <MselPanel />
      <PreviewPanel />
      <AdhocPanel />
      <WhiteCellRequests />
      <ChatPanel control />
      <AssetsTable title="Ground truth: all assets" control action={(asset) => <StatusActions subject={asset} />} />
      <SensorsTable title="Ground truth: sensors" control action={(sensor) => <StatusActions subject={sensor} />} />
      <PicturesPanel />
      <PictureSummary />
      <SharingMatrix />
      <MetricsPanel />
      <Attributions />
      <ReplayPanel />
    </main>
  );
}
