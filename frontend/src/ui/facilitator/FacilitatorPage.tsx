import { ChatPanel } from '../Chat';
import { MetricsPanel, PictureSummary, SharingMatrix } from '../control/GroundTruth';
import { PicturesPanel } from '../control/Pictures';
import { Attributions } from '../player/Attributions';
import { AarExport } from './Aar';
import { ChartsPanel } from './Charts';
import { EvaluationInput } from '../evaluator/EvaluationInput';
import { Observations } from './Observation';
import { SharingValue } from './SharingValue';
import { ReplayPanel } from './Replay';
import { Timeline } from './Timeline';

/** The facilitator's page. Each panel subscribes to the store slices it shows. */
export function FacilitatorPage(props: { exerciseId: string }) {
  return (
    <main class="grid" data-testid="facilitator-page">
      <Timeline />
      <ReplayPanel />
      <ChartsPanel />
      <Observations />
      <EvaluationInput />
      <AarExport exerciseId={props.exerciseId} />
      <SharingValue />
      <MetricsPanel />
      <SharingMatrix />
      <PictureSummary />
      <PicturesPanel />
      <Attributions />
      <ChatPanel control />
    </main>
  );
}
