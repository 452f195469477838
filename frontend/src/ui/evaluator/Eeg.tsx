import { useState } from 'preact/hooks';
import { downloadGuides } from '../../api';
import { store } from '../../app';
import { RATINGS, ratingKey, type Guide } from '../../evaluation';
import type { Evaluation } from '../../generated/protocol';
import { Empty, Panel, useControlView } from '../common';
import { useGuides } from './useGuides';

/**
 * The Exercise Evaluation Guides: per objective its core capability, mission areas and critical
 * tasks, with how many standing observations each task has and the objective's final rating so
 * far (live from the view). The same forms download as a Word document to fill in by hand.
 */
export function EvaluationGuides() {
  const v = useControlView('evaluation');
  const { guides, error } = useGuides();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadGuides(v.exercise_id);
      store.notify('info', 'Exercise Evaluation Guides downloaded.');
    } catch (err) {
      store.notify('error', `EEG download failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel id="eeg" title="Exercise Evaluation Guides" wide>
      <div class="toolbar">
        <button type="button" data-testid="eeg-docx" disabled={busy} onClick={() => void download()}>
          {busy ? 'Downloading…' : 'Download the EEGs (Word)'}
        </button>
        <span class="muted small">One form per objective: record what you see against its critical tasks, then rate it.</span>
      </div>
      {error && <p class="form-error">{error}</p>}
      {!guides ? (
        <Empty>Loading the guides…</Empty>
      ) : guides.guides.length === 0 ? (
        <Empty>This scenario names no objectives.</Empty>
      ) : (
        <div class="two">
          {guides.guides.map((g) => (
            <GuideCard key={g.objective_id} guide={g} evaluation={v.evaluation} />
          ))}
        </div>
      )}
    </Panel>
  );
}

function GuideCard(props: { guide: Guide; evaluation: Evaluation }) {
  const { guide: g, evaluation } = props;
  const standing = Object.values(evaluation.observations ?? {}).filter((o) => o && !o.retracted && o.objective_id === g.objective_id);
  const final = evaluation.ratings?.[ratingKey('objective', g.objective_id)];
  const words = RATINGS.find((r) => r.value === final?.rating)?.label;
  return (
    <article class="panel" data-testid={`eeg-${g.objective_id}`}>
      <h3>
        Objective {g.number} ({g.objective_id})
      </h3>
      <p>{g.objective}</p>
      <p class="small">
        <strong>Core capability:</strong> {g.capabilities.join('; ') || '—'}
        {g.mission_areas.length > 0 && (
          <>
            {' '}
            · <strong>Mission areas:</strong> {g.mission_areas.join(', ')}
          </>
        )}
      </p>
      {g.critical_tasks.length === 0 ? (
        <Empty>No critical tasks are written for this objective.</Empty>
      ) : (
        <ol class="small">
          {g.critical_tasks.map((t) => (
            <li key={t.number} data-testid={`eeg-task-${g.objective_id}-${t.number}`}>
              {t.text} <span class="badge">{standing.filter((o) => o?.task === t.number).length} obs.</span>
            </li>
          ))}
        </ol>
      )}
      <p class="small" data-testid={`eeg-rating-${g.objective_id}`}>
        <strong>Rating:</strong> {words ?? 'not rated yet'} · {standing.length} standing observation(s)
      </p>
    </article>
  );
}
