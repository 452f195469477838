// The replay document's boundary and the scrubber's steps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { View } from '../generated/protocol';
import { markerLabel, markerOffset, parseReplay, replaySeats, stepTo, truthDisplayView, type ReplayMarker } from './document';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/tutorial-streams.json', import.meta.url), 'utf8')) as {
  streams: Record<string, { end: View }>;
};
const control = recorded.streams['white_cell']!.end;
const team = recorded.streams['team:USA']!.end;

const markers: ReplayMarker[] = [
  { seq: 5, type: 'exercise_started', move: 1 },
  { seq: 40, type: 'move_advanced', move: 2 },
  { seq: 90, type: 'move_advanced', move: 3 },
  { seq: 120, type: 'exercise_ended', move: 3 },
];

function document(view: View, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exercise_id: 'x',
    viewer: 'team:USA',
    at: 60,
    last_seq: 120,
    move: view.move,
    pos: view.pos,
    received: null,
    picture_url: '/api/picture?move=2&nation=USA',
    truth_url: '/api/picture?move=2&truth=1&at=60',
    markers,
    view,
    ...extra,
  };
}

describe('parseReplay', () => {
  it('reads a replay document and keeps only its picture URLs and known markers', () => {
    const parsed = parseReplay(document(team, { markers: [...markers, { seq: 3, type: 'chat_posted', move: 1 }], picture_url: 'http://elsewhere/x' }));
    expect(parsed?.view).toEqual(team);
    expect(parsed?.markers).toEqual(markers);
    expect(parsed?.picture_url).toBeNull();
    expect(parsed?.truth_url).toBe('/api/picture?move=2&truth=1&at=60');
  });

  it("keeps the seat's feed and the event it received, dropping what is not an event", () => {
    const event = { at: '2027-03-01T09:30:00+00:00', scenario_time: '2027-03-01T06:00:00+00:00', move: 1, actor: 'team:GBR', type: 'chat_posted', body: { text: 'hi' } };
    const parsed = parseReplay(document(team, { received: { pos: 7, event }, feed: [{ pos: 6, event }, { pos: 7, event: { type: 'x' } }, 'junk'] }));
    expect(parsed?.received).toEqual({ pos: 7, event });
    expect(parsed?.feed).toEqual([{ pos: 6, event }]);
    expect(parseReplay(document(team))?.feed).toEqual([]);
  });

  it('refuses what is not one', () => {
    expect(parseReplay(null)).toBeNull();
    expect(parseReplay({ type: 'error', code: 'forbidden', message: 'no' })).toBeNull();
    expect(parseReplay(document({ ...team, kind: 'nonsense' } as unknown as View))).toBeNull();
    expect(parseReplay(document(team, { at: '60' }))).toBeNull();
  });
});

describe('the scrubber', () => {
  it('steps one event, a move, to either end, and stays within the log', () => {
    expect(stepTo('previous', 60, 120, markers)).toBe(59);
    expect(stepTo('next', 60, 120, markers)).toBe(61);
    expect(stepTo('next', 120, 120, markers)).toBe(120);
    expect(stepTo('previous', 1, 120, markers)).toBe(1);
    expect(stepTo('previous-move', 60, 120, markers)).toBe(40);
    expect(stepTo('previous-move', 40, 120, markers)).toBe(5);
    expect(stepTo('previous-move', 5, 120, markers)).toBe(1);
    expect(stepTo('next-move', 60, 120, markers)).toBe(90);
    expect(stepTo('next-move', 120, 120, markers)).toBe(120);
    expect(stepTo('first', 60, 120, markers)).toBe(1);
    expect(stepTo('last', 60, 120, markers)).toBe(120);
  });

  it('labels and places the move markers', () => {
    expect(markers.map(markerLabel)).toEqual(['Move 1', 'Move 2', 'Move 3', 'End']);
    expect(markerOffset(1, 120)).toBe(0);
    expect(markerOffset(120, 120)).toBe(100);
    expect(markerOffset(1, 1)).toBe(0);
  });
});

describe('ground truth beside the seat', () => {
  it("fetches the truth as of the replayed point, and leaves the replayed view as sent", () => {
    const doc = parseReplay(document(control, { viewer: 'white_cell' }))!;
    const shown = truthDisplayView(doc)!;
    expect(shown.truth_url).toBe('/api/picture?move=2&truth=1&at=60');
    expect(doc.view).toEqual(control);
    expect(truthDisplayView(parseReplay(document(team))!)).toBeNull();
  });

  it('offers every played team, the observer and the control seats', () => {
    expect(replaySeats(control).map((s) => s.viewer)).toEqual(['team:USA', 'team:GBR', 'team:JPN', 'observer', 'white_cell', 'facilitator']);
  });
});
