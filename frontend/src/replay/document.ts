// A replay (GET /api/replay, `wargame replay`): a seat's view at a point of the exercise, exactly
// as it would have been sent, with the event it got there, the URLs of its picture and of the
// truth at that point, and the log's move markers. Parsing and the scrubber's pure logic.
import type { ProjectedEvent } from '../generated/protocol';
import { asEvent, parseView } from '../parse';
import type { ControlView, FeedEvent, View } from '../types';

export interface ReplayMarker {
  seq: number;
  type: 'exercise_started' | 'move_advanced' | 'exercise_ended';
  move: number;
}

export interface ReplayDocument {
  exercise_id: string;
  viewer: string;
  /** The global seq the view is taken right after. */
  at: number;
  last_seq: number;
  move: number;
  /** The seat's stream position at `at` (the view's `pos`). */
  pos: number;
  /** The event at `at` as this seat got it; null when it is not in its stream. */
  received: { pos: number; event: ProjectedEvent } | null;
  /** The seat's last events up to that point, as it got them (its feed then). */
  feed: FeedEvent[];
  /** Where a control seat fetches the picture the seat held (a team's own; control's truth). */
  picture_url: string | null;
  /** Ground truth of the latest move at that point, with the statuses of that point. */
  truth_url: string | null;
  markers: ReplayMarker[];
  view: View;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MARKER_TYPES = new Set(['exercise_started', 'move_advanced', 'exercise_ended']);

/** The JSON boundary of /api/replay: null when the answer is not a replay document. */
export function parseReplay(raw: unknown): ReplayDocument | null {
  if (!isObject(raw) || typeof raw.viewer !== 'string' || typeof raw.at !== 'number' || typeof raw.last_seq !== 'number') return null;
  if (typeof raw.pos !== 'number' || typeof raw.move !== 'number' || !Array.isArray(raw.markers)) return null;
  const view = isObject(raw.view) ? parseView(JSON.stringify(raw.view)) : null;
  if (!view) return null;
  const markers = raw.markers.filter(
    (m): m is ReplayMarker => isObject(m) && typeof m.seq === 'number' && typeof m.move === 'number' && MARKER_TYPES.has(String(m.type)),
  );
  const url = (v: unknown) => (typeof v === 'string' && v.startsWith('/api/picture') ? v : null);
  const event = (entry: unknown): FeedEvent | null => {
    if (!isObject(entry) || typeof entry.pos !== 'number') return null;
    const parsed = asEvent(entry.event);
    return parsed ? { pos: entry.pos, event: parsed } : null;
  };
  const received = event(raw.received);
  const feed = (Array.isArray(raw.feed) ? raw.feed : []).map(event).filter((e): e is FeedEvent => e !== null);
  return {
    exercise_id: String(raw.exercise_id ?? ''),
    viewer: raw.viewer,
    at: raw.at,
    last_seq: raw.last_seq,
    move: raw.move,
    pos: raw.pos,
    received,
    feed,
    picture_url: url(raw.picture_url),
    truth_url: url(raw.truth_url),
    markers,
    view,
  };
}

/** How the scrubber names a marker. */
export function markerLabel(marker: ReplayMarker): string {
  if (marker.type === 'exercise_ended') return 'End';
  return `Move ${marker.move}`;
}

export type Step = 'first' | 'previous-move' | 'previous' | 'next' | 'next-move' | 'last';

/**
 * The seq a step button goes to from `at`: one event back or on, the start of the move shown or
 * of the previous one, the next move's start, the first or the last seq. Always within 1..last.
 */
export function stepTo(step: Step, at: number, last: number, markers: ReplayMarker[]): number {
  const clamp = (seq: number) => Math.min(Math.max(seq, 1), Math.max(last, 1));
  const starts = markers.map((m) => m.seq).sort((a, b) => a - b);
  switch (step) {
    case 'first':
      return 1;
    case 'last':
      return clamp(last);
    case 'previous':
      return clamp(at - 1);
    case 'next':
      return clamp(at + 1);
    case 'previous-move': {
      const before = starts.filter((s) => s < at);
      return clamp(before.length ? before[before.length - 1]! : 1);
    }
    case 'next-move':
      return clamp(starts.find((s) => s > at) ?? last);
  }
}

/** Where a marker sits along the scrubber, in percent of its width. */
export function markerOffset(seq: number, last: number): number {
  return last <= 1 ? 0 : ((seq - 1) / (last - 1)) * 100;
}

/**
 * The control view to show as ground truth: the replay's view, with its truth picture fetched
 * as of the replayed point (`truth_url` with `&at=`), so statuses are those of that point.
 */
export function truthDisplayView(doc: ReplayDocument): ControlView | null {
  if (doc.view.kind !== 'control') return null;
  return { ...doc.view, truth_url: doc.truth_url ?? doc.view.truth_url };
}

/** The seats a replay can show, from a control view: each played team, the observer, control. */
export function replaySeats(view: View): { viewer: string; label: string }[] {
  const teams = view.nations.filter((n) => n.played).map((n) => ({ viewer: `team:${n.id}`, label: `${n.name} (${n.id}) team` }));
  return [...teams, { viewer: 'observer', label: 'Observer' }, { viewer: 'white_cell', label: 'White cell' }, { viewer: 'facilitator', label: 'Facilitator' }];
}
