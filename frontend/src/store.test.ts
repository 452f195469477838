import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent, slicesOf } from './apply';
import type { ProjectedEvent } from './generated/protocol';
import { Store } from './store';
import type { TeamView } from './types';

/** USA's first snapshot of the recorded tutorial game (fixtures/, see apply.fixture.test.ts). */
function view(): TeamView {
  const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8'));
  return recorded.streams['team:USA'].start as TeamView;
}

function event(type: string, body: Record<string, unknown>): ProjectedEvent {
  return { at: '2027-03-01T06:00:00Z', scenario_time: '2027-03-01T06:00:00+00:00', move: 1, actor: 'team:USA', type, body };
}

describe('store slices', () => {
  it('a chat message moves the chat slice, not the picture, the map or the selection', async () => {
    const store = new Store();
    const panels = {
      table: store.signature(['session', 'picture', 'selection', 'pictureView']),
      map: store.signature(['session', 'picture', 'selection', 'pictureView', 'assets']),
      chat: store.signature(['session', 'chat', 'meta']),
    };
    const v = view();
    const e = event('chat_posted', { message_id: 'm1', channel: 'team:USA', sender: 'USA', text: 'hello' });
    expect(applyEvent(v, e, 1)).toBe(true);
    store.bump('pos', ...slicesOf(e.type));
    expect(v.chat[0]?.text).toBe('hello');
    expect(v.pos).toBe(1);
    expect(store.signature(['session', 'picture', 'selection', 'pictureView'])).toBe(panels.table);
    expect(store.signature(['session', 'picture', 'selection', 'pictureView', 'assets'])).toBe(panels.map);
    expect(store.signature(['session', 'chat', 'meta'])).not.toBe(panels.chat);
  });

  it('a new picture does not move the chat slice', () => {
    const store = new Store();
    const chat = store.signature(['session', 'chat', 'meta']);
    store.setPicture(null, { status: 'loading', move: 2 });
    store.select('usa-wgs-10');
    expect(store.signature(['session', 'chat', 'meta'])).toBe(chat);
  });

  it('listeners run once per task for many bumps', async () => {
    const store = new Store();
    let runs = 0;
    store.subscribe(() => (runs += 1));
    store.bump('chat');
    store.bump('picture');
    store.bump('feed');
    await Promise.resolve();
    expect(runs).toBe(1);
  });

  it("a team's picture event updates its notice (the rows are fetched from its url)", () => {
    const v = view();
    const notice = { nation: 'USA', move: 1, held: 42, by_source: { own: 40, catalog: 2 }, precise: 7, url: '/api/picture?move=1' };
    expect(applyEvent(v, event('picture_updated', notice), 1)).toBe(true);
    expect(v.picture).toEqual(notice);
    expect(v.picture_move).toBe(1);
    expect(slicesOf('picture_updated')).not.toContain('chat');
  });

  it('an event type the client does not know asks for a resync', () => {
    expect(applyEvent(view(), event('something_new', {}), 1)).toBe(false);
  });
});

describe('a move being adjudicated (move_closing)', () => {
  it('the start closes move 0 until the first pictures are in', () => {
    const v = view();
    expect(applyEvent(v, event('move_closing', { move: 0 }), 1)).toBe(true);
    expect(v.closing_move).toBe(0);
    expect(applyEvent(v, event('exercise_started', { type: 'exercise_started', move: 1, scenario_time: '2027-03-01T00:00:00Z' }), 2)).toBe(true);
    expect(v.closing_move).toBeNull();
    expect(v.phase).toBe('running');
  });

  it('closes team input until the move advances or reopens', () => {
    const v = view();
    expect(v.closing_move).toBeNull();
    expect(applyEvent(v, event('move_closing', { move: 1 }), 1)).toBe(true);
    expect(v.closing_move).toBe(1);
    expect(applyEvent(v, event('move_reopened', { move: 1, reason: 'core failed' }), 2)).toBe(true);
    expect(v.closing_move).toBeNull();
    applyEvent(v, event('move_closing', { move: 1 }), 3);
    expect(applyEvent(v, event('move_advanced', { type: 'move_advanced', move: 2, scenario_time: '2027-03-01T06:00:00Z' }), 4)).toBe(true);
    expect(v.closing_move).toBeNull();
    expect(v.move).toBe(2);
  });
});

describe('the value-of-sharing analysis events (control only)', () => {
  it('apply to a control view without a resync and change no slice but the feed', () => {
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8'));
    const control = recorded.streams['facilitator'].end;
    const masked = (v: Record<string, unknown>) => JSON.stringify({ ...v, pos: 0, seq: 0, scenario_time: '' });
    const before = masked(control);
    const types = ['sharing_analysis_requested', 'sharing_analysis_progress', 'sharing_analysis_completed', 'sharing_analysis_failed'];
    types.forEach((type, i) => {
      const e = { ...event(type, { analysis_id: 'SA-1', done: 1, total: 2, step: 'as played: move 1' }), seq: control.seq + i + 1 };
      expect(applyEvent(control, e, control.seq + i + 1)).toBe(true);
      expect(slicesOf(type)).toEqual([]);
    });
    expect(masked(control)).toBe(before); // position and time move, nothing else
  });
});
