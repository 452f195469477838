import { MetricsPanel } from '../control/GroundTruth';
import { AarExport } from '../facilitator/Aar';
import { Observations } from '../facilitator/Observation';
import { Timeline } from '../facilitator/Timeline';
import { EvaluationGuides } from './Eeg';
import { Findings } from './Findings';
import { ImprovementPlan } from './ImprovementPlan';
import { Ratings } from './Ratings';

/**
 * The evaluator's page: the Exercise Evaluation Guides, observations (recorded, edited,
 * retracted), the AAR/IP's ratings, strengths, areas for improvement and improvement plan, and
 * the exports; the timeline and metrics to observe from (read-only, as the facilitator sees them).
 */
export function EvaluatorPage(props: { exerciseId: string }) {
  return (
    <main class="grid" data-testid="evaluator-page">
      <EvaluationGuides />
      <Observations />
      <Ratings />
      <Findings />
      <ImprovementPlan />
      <AarExport exerciseId={props.exerciseId} />
      <Timeline />
      <MetricsPanel />
    </main>
  );
}
