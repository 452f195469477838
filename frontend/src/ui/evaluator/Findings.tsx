import { useState } from 'preact/hooks';
import { listObservations, mayChange } from '../../evaluation';
import type { AreaForImprovement, Strength } from '../../generated/protocol';
import { CommandError, Empty, Panel, useCommand, useControlView } from '../common';
import { seatKey } from '../facilitator/Observation';

interface FindingDraft {
  kind: 'strength' | 'afi';
  objective: string;
  text: string;
  title: string;
  analysis: string;
  rootCause: string;
  recommendation: string;
  cited: string[];
}

const EMPTY: FindingDraft = { kind: 'strength', objective: '', text: '', title: '', analysis: '', rootCause: '', recommendation: '', cited: [] };

/** Strengths and areas for improvement (observation, analysis, root cause, recommendation) of
 *  each objective, citing standing observations; revised or removed by their author or a facilitator. */
export function Findings() {
  const v = useControlView('evaluation');
  const [draft, setDraft] = useState<FindingDraft>({ ...EMPTY, objective: v.objectives[0]?.id ?? '' });
  const [editing, setEditing] = useState('');
  const [busy, run, error] = useCommand();
  const set = (change: Partial<FindingDraft>) => setDraft((d) => ({ ...d, ...change }));
  const citable = listObservations(v.evaluation, { objective: draft.objective, showRetracted: false });
  const strengths = Object.values(v.evaluation.strengths ?? {}).filter((s): s is Strength => !!s);
  const afis = Object.values(v.evaluation.afis ?? {}).filter((a): a is AreaForImprovement => !!a);
  const me = seatKey();

  const submit = async (e: Event) => {
    e.preventDefault();
    const common = { objective_id: draft.objective, observation_ids: draft.cited };
    const ok =
      draft.kind === 'strength'
        ? await run({ type: 'set_strength', strength_id: editing || null, text: draft.text.trim(), ...common })
        : await run({
            type: 'set_afi',
            afi_id: editing || null,
            title: draft.title.trim(),
            observation: draft.text.trim(),
            analysis: draft.analysis.trim(),
            root_cause: draft.rootCause.trim(),
            recommendation: draft.recommendation.trim(),
            ...common,
          });
    if (ok) {
      setDraft({ ...EMPTY, kind: draft.kind, objective: draft.objective });
      setEditing('');
    }
  };
  const reviseStrength = (s: Strength) => {
    setEditing(s.strength_id);
    setDraft({ ...EMPTY, kind: 'strength', objective: s.objective_id, text: s.text, cited: [...(s.observation_ids ?? [])] });
  };
  const reviseAfi = (a: AreaForImprovement) => {
    setEditing(a.afi_id);
    setDraft({
      kind: 'afi', objective: a.objective_id, text: a.observation, title: a.title, analysis: a.analysis ?? '',
      rootCause: a.root_cause ?? '', recommendation: a.recommendation ?? '', cited: [...(a.observation_ids ?? [])],
    });
  };
  const ready = draft.objective && draft.text.trim() && (draft.kind === 'strength' || draft.title.trim());

  return (
    <Panel id="findings" title="Strengths and areas for improvement">
      <form class="stack" data-testid="finding-form" onSubmit={submit}>
        <fieldset disabled={busy}>
          <legend>{editing ? `Revise ${editing}` : 'Record a finding'}</legend>
          <div class="two">
            <label>
              Kind
              <select data-testid="finding-kind" value={draft.kind} disabled={!!editing} onChange={(e) => set({ kind: e.currentTarget.value as FindingDraft['kind'] })}>
                <option value="strength">Strength</option>
                <option value="afi">Area for improvement</option>
              </select>
            </label>
            <label>
              Objective
              <select data-testid="finding-objective" value={draft.objective} onChange={(e) => set({ objective: e.currentTarget.value, cited: [] })}>
                {v.objectives.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.id}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {draft.kind === 'afi' && (
            <label>
              Title
              <input maxLength={200} data-testid="finding-title" value={draft.title} onInput={(e) => set({ title: e.currentTarget.value })} />
            </label>
          )}
          <label>
            {draft.kind === 'afi' ? 'Observation (what was seen)' : 'Strength'}
            <textarea rows={2} maxLength={4000} data-testid="finding-text" value={draft.text} onInput={(e) => set({ text: e.currentTarget.value })} />
          </label>
          {draft.kind === 'afi' && (
            <>
              <label>
                Analysis
                <textarea rows={2} maxLength={4000} data-testid="finding-analysis" value={draft.analysis} onInput={(e) => set({ analysis: e.currentTarget.value })} />
              </label>
              <label>
                Root cause
                <textarea rows={2} maxLength={4000} data-testid="finding-root-cause" value={draft.rootCause} onInput={(e) => set({ rootCause: e.currentTarget.value })} />
              </label>
              <label>
                Recommendation
                <textarea rows={2} maxLength={4000} data-testid="finding-recommendation" value={draft.recommendation} onInput={(e) => set({ recommendation: e.currentTarget.value })} />
              </label>
            </>
          )}
          {citable.length > 0 && (
            <div class="inline-checks" role="group" aria-label="Observations cited">
              {citable.map((o) => (
                <label key={o.observation_id} class="check" title={o.text}>
                  <input
                    type="checkbox"
                    checked={draft.cited.includes(o.observation_id)}
                    onChange={(e) =>
                      set({ cited: e.currentTarget.checked ? [...draft.cited, o.observation_id] : draft.cited.filter((x) => x !== o.observation_id) })
                    }
                  />
                  {o.observation_id}
                </label>
              ))}
            </div>
          )}
          <div class="controls">
            <button type="submit" class="primary" data-testid="finding-submit" disabled={!ready}>
              {editing ? 'Save revision' : 'Record'}
            </button>
            {editing && (
              <button type="button" onClick={() => (setEditing(''), setDraft({ ...EMPTY, objective: draft.objective }))}>
                Cancel
              </button>
            )}
          </div>
          <CommandError error={error} testId="finding-error" />
        </fieldset>
      </form>
      <h3>Strengths</h3>
      {strengths.length === 0 ? (
        <Empty>None yet.</Empty>
      ) : (
        <ul class="list" data-testid="strength-list">
          {strengths.map((s) => (
            <li key={s.strength_id} data-testid={`strength-${s.strength_id}`}>
              <strong>{s.objective_id}</strong> {s.text} <span class="muted small">({s.author_member || s.author}, v{s.revision})</span>
              {mayChange(me, s.author, s.author_member) && <ItemActions id={s.strength_id} onRevise={() => reviseStrength(s)} />}
            </li>
          ))}
        </ul>
      )}
      <h3>Areas for improvement</h3>
      {afis.length === 0 ? (
        <Empty>None yet.</Empty>
      ) : (
        <ul class="list" data-testid="afi-list">
          {afis.map((a) => (
            <li key={a.afi_id} data-testid={`afi-${a.afi_id}`}>
              <strong>
                {a.objective_id}: {a.title}
              </strong>{' '}
              <span class="muted small">({a.author_member || a.author}, v{a.revision})</span>
              <p class="small">
                {a.observation}
                {a.root_cause ? ` Root cause: ${a.root_cause}.` : ''}
                {a.recommendation ? ` Recommendation: ${a.recommendation}.` : ''}
              </p>
              {mayChange(me, a.author, a.author_member) && <ItemActions id={a.afi_id} onRevise={() => reviseAfi(a)} />}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Revise and remove buttons of a strength, an AFI or an improvement item. */
export function ItemActions(props: { id: string; onRevise: () => void }) {
  const [busy, run, error] = useCommand();
  return (
    <span class="inline">
      <button type="button" data-testid={`revise-${props.id}`} onClick={props.onRevise}>
        Revise
      </button>
      <button type="button" data-testid={`remove-${props.id}`} disabled={busy} onClick={() => void run({ type: 'remove_evaluation_item', item_id: props.id })}>
        Remove
      </button>
      <CommandError error={error} testId={`remove-error-${props.id}`} />
    </span>
  );
}
