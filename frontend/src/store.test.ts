import { describe, expect, it } from 'vitest';
import { applyEvent, slicesOf } from './apply';
import { Store } from './store';
import type { FeedEvent, View } from './types';

function view(): View {
  return {
    exercise_id: 'x', title: 't', phase: 'running', move: 1, moves: 4, scenario_time: '2027-03-01T06:00:00Z',
    start_time: '2027-03-01T00:00:00Z', move_length_hours: 6, seq: 5, viewer: 'team:USA', nations: [], attributions: [],
    objectives: [], nation: 'USA', chat: [], assets: [],
  };
}

function event(type: string, body: Record<string, unknown>): FeedEvent {
  return { seq: 6, at: '2027-03-01T06:00:00Z', scenario_time: '2027-03-01T06:00:00Z', move: 1, actor: 'team:USA', type, body };
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
    expect(applyEvent(v, e)).toBe(true);
    store.bump('seq', ...slicesOf(e.type));
    expect(v.chat?.[0]?.text).toBe('hello');
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

  it('a picture event for a team changes no view state (the picture is loaded into columns)', () => {
    const v = view();
    expect(applyEvent(v, event('picture_updated', { nation: 'USA', move: 1, tracks: [] }))).toBe(true);
    expect(v.picture).toBeUndefined();
    expect(slicesOf('picture_updated')).not.toContain('chat');
  });
});
