import { useState } from 'preact/hooks';
import { coreCapabilities, EMPTY_PLAN, improvementCommand, mayChange, type PlanDraft } from '../../evaluation';
import type { AreaForImprovement, ImprovementItem } from '../../generated/protocol';
import { CommandError, Empty, Panel, useCommand, useControlView } from '../common';
import { seatKey } from '../facilitator/Observation';
import { ItemActions } from './Findings';
import { useGuides } from './useGuides';

const ELEMENTS: PlanDraft['element'][] = ['planning', 'organization', 'equipment', 'training', 'exercise'];

/** The improvement plan: corrective actions per core capability (and AFI), who is responsible,
 *  and when they start and end. */
export function ImprovementPlan() {
  const v = useControlView('evaluation');
  const { guides } = useGuides();
  const [draft, setDraft] = useState<PlanDraft>(EMPTY_PLAN);
  const [editing, setEditing] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, run, error] = useCommand();
  const set = (change: Partial<PlanDraft>) => setDraft((d) => ({ ...d, ...change }));
  const capabilities = coreCapabilities(guides?.guides ?? []);
  const afis = Object.values(v.evaluation.afis ?? {}).filter((a): a is AreaForImprovement => !!a);
  const items = Object.values(v.evaluation.improvements ?? {})
    .filter((i): i is ImprovementItem => !!i)
    .sort((a, b) => a.start_date.localeCompare(b.start_date));
  const me = seatKey();

  const submit = async (e: Event) => {
    e.preventDefault();
    const built = improvementCommand(draft, editing || undefined);
    if ('problem' in built) return setProblem(built.problem);
    setProblem('');
    if (await run(built.command)) {
      setDraft(EMPTY_PLAN);
      setEditing('');
    }
  };
  const revise = (i: ImprovementItem) => {
    setEditing(i.item_id);
    setDraft({
      afi: i.afi_id ?? '', capability: i.capability, action: i.corrective_action, element: i.capability_element ?? '',
      organisation: i.organisation, poc: i.poc ?? '', start: i.start_date, end: i.end_date,
    });
  };

  return (
    <Panel id="improvement-plan" title="Improvement plan" wide>
      <form class="stack" data-testid="ip-form" onSubmit={submit}>
        <fieldset disabled={busy}>
          <legend>{editing ? `Revise ${editing}` : 'Add an improvement item'}</legend>
          <div class="forms">
            <label>
              Area for improvement
              <select data-testid="ip-afi" value={draft.afi} onChange={(e) => set({ afi: e.currentTarget.value })}>
                <option value="">(none)</option>
                {afis.map((a) => (
                  <option key={a.afi_id} value={a.afi_id}>
                    {a.objective_id}: {a.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Core capability
              <select data-testid="ip-capability" value={draft.capability} onChange={(e) => set({ capability: e.currentTarget.value })}>
                <option value="">{draft.afi ? "(the AFI's)" : '(choose)'}</option>
                {capabilities.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Capability element
              <select data-testid="ip-element" value={draft.element ?? ''} onChange={(e) => set({ element: e.currentTarget.value as PlanDraft['element'] })}>
                <option value="">(none)</option>
                {ELEMENTS.map((el) => (
                  <option key={el} value={el ?? ''}>
                    {el}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Responsible organisation
              <input maxLength={200} data-testid="ip-organisation" value={draft.organisation} onInput={(e) => set({ organisation: e.currentTarget.value })} />
            </label>
            <label>
              Point of contact
              <input maxLength={200} data-testid="ip-poc" value={draft.poc} onInput={(e) => set({ poc: e.currentTarget.value })} />
            </label>
            <label>
              Start
              <input type="date" data-testid="ip-start" value={draft.start} onInput={(e) => set({ start: e.currentTarget.value })} />
            </label>
            <label>
              End
              <input type="date" data-testid="ip-end" value={draft.end} onInput={(e) => set({ end: e.currentTarget.value })} />
            </label>
          </div>
          <label>
            Corrective action
            <textarea rows={2} maxLength={4000} data-testid="ip-action" value={draft.action} onInput={(e) => set({ action: e.currentTarget.value })} />
          </label>
          <div class="controls">
            <button type="submit" class="primary" data-testid="ip-submit">
              {editing ? 'Save revision' : 'Add to the plan'}
            </button>
            {editing && (
              <button type="button" onClick={() => (setEditing(''), setDraft(EMPTY_PLAN))}>
                Cancel
              </button>
            )}
          </div>
          {problem && (
            <p class="form-error" role="alert" data-testid="ip-problem">
              {problem}
            </p>
          )}
          <CommandError error={error} testId="ip-error" />
        </fieldset>
      </form>
      {items.length === 0 ? (
        <Empty>No improvement items yet.</Empty>
      ) : (
        <table class="small" data-testid="ip-table">
          <thead>
            <tr>
              <th scope="col">Core capability</th>
              <th scope="col">AFI</th>
              <th scope="col">Corrective action</th>
              <th scope="col">Element</th>
              <th scope="col">Organisation (POC)</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.item_id} data-testid={`ip-row-${i.item_id}`}>
                <td>{i.capability}</td>
                <td>{afis.find((a) => a.afi_id === i.afi_id)?.title ?? '—'}</td>
                <td>{i.corrective_action}</td>
                <td>{i.capability_element ?? '—'}</td>
                <td>
                  {i.organisation}
                  {i.poc ? ` (${i.poc})` : ''}
                </td>
                <td>{i.start_date}</td>
                <td>{i.end_date}</td>
                <td>{mayChange(me, i.author, i.author_member) && <ItemActions id={i.item_id} onRevise={() => revise(i)} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
