import type { Store } from '../../store';
import type { View } from '../../types';
import { ChatPanel } from '../Chat';
import { MetricsPanel, PictureSummary, SharingMatrix } from '../control/GroundTruth';
import { Attributions } from '../player/Attributions';
import { AarExport } from './Aar';
import { ObservationForm } from './Observation';
import { Timeline } from './Timeline';

export function FacilitatorPage(props: { view: View; store: Store }) {
  const v = props.view;
  return (
    <main class="grid" data-testid="facilitator-page">
      <Timeline view={v} live={props.store.feed} />
      <ObservationForm view={v} />
      <AarExport exerciseId={v.exercise_id} />
      <MetricsPanel view={v} />
      <SharingMatrix view={v} />
      <PictureSummary view={v} />
      <Attributions view={v} />
      <ChatPanel view={v} control />
    </main>
  );
}
