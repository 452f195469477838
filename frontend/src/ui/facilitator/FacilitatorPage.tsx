import { ChatPanel } from '../Chat';
import { MetricsPanel, PictureSummary, SharingMatrix } from '../control/GroundTruth';
import { PicturesPanel } from '../control/Pictures';
import { Attributions } from '../player/Attributions';
import { AarExport } from './Aar';
import { ObservationForm } from './Observation';
import { ReplayPanel } from './Replay';
import { Timeline } from './Timeline';

/** The facilitator's page. Each panel subscribes to the store slices it shows. */
export function FacilitatorPage(props: { exerciseId: string }) {
  return (
    <main class="grid" data-testid="facilitator-page">
      <Timeline />
      <ReplayPanel />
      <ObservationForm />
      <AarExport exerciseId={props.exerciseId} />
      <MetricsPanel />
      <SharingMatrix />
      <PictureSummary />
      <PicturesPanel />
      <Attributions />
      <ChatPanel control />
    </main>
  );
}
