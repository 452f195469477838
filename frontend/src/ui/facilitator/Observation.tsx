import { useState } from 'preact/hooks';
import type { RecordObservation } from '../../generated/protocol';
import { CommandError, useView, Panel, useCommand } from '../common';

type Rating = 'P' | 'S' | 'M' | 'U';
const RATINGS: { value: Rating; label: string }[] = [
  { value: 'P', label: 'P — performed' },
  { value: 'S', label: 'S — performed with some challenges' },
  { value: 'M', label: 'M — performed with major challenges' },
  { value: 'U', label: 'U — unable to perform' },
];

export function ObservationForm() {
  const v = useView();
  const [objective, setObjective] = useState('');
  const [rating, setRating] = useState<Rating | ''>('');
  const [text, setText] = useState('');
  const [busy, run, error] = useCommand();
  const [saved, setSaved] = useState(0);
  return (
    <Panel id="observation" title="Record an observation">
      <form
        class="stack"
        data-testid="observation-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!text.trim()) return;
          const command: RecordObservation = {
            type: 'record_observation',
            objective_id: objective || null,
            rating: rating || null,
            text: text.trim(),
          };
          if (await run(command)) {
            setText('');
            setSaved((n) => n + 1);
          }
        }}
      >
        <fieldset disabled={busy}>
          <legend class="sr-only">Observation</legend>
          <label>
            Objective
            <select data-testid="observation-objective" value={objective} onChange={(e) => setObjective(e.currentTarget.value)}>
              <option value="">(general observation)</option>
              {v.objectives.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.id}: {o.text.length > 80 ? o.text.slice(0, 77) + '…' : o.text}
                </option>
              ))}
            </select>
          </label>
          <label>
            Rating
            <select data-testid="observation-rating" value={rating} onChange={(e) => setRating(e.currentTarget.value as Rating | '')}>
              <option value="">(no rating)</option>
              {RATINGS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Observation
            <textarea rows={4} maxLength={4000} required data-testid="observation-text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" data-testid="observation-submit" disabled={!text.trim()}>
            {busy ? 'Recording…' : 'Record observation'}
          </button>
          <CommandError error={error} testId="observation-error" />
          {saved > 0 && (
            <span class="muted small" data-testid="observation-saved" role="status">
              {' '}
              {saved} recorded this session
            </span>
          )}
        </fieldset>
      </form>
    </Panel>
  );
}
