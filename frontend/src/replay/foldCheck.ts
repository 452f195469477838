// A seat's received stream folded onto its first snapshot, position by position, against the
// views the server says it held there (its replays): the client's half of "a replay is what the
// seat was sent". Used by apply.fixture.test.ts and scripts/check-fold.ts (tests/server).
import { applyEvent } from '../apply';
import type { ProjectedEvent, View } from '../generated/protocol';

export interface RecordedStream {
  start: View;
  events: { pos: number; event: ProjectedEvent }[];
}

/**
 * What the comparison leaves aside, and why. Nothing else may differ.
 * - A team's and the observer's `injects` are compared as a set (by id): the server lists released
 *   injects in MSEL order, which a seat cannot know (unreleased injects are hidden from it), so
 *   the client appends them as they arrive; every panel sorts them by release move and serial.
 */
export function comparable(view: View): View {
  const copy = structuredClone(view);
  if (copy.kind !== 'control') copy.injects.sort((a, b) => a.id.localeCompare(b.id));
  return copy;
}

/** Top-level fields of two views that differ (after `comparable`). */
export function differingKeys(a: View, b: View): string[] {
  const left = comparable(a) as unknown as Record<string, unknown>;
  const right = comparable(b) as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.filter((k) => JSON.stringify(sorted(left[k])) !== JSON.stringify(sorted(right[k])));
}

/** A value with its objects' keys in order, so that JSON text compares by value. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sorted(obj[k])]));
  }
  return value;
}

export interface FoldResult {
  /** Positions compared (the start's and each event's that `views` holds). */
  checked: number;
  /** The first position where the fold and the view differ, the stream has a gap, or an event
   *  did not apply. */
  mismatch: { pos: number; type: string; keys: string[] } | null;
}

/** Fold the stream and compare the folded view with `views[pos]` at every position it holds. */
export function foldAgainst(stream: RecordedStream, views: Record<string, View>): FoldResult {
  const view = structuredClone(stream.start);
  let checked = 0;
  const compare = (pos: number, type: string): FoldResult['mismatch'] => {
    const expected = views[String(pos)];
    if (!expected) return null;
    checked += 1;
    const keys = differingKeys(view, expected);
    return keys.length ? { pos, type, keys } : null;
  };
  let mismatch = compare(view.pos, 'snapshot');
  for (const { pos, event } of stream.events) {
    if (mismatch) break;
    if (pos !== view.pos + 1) return { checked, mismatch: { pos, type: event.type, keys: ['(gap)'] } };
    if (!applyEvent(view, event, pos)) return { checked, mismatch: { pos, type: event.type, keys: ['(not applied)'] } };
    mismatch = compare(pos, event.type);
  }
  return { checked, mismatch };
}
