import type { Store } from '../../store';
import type { View } from '../../types';
import { ChatPanel } from '../Chat';
import { AssetsTable } from '../player/Assets';
import { Attributions } from '../player/Attributions';
import { SensorsTable } from '../player/Sensors';
import { AdhocPanel } from './Adhoc';
import { ExerciseControls } from './Controls';
import { EventFeed } from './EventFeed';
import { MetricsPanel, PictureSummary, SharingMatrix } from './GroundTruth';
import { MselPanel } from './Msel';
import { PreviewPanel } from './Preview';
import { StatusActions } from './StatusActions';

export function WhiteCellPage(props: { view: View; store: Store }) {
  const v = props.view;
  return (
    <main class="grid" data-testid="white-cell-page">
      <ExerciseControls view={v} store={props.store} />
      <EventFeed events={props.store.feed} />
      <MselPanel view={v} />
      <PreviewPanel view={v} />
      <AdhocPanel view={v} />
      <ChatPanel view={v} control />
      <AssetsTable
        view={v}
        title="Ground truth: all assets"
        control
        action={(asset) => <StatusActions subject={asset} view={v} />}
      />
      <SensorsTable
        view={v}
        title="Ground truth: sensors"
        control
        action={(sensor) => <StatusActions subject={sensor} view={v} />}
      />
      <PictureSummary view={v} />
      <SharingMatrix view={v} />
      <MetricsPanel view={v} />
      <Attributions view={v} />
    </main>
  );
}
