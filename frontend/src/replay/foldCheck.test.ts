// The fold check finds where a folded stream departs from the views a seat should have held.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TeamView, View } from '../generated/protocol';
import { differingKeys, foldAgainst, type RecordedStream } from './foldCheck';

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/tutorial-streams.json', import.meta.url), 'utf8')) as {
  streams: Record<string, RecordedStream & { end: View }>;
};
const usa = recorded.streams['team:USA']!;

describe('foldAgainst', () => {
  it('accepts the first and the last snapshot of a recorded stream', () => {
    const views = { [usa.start.pos]: usa.start, [usa.end.pos]: usa.end };
    expect(foldAgainst(usa, views)).toEqual({ checked: 2, mismatch: null });
  });

  it('names the position and the fields where the fold departs from the view', () => {
    const wrong = structuredClone(usa.end) as TeamView;
    wrong.chat = [];
    wrong.move = 9;
    const result = foldAgainst(usa, { [usa.end.pos]: wrong });
    const last = usa.events[usa.events.length - 1]!;
    expect(result.mismatch).toEqual({ pos: usa.end.pos, type: last.event.type, keys: ['chat', 'move'] });
  });

  it('reports a gap in the stream and an event the fold cannot apply', () => {
    const gap = { ...usa, events: usa.events.filter((_e, i) => i !== 3) };
    expect(foldAgainst(gap, {}).mismatch).toEqual({ pos: usa.events[4]!.pos, type: usa.events[4]!.event.type, keys: ['(gap)'] });
    const unknown = { ...usa.events[0]!.event, type: 'no_such_event' } as unknown as (typeof usa.events)[number]['event'];
    const broken = { ...usa, events: [{ pos: usa.start.pos + 1, event: unknown }] };
    expect(foldAgainst(broken, {})).toEqual({ checked: 0, mismatch: { pos: usa.start.pos + 1, type: 'no_such_event', keys: ['(not applied)'] } });
  });

  it('compares released injects as a set, and nothing else', () => {
    const shuffled = structuredClone(usa.end) as TeamView;
    shuffled.injects.reverse();
    expect(differingKeys(usa.end, shuffled)).toEqual([]);
    shuffled.injects.pop();
    expect(differingKeys(usa.end, shuffled)).toEqual(['injects']);
  });
});
