// The pieces of a release a team chooses (products and forwarded injects): the marking, which
// decides who may receive it, and the recipients within it (none chosen: everyone it allows).
import type { Marking, TeamView } from '../../types';
import { markingLabel } from '../../labels';

export const RELEASABILITIES: NonNullable<Marking['releasability']>[] = [
  'NOFORN',
  'REL',
  'REL FVEY',
  'REL CSPO',
  'REL ALL-PARTICIPANTS',
  'PUBLIC',
];

/** Played partners a release may go to (not ourselves, not the adversary). */
export function releasePartners(view: TeamView): { id: string; name: string }[] {
  return view.nations.filter((n) => n.played && n.side !== 'red' && n.id !== view.nation);
}

/** Names a REL marking may list: played partners, then the scenario's nation groups. */
function relNames(view: TeamView): string[] {
  const groups = Array.from(new Set(view.nations.flatMap((n) => n.groups))).sort();
  return [...releasePartners(view).map((n) => n.id), ...groups];
}

/** Whether the team's inputs are closed: the exercise is not running, or the move is being
 *  adjudicated (move_closing, until the next move opens). */
export function inputsClosed(view: TeamView): string {
  if (view.closing_move != null) return `move ${view.move} is being adjudicated; the next move opens shortly`;
  if (view.phase === 'ended') return 'the exercise has ended';
  return '';
}

export function MarkingPicker(props: { view: TeamView; value: Marking; onChange: (m: Marking) => void; testId: string }) {
  const releasability = props.value.releasability ?? 'NOFORN';
  const named = props.value.releasable_to ?? [];
  return (
    <div class="field marking-picker">
      <label>
        Marking{' '}
        <select
          data-testid={props.testId}
          value={releasability}
          onChange={(e) => {
            const next = e.currentTarget.value as Marking['releasability'];
            props.onChange({ releasability: next, releasable_to: next === 'REL' ? named : [] });
          }}
        >
          {RELEASABILITIES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {releasability === 'REL' && (
        <fieldset class="inline-checks">
          <legend class="small">Releasable to</legend>
          {relNames(props.view).map((name) => (
            <label key={name} class="check">
              <input
                type="checkbox"
                data-testid={`${props.testId}-nation-${name}`}
                checked={named.includes(name)}
                onChange={(e) =>
                  props.onChange({
                    releasability: 'REL',
                    releasable_to: e.currentTarget.checked ? [...named, name] : named.filter((n) => n !== name),
                  })
                }
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
      )}
      <span class="muted small"> prints as {markingLabel(props.value)}</span>
    </div>
  );
}

export function RecipientsPicker(props: { view: TeamView; value: string[]; onChange: (r: string[]) => void; testId: string }) {
  const partners = releasePartners(props.view);
  const agreements = props.view.agreements;
  return (
    <fieldset class="inline-checks">
      <legend class="small">Recipients (none ticked: every partner the marking allows)</legend>
      {partners.map((n) => (
        <label key={n.id} class="check" title={n.name}>
          <input
            type="checkbox"
            data-testid={`${props.testId}-${n.id}`}
            checked={props.value.includes(n.id)}
            onChange={(e) =>
              props.onChange(e.currentTarget.checked ? [...props.value, n.id] : props.value.filter((x) => x !== n.id))
            }
          />{' '}
          {n.id}
        </label>
      ))}
      {agreements.map((a) => (
        <button
          key={a.id}
          type="button"
          class="link small"
          data-testid={`${props.testId}-agreement-${a.id}`}
          title={a.title}
          onClick={() => props.onChange(a.nations.filter((n) => n !== props.view.nation))}
        >
          partners of {a.title || a.id}
        </button>
      ))}
    </fieldset>
  );
}
