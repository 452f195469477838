// The Zulip guarantee on the client: applying the events a seat received to its first snapshot
// gives the snapshot the server builds at the end. The streams are recorded from a tutorial game
// played with the real core (tests/protocol/test_view_fixtures.py writes fixtures/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply';
import type { ProjectedEvent, View } from './generated/protocol';
import { comparable } from './replay/foldCheck';

interface Stream {
  start: View;
  events: { pos: number; event: ProjectedEvent }[];
  end: View;
}

const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8')) as {
  streams: Record<string, Stream>;
};

describe('applying the recorded events to the first snapshot gives the last', () => {
  for (const [viewer, stream] of Object.entries(recorded.streams)) {
    it(viewer, () => {
      const view = structuredClone(stream.start);
      expect(stream.events.length).toBeGreaterThan(0);
      for (const { pos, event } of stream.events) {
        const applied = applyEvent(view, event, pos);
        expect(applied, `${viewer} could not apply ${event.type} at ${pos}`).toBe(true);
      }
      expect(comparable(view)).toEqual(comparable(stream.end));
    });
  }
});

describe('the recorded game covers what the client must fold', () => {
  it('has releases, withdrawals, forwards, chat, orders and two moves', () => {
    const types = new Set(Object.values(recorded.streams).flatMap((s) => s.events.map((e) => e.event.type)));
    for (const t of ['product_released', 'product_withdrawn', 'inject_forwarded', 'chat_posted', 'order_submitted', 'move_advanced']) {
      expect(types).toContain(t);
    }
    expect(recorded.streams['team:JPN']?.end.move).toBe(3);
  });
});

describe("control's head follows every event", () => {
  it('seq and last_hash move with events every seat applies alike (move_closing, exercise_started...)', () => {
    const stream = recorded.streams['white_cell']!;
    const view = structuredClone(stream.start);
    if (view.kind !== 'control') throw new Error('not a control view');
    const common = new Set<string>();
    for (const { pos, event } of stream.events) {
      applyEvent(view, event, pos);
      expect([view.seq, view.last_hash]).toEqual([event.seq, event.hash]);
      if (['move_closing', 'exercise_started', 'exercise_paused'].includes(event.type)) common.add(event.type);
    }
    expect(common.size).toBe(3);
  });
});
