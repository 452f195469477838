import { useState } from 'preact/hooks';
import { EvaluationGuides } from './Eeg';
import { Findings } from './Findings';
import { ImprovementPlan } from './ImprovementPlan';
import { Ratings } from './Ratings';

const VIEWS = [
  { id: 'ratings', label: 'Ratings' },
  { id: 'findings', label: 'Strengths and AFIs' },
  { id: 'plan', label: 'Improvement plan' },
  { id: 'eeg', label: 'Evaluation guides' },
] as const;

/** The facilitator's AAR/IP input, one view at a time: the evaluator's panels, which facilitators
 *  may fill in and correct as well. */
export function EvaluationInput() {
  const [shown, setShown] = useState<(typeof VIEWS)[number]['id']>('ratings');
  return (
    <section class="panel wide" data-testid="panel-evaluation-input" aria-label="AAR/IP input">
      <div class="tabs" role="tablist">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" class="tab" aria-selected={shown === v.id} data-testid={`evaluation-tab-${v.id}`} onClick={() => setShown(v.id)}>
            {v.label}
          </button>
        ))}
      </div>
      {shown === 'ratings' && <Ratings />}
      {shown === 'findings' && <Findings />}
      {shown === 'plan' && <ImprovementPlan />}
      {shown === 'eeg' && <EvaluationGuides />}
    </section>
  );
}
