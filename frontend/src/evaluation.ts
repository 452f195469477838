// The evaluation in a control view (observations and the AAR/IP's input): its fold, as
// domain/evaluation.py apply_evaluation does it, and what the evaluator and facilitator pages list.
import type {
  AreaForImprovement,
  EditObservation,
  Evaluation,
  FinalRating,
  ImprovementItem,
  Observation,
  ObjectiveCard,
  ProjectedEvent,
  RecordObservation,
  SetImprovementItem,
  Strength,
} from './generated/protocol';

export type Rating = 'P' | 'S' | 'M' | 'U';
export const RATINGS: { value: Rating; label: string }[] = [
  { value: 'P', label: 'P — performed without challenges' },
  { value: 'S', label: 'S — performed with some challenges' },
  { value: 'M', label: 'M — performed with major challenges' },
  { value: 'U', label: 'U — unable to be performed' },
];
/** domain/evaluation.py LEGACY_OBSERVATION_PREFIX: the id of an observation recorded before ids. */
const LEGACY_PREFIX = 'obs-seq';

export const EVALUATION_EVENTS = new Set([
  'observation_recorded',
  'observation_edited',
  'observation_retracted',
  'rating_set',
  'strength_set',
  'afi_set',
  'improvement_item_set',
  'evaluation_item_removed',
]);

const ITEM_FIELDS = { strength: 'strengths', afi: 'afis', improvement_item: 'improvements' } as const;

type Body = Record<string, unknown>;
const str = (b: Body, key: string): string => (typeof b[key] === 'string' ? (b[key] as string) : '');
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** Apply one evaluation event (at `seq`, in `move`); false when it names what the view lacks. */
export function applyEvaluation(evaluation: Evaluation, event: ProjectedEvent, seq: number): boolean {
  const b = event.body as Body;
  const observations = (evaluation.observations ??= {});
  switch (event.type) {
    case 'observation_recorded': {
      const id = str(b, 'observation_id') || `${LEGACY_PREFIX}${seq}`;
      observations[id] = {
        observation_id: id,
        objective_id: orNull(b.objective_id as string | null | undefined),
        task: orNull(b.task as number | null | undefined),
        inject_id: orNull(b.inject_id as string | null | undefined),
        nation: orNull(b.nation as string | null | undefined),
        rating: orNull(b.rating as Rating | null | undefined),
        text: str(b, 'text'),
        author: str(b, 'author'),
        author_member: str(b, 'author_member'),
        move: event.move,
        seq,
        edits: 0,
        retracted: false,
        retract_reason: '',
      };
      return true;
    }
    case 'observation_edited': {
      const old = observations[str(b, 'observation_id')];
      if (!old) return false;
      for (const key of ['objective_id', 'task', 'inject_id', 'nation', 'rating'] as const) {
        (old as unknown as Record<string, unknown>)[key] = orNull(b[key]);
      }
      old.text = str(b, 'text');
      old.edits = (old.edits ?? 0) + 1;
      return true;
    }
    case 'observation_retracted': {
      const old = observations[str(b, 'observation_id')];
      if (!old) return false;
      old.retracted = true;
      old.retract_reason = str(b, 'reason');
      return true;
    }
    case 'rating_set': {
      const ratings = (evaluation.ratings ??= {});
      const key = ratingKey(str(b, 'subject'), str(b, 'subject_id'));
      delete ratings[key];
      if (b.rating !== null && b.rating !== undefined) ratings[key] = withoutType(b) as unknown as FinalRating;
      return true;
    }
    case 'strength_set':
      version(((evaluation.strengths ??= {}) as Items<Strength>), str(b, 'strength_id'), b);
      return true;
    case 'afi_set':
      version(((evaluation.afis ??= {}) as Items<AreaForImprovement>), str(b, 'afi_id'), b);
      return true;
    case 'improvement_item_set':
      version(((evaluation.improvements ??= {}) as Items<ImprovementItem>), str(b, 'item_id'), b);
      return true;
    case 'evaluation_item_removed': {
      const field = ITEM_FIELDS[str(b, 'kind') as keyof typeof ITEM_FIELDS];
      const items = field ? (evaluation[field] ??= {}) : undefined;
      if (!items || !(str(b, 'item_id') in items)) return false;
      delete items[str(b, 'item_id')];
      return true;
    }
    default:
      return false;
  }
}

type Items<T> = Record<string, T | undefined>;

/** An item as this version has it; its author recorded the first version (revisions keep it). */
function version<T extends { author: string; author_member?: string }>(items: Items<T>, key: string, b: Body): void {
  const old = items[key];
  const author = old ? { author: old.author, author_member: old.author_member ?? '' } : { author: str(b, 'by'), author_member: str(b, 'by_member') };
  items[key] = { ...withoutType(b), ...author } as unknown as T;
}

function withoutType(body: Body): Body {
  const { type: _type, ...rest } = body;
  return { ...rest };
}

export function ratingKey(subject: string, subjectId: string): string {
  return `${subject}:${subjectId}`;
}

/** domain/evaluation.py objective_capabilities: its capability, else its mission areas. */
export function objectiveCapabilities(objective: Pick<ObjectiveCard, 'capability'> & { mission_areas?: string[] }): string[] {
  if (objective.capability) return [objective.capability];
  return [...(objective.mission_areas ?? [])];
}

/** The seat key an item's author is compared with (evaluation_decide.may_change). */
export interface SeatKey {
  viewer: string;
  member: string;
  role: string;
}

/** Whether this seat may edit, retract or revise an item: a facilitator any, others their own. */
export function mayChange(seat: SeatKey, author: string | undefined, member: string | undefined): boolean {
  return seat.role === 'facilitator' || (seat.viewer === (author ?? '') && seat.member === (member ?? ''));
}

export interface ObservationFilter {
  objective: string;
  showRetracted: boolean;
}

/** Observations newest first, filtered by objective ('' all, '-' general ones), retracted ones on demand. */
export function listObservations(evaluation: Evaluation | undefined, filter: ObservationFilter): Observation[] {
  const all = Object.values(evaluation?.observations ?? {}).filter((o): o is Observation => o !== undefined);
  return all
    .filter((o) => filter.showRetracted || !o.retracted)
    .filter((o) => !filter.objective || (filter.objective === '-' ? !o.objective_id : o.objective_id === filter.objective))
    .sort((a, b) => b.seq - a.seq);
}

/** 'obj-safety · task 2 · inj-002 · JPN' for what an observation is tied to. */
export function tiesOf(o: Pick<Observation, 'objective_id' | 'task' | 'inject_id' | 'nation'>): string {
  const parts: string[] = [];
  if (o.objective_id) parts.push(o.task ? `${o.objective_id} · task ${o.task}` : o.objective_id);
  if (o.inject_id) parts.push(o.inject_id);
  if (o.nation) parts.push(o.nation);
  return parts.join(' · ') || 'general';
}

/** The latest rated standing observation of an objective: the AAR/IP's provisional rating. */
export function provisionalRating(evaluation: Evaluation | undefined, objectiveId: string): Rating | null {
  const rated = Object.values(evaluation?.observations ?? {})
    .filter((o): o is Observation => !!o && !o.retracted && o.objective_id === objectiveId && !!o.rating)
    .sort((a, b) => b.seq - a.seq);
  return (rated[0]?.rating as Rating | undefined) ?? null;
}

/** One Exercise Evaluation Guide as GET /api/eeg gives it (aar/eeg.py evaluation_guides). */
export interface Guide {
  number: number;
  objective_id: string;
  objective: string;
  capability: string | null;
  capabilities: string[];
  mission_areas: string[];
  nations: string[];
  critical_tasks: { number: number; text: string; observations: string[] }[];
  observations: Observation[];
  rating: Rating | null;
  rating_rationale: string;
}

export interface Guides {
  exercise_id: string;
  title: string;
  marking: string;
  ratings: Record<Rating, string>;
  guides: Guide[];
}

/** The exercise's core capabilities in objective order (domain/evaluation.py core_capabilities). */
export function coreCapabilities(guides: Guide[]): string[] {
  const found: string[] = [];
  for (const g of guides) for (const c of g.capabilities) if (!found.includes(c)) found.push(c);
  return found;
}

/** What the observation form holds (selects give '' for none). */
export interface ObservationDraft {
  objective: string;
  task: string;
  inject: string;
  nation: string;
  rating: Rating | '';
  text: string;
}

export const EMPTY_DRAFT: ObservationDraft = { objective: '', task: '', inject: '', nation: '', rating: '', text: '' };

export function draftOf(o: Observation): ObservationDraft {
  return {
    objective: o.objective_id ?? '',
    task: o.task ? String(o.task) : '',
    inject: o.inject_id ?? '',
    nation: o.nation ?? '',
    rating: (o.rating as Rating | null | undefined) ?? '',
    text: o.text,
  };
}

type ObservationCommand = RecordObservation | EditObservation;

/** The record (or, with `editing`, edit) command of a draft, or what is wrong with it. */
export function observationCommand(draft: ObservationDraft, editing?: string): { command: ObservationCommand } | { problem: string } {
  const text = draft.text.trim();
  if (!text) return { problem: 'Write what you observed.' };
  if (draft.task && !draft.objective) return { problem: 'A critical task belongs to an objective: choose the objective.' };
  const fields = {
    objective_id: draft.objective || null,
    task: draft.task ? Number(draft.task) : null,
    inject_id: draft.inject || null,
    nation: draft.nation || null,
    rating: draft.rating || null,
    text,
  };
  if (editing) return { command: { type: 'edit_observation', observation_id: editing, ...fields } };
  return { command: { type: 'record_observation', ...fields } };
}

export interface PlanDraft {
  afi: string;
  capability: string;
  action: string;
  element: SetImprovementItem['capability_element'] | '';
  organisation: string;
  poc: string;
  start: string;
  end: string;
}

export const EMPTY_PLAN: PlanDraft = { afi: '', capability: '', action: '', element: '', organisation: '', poc: '', start: '', end: '' };

/** The set_improvement_item command of a plan draft (`itemId`: revise that item), or what is wrong. */
export function improvementCommand(draft: PlanDraft, itemId?: string): { command: SetImprovementItem } | { problem: string } {
  if (!draft.action.trim()) return { problem: 'Describe the corrective action.' };
  if (!draft.organisation.trim()) return { problem: 'Name the responsible organisation.' };
  if (!draft.capability && !draft.afi) return { problem: 'Choose the core capability (or the area for improvement it answers).' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.start) || !/^\d{4}-\d{2}-\d{2}$/.test(draft.end)) {
    return { problem: 'Give the start and end dates.' };
  }
  if (draft.end < draft.start) return { problem: `The end date ${draft.end} is before the start date ${draft.start}.` };
  return {
    command: {
      type: 'set_improvement_item',
      item_id: itemId ?? null,
      afi_id: draft.afi || null,
      capability: draft.capability || null,
      corrective_action: draft.action.trim(),
      capability_element: draft.element || null,
      organisation: draft.organisation.trim(),
      poc: draft.poc.trim(),
      start_date: draft.start,
      end_date: draft.end,
    },
  };
}

/** Rating rows of the AAR/IP: each objective and core capability, its final rating and, without
 *  one, the provisional rating the AAR/IP would print (aar/hseep.py). */
export interface RatingRow {
  subject: 'objective' | 'capability';
  id: string;
  label: string;
  /** The objective's text, or a capability's objectives. */
  detail: string;
  final: FinalRating | null;
  /** Without a final rating: the AAR/IP's stand-in and where it comes from. */
  provisional: { rating: Rating; source: 'observation' | 'objectives' } | null;
}

const ORDER: Rating[] = ['P', 'S', 'M', 'U'];

export function ratingRows(guides: Guide[], evaluation: Evaluation | undefined): RatingRow[] {
  const ratings = evaluation?.ratings ?? {};
  const rows: RatingRow[] = guides.map((g) => ({
    subject: 'objective',
    id: g.objective_id,
    label: `${g.number}. ${g.objective_id}`,
    detail: g.objective,
    final: ratings[ratingKey('objective', g.objective_id)] ?? null,
    provisional: fromObservation(provisionalRating(evaluation, g.objective_id)),
  }));
  for (const capability of coreCapabilities(guides)) {
    const objectives = guides.filter((g) => g.capabilities.includes(capability)).map((g) => g.objective_id);
    const finals = objectives.map((id) => ratings[ratingKey('objective', id)]?.rating as Rating | undefined);
    let provisional: RatingRow['provisional'];
    if (objectives.length && finals.every((r) => r !== undefined)) {
      const lowest = finals.reduce((a, b) => (ORDER.indexOf(b!) > ORDER.indexOf(a!) ? b : a));
      provisional = { rating: lowest!, source: 'objectives' };
    } else {
      const latest = Object.values(evaluation?.observations ?? {})
        .filter((o): o is Observation => !!o && !o.retracted && !!o.rating && objectives.includes(o.objective_id ?? ''))
        .sort((a, b) => b.seq - a.seq)[0];
      provisional = fromObservation((latest?.rating as Rating | undefined) ?? null);
    }
    rows.push({
      subject: 'capability',
      id: capability,
      label: capability,
      detail: `Core capability of ${objectives.join(', ')}`,
      final: ratings[ratingKey('capability', capability)] ?? null,
      provisional,
    });
  }
  return rows;
}

function fromObservation(rating: Rating | null): RatingRow['provisional'] {
  return rating ? { rating, source: 'observation' } : null;
}

/** One line for an evaluation event in the timeline (aar/evaluation_summaries.py says the same). */
export function describeEvaluation(type: string, b: Record<string, unknown>): string {
  const s = (key: string) => (typeof b[key] === 'string' ? (b[key] as string) : '');
  const ties = tiesOf({
    objective_id: s('objective_id') || null,
    task: typeof b.task === 'number' ? b.task : null,
    inject_id: s('inject_id') || null,
    nation: s('nation') || null,
  });
  const rated = s('rating') ? ` [${s('rating')}]` : '';
  const version = b.revision === 1 ? 'recorded' : `revised (v${String(b.revision)})`;
  switch (type) {
    case 'observation_recorded':
      return `Observation ${s('observation_id') || '(before ids)'} on ${ties}${rated}: ${s('text')}`;
    case 'observation_edited':
      return `Observation ${s('observation_id')} edited (${ties}${rated}): ${s('text')}`;
    case 'observation_retracted':
      return `Observation ${s('observation_id')} retracted${s('reason') ? ': ' + s('reason') : ''}`;
    case 'rating_set':
      return b.rating ? `${s('subject')} ${s('subject_id')} rated ${s('rating')}` : `${s('subject')} ${s('subject_id')}: rating cleared`;
    case 'strength_set':
      return `Strength ${s('strength_id')} of ${s('objective_id')} ${version}: ${s('text')}`;
    case 'afi_set':
      return `Area for improvement ${s('afi_id')} of ${s('objective_id')} ${version}: ${s('title')}`;
    case 'improvement_item_set':
      return `Improvement item ${s('item_id')} ${version}: ${s('corrective_action')} (${s('organisation')}, ${s('start_date')} to ${s('end_date')})`;
    case 'evaluation_item_removed':
      return `${s('kind').replace('_', ' ')} ${s('item_id')} removed${s('reason') ? ': ' + s('reason') : ''}`;
    default:
      return type;
  }
}
