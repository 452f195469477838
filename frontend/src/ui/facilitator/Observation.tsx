import { useState } from 'preact/hooks';
import { store } from '../../app';
import {
  draftOf,
  EMPTY_DRAFT,
  listObservations,
  mayChange,
  observationCommand,
  RATINGS,
  tiesOf,
  type ObservationDraft,
  type Rating,
} from '../../evaluation';
import type { Observation } from '../../generated/protocol';
import type { MselEntry } from '../../types';
import { CommandError, Empty, Panel, useCommand, useControlView } from '../common';
import { useGuides } from '../evaluator/useGuides';

/** This seat, as evaluation items name their authors (viewer and named member). */
export function seatKey(): { viewer: string; member: string; role: string } {
  const w = store.welcome;
  return { viewer: w?.viewer ?? '', member: w?.member ?? '', role: w?.role ?? '' };
}

/**
 * Observations: record one tied to an objective, one of its critical tasks, an inject and a
 * nation; list them (by objective, retracted ones on demand); edit or retract one's own (a
 * facilitator any). Evaluators and facilitators share this panel.
 */
export function Observations() {
  const v = useControlView('evaluation', 'injects');
  const { guides } = useGuides();
  const [draft, setDraft] = useState<ObservationDraft>(EMPTY_DRAFT);
  const [editing, setEditing] = useState('');
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState(0);
  const [busy, run, error] = useCommand();
  const [objective, setObjective] = useState('');
  const [showRetracted, setShowRetracted] = useState(false);
  const tasks = guides?.guides.find((g) => g.objective_id === draft.objective)?.critical_tasks ?? [];
  const injects = (v.msel as unknown as MselEntry[]).filter((i) => i.released_move !== null);
  const set = (change: Partial<ObservationDraft>) => setDraft((d) => ({ ...d, ...change }));
  const listed = listObservations(v.evaluation, { objective, showRetracted });
  const me = seatKey();

  const submit = async (e: Event) => {
    e.preventDefault();
    const built = observationCommand(draft, editing || undefined);
    if ('problem' in built) return setProblem(built.problem);
    setProblem('');
    if (await run(built.command)) {
      setDraft(EMPTY_DRAFT);
      setEditing('');
      setSaved((n) => n + 1);
    }
  };
  const edit = (o: Observation) => {
    setEditing(o.observation_id);
    setDraft(draftOf(o));
    setProblem('');
  };

  return (
    <Panel id="observation" title="Observations" wide>
      <form class="stack" data-testid="observation-form" onSubmit={submit}>
        <fieldset disabled={busy}>
          <legend>{editing ? `Edit observation ${editing}` : 'Record an observation'}</legend>
          <div class="forms">
            <label>
              Objective
              <select data-testid="observation-objective" value={draft.objective} onChange={(e) => set({ objective: e.currentTarget.value, task: '' })}>
                <option value="">(general observation)</option>
                {v.objectives.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.id}: {o.text.length > 60 ? o.text.slice(0, 57) + '…' : o.text}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Critical task
              <select data-testid="observation-task" value={draft.task} disabled={!tasks.length} onChange={(e) => set({ task: e.currentTarget.value })}>
                <option value="">(the objective as a whole)</option>
                {tasks.map((t) => (
                  <option key={t.number} value={String(t.number)}>
                    {t.number}. {t.text.length > 60 ? t.text.slice(0, 57) + '…' : t.text}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Inject
              <select data-testid="observation-inject" value={draft.inject} onChange={(e) => set({ inject: e.currentTarget.value })}>
                <option value="">(none)</option>
                {injects.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.id}: {i.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Nation
              <select data-testid="observation-nation" value={draft.nation} onChange={(e) => set({ nation: e.currentTarget.value })}>
                <option value="">(none)</option>
                {v.nations.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.id}: {n.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            Rating
            <select data-testid="observation-rating" value={draft.rating} onChange={(e) => set({ rating: e.currentTarget.value as Rating | '' })}>
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
            <textarea rows={3} maxLength={4000} data-testid="observation-text" value={draft.text} onInput={(e) => set({ text: e.currentTarget.value })} />
          </label>
          <div class="controls">
            <button type="submit" class="primary" data-testid="observation-submit" disabled={!draft.text.trim()}>
              {busy ? 'Saving…' : editing ? 'Save changes' : 'Record observation'}
            </button>
            {editing && (
              <button type="button" data-testid="observation-cancel" onClick={() => (setEditing(''), setDraft(EMPTY_DRAFT))}>
                Cancel
              </button>
            )}
            {saved > 0 && (
              <span class="muted small" data-testid="observation-saved" role="status">
                {saved} saved this session
              </span>
            )}
          </div>
          {problem && (
            <p class="form-error" role="alert" data-testid="observation-problem">
              {problem}
            </p>
          )}
          <CommandError error={error} testId="observation-error" />
        </fieldset>
      </form>
      <div class="toolbar">
        <label>
          Show{' '}
          <select data-testid="observation-filter" value={objective} onChange={(e) => setObjective(e.currentTarget.value)}>
            <option value="">all objectives</option>
            <option value="-">general observations</option>
            {v.objectives.map((o) => (
              <option key={o.id} value={o.id}>
                {o.id}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" data-testid="observation-show-retracted" checked={showRetracted} onChange={(e) => setShowRetracted(e.currentTarget.checked)} />
          retracted too
        </label>
        <span class="muted small" data-testid="observation-count">
          {listed.length} shown
        </span>
      </div>
      {listed.length === 0 ? (
        <Empty>No observations yet.</Empty>
      ) : (
        <ul class="list scroll" data-testid="observation-list">
          {listed.map((o) => (
            <ObservationRow key={o.observation_id} o={o} editable={!o.retracted && mayChange(me, o.author, o.author_member)} onEdit={() => edit(o)} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ObservationRow(props: { o: Observation; editable: boolean; onEdit: () => void }) {
  const { o } = props;
  const [retracting, setRetracting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, run, error] = useCommand();
  const retract = async () => {
    if (await run({ type: 'retract_observation', observation_id: o.observation_id, reason: reason.trim() })) setRetracting(false);
  };
  const who = o.author ? `${o.author}${o.author_member ? ` (${o.author_member})` : ''}` : 'unknown seat';
  return (
    <li data-testid={`observation-row-${o.observation_id}`} data-retracted={o.retracted ? 'true' : 'false'} class={o.retracted ? 'muted' : ''}>
      <div class="inject-head">
        <strong>
          {o.observation_id}
          {o.rating && <span class="badge">{o.rating}</span>}
        </strong>
        <span class="small muted">
          {tiesOf(o)} · move {o.move} · {who}
          {o.edits ? ` · edited ${o.edits === 1 ? 'once' : `${o.edits} times`}` : ''}
        </span>
      </div>
      <p class="inject-text" style={o.retracted ? { textDecoration: 'line-through' } : undefined} data-testid="observation-row-text">
        {o.text}
      </p>
      {o.retracted && <p class="small">Retracted{o.retract_reason ? `: ${o.retract_reason}` : ''}</p>}
      {props.editable && !retracting && (
        <div class="controls">
          <button type="button" data-testid={`observation-edit-${o.observation_id}`} onClick={props.onEdit}>
            Edit
          </button>
          <button type="button" data-testid={`observation-retract-${o.observation_id}`} onClick={() => setRetracting(true)}>
            Retract
          </button>
        </div>
      )}
      {retracting && (
        <span class="confirm">
          <input placeholder="why (optional)" maxLength={200} data-testid="observation-retract-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="button" class="primary" disabled={busy} data-testid="observation-retract-confirm" onClick={() => void retract()}>
            Retract
          </button>
          <button type="button" onClick={() => setRetracting(false)}>
            Keep
          </button>
        </span>
      )}
      <CommandError error={error} testId="observation-retract-error" />
    </li>
  );
}
