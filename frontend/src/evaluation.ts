// The evaluation in a control view (observations and the AAR/IP's input): its fold, as
// domain/evaluation.py apply_evaluation does it, and what the evaluator and facilitator pages list.
import type {
  AreaForImprovement,
  Evaluation,
  FinalRating,
  ImprovementItem,
  Observation,
  ObjectiveCard,
  ProjectedEvent,
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
