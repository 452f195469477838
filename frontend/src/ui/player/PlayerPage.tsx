import type { View } from '../../types';
import { ChatPanel } from '../Chat';
import { Panel } from '../common';
import { WorldMap } from '../map/WorldMap';
import { AssessmentsPanel } from './Assessments';
import { AssetsTable } from './Assets';
import { Attributions } from './Attributions';
import { InjectFeed, Warnings } from './Injects';
import { OrdersPanel } from './Orders';
import { PictureTable } from './PictureTable';
import { SensorsTable } from './Sensors';
import { SharingPanel } from './Sharing';
import { TaskingsPanel } from './Taskings';

export function PlayerPage(props: { view: View }) {
  const v = props.view;
  return (
    <main class="grid" data-testid="player-page">
      <Panel id="map" title="Map">
        <WorldMap tracks={v.picture ?? []} sensors={v.sensors ?? []} me={v.nation} />
      </Panel>
      <AssetsTable view={v} />
      <SensorsTable view={v} />
      <PictureTable view={v} />
      <InjectFeed injects={v.injects ?? []} />
      <Warnings view={v} />
      <AssessmentsPanel view={v} />
      <SharingPanel view={v} />
      <TaskingsPanel view={v} />
      <OrdersPanel view={v} />
      <ChatPanel view={v} control={false} />
      <Attributions view={v} />
    </main>
  );
}
