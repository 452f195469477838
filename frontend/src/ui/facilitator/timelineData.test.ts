import { describe, expect, it } from 'vitest';
import { movesLabel, parseTimeline, timelineRows } from './timelineData';

const member = (seq: number, move: number, type: string) => ({
  seq, move, type, actor: 'white_cell', at: '', scenario_time: '', summary: `${type} ${seq}`, body: {},
});

const answer = parseTimeline({
  viewer: 'team:JPN', event_count: 6, matched: 6, types: ['move_advanced', 'picture_updated'], actors: ['white_cell'], moves: [1, 2],
  groups: [
    { key: 'move_advanced@1', type: 'move_advanced', move_first: 1, move_last: 1, seq_first: 1, seq_last: 1, count: 1, summary: 'm', members: [member(1, 1, 'move_advanced')] },
    { key: 'picture_updated@2', type: 'picture_updated', move_first: 1, move_last: 2, seq_first: 2, seq_last: 4, count: 3, summary: '3 pictures updated, moves 1-2',
      members: [member(2, 1, 'picture_updated'), member(3, 1, 'picture_updated'), member(4, 2, 'picture_updated')] },
    { key: 'chat_posted@5', type: 'chat_posted', move_first: 2, move_last: 2, seq_first: 5, seq_last: 6, count: 2, summary: '2 chat messages, move 2',
      members: [member(5, 2, 'chat_posted'), member(6, 2, 'chat_posted')] },
  ],
});

describe('grouped timeline rows', () => {
  it('lists groups newest first, collapsed', () => {
    const rows = timelineRows(answer.groups, new Set());
    expect(rows.map((r) => (r.kind === 'group' ? `${r.group.key}:${r.expanded}` : r.entry.seq))).toEqual([
      'chat_posted@5:false', 'picture_updated@2:false', 'move_advanced@1:false',
    ]);
  });

  it('an expanded group is followed by its members in seq order; a single never expands', () => {
    const rows = timelineRows(answer.groups, new Set(['picture_updated@2', 'move_advanced@1']));
    expect(rows.map((r) => (r.kind === 'group' ? `${r.group.key}:${r.expanded}` : `${r.entry.seq}${r.last ? ' last' : ''}`))).toEqual([
      'chat_posted@5:false', 'picture_updated@2:true', '2', '3', '4 last', 'move_advanced@1:false',
    ]);
    expect(movesLabel(answer.groups[1]!)).toBe('1-2');
    expect(movesLabel(answer.groups[2]!)).toBe('2');
    expect(answer.viewer).toBe('team:JPN');
  });
});
