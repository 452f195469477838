// A played red cell's arsenal folds: counterspace_fired sets the weapon's uses fired, and the
// form's uses left counts this move's open orders; radiation_belt_formed applies for every seat.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply';
import type { ProjectedEvent, TeamView, View } from './generated/protocol';
import { usesLeft } from './ui/player/Counterspace';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8')) as {
  streams: Record<string, { start: View }>;
};

function redView(): TeamView {
  const view = structuredClone(recorded.streams['team:USA']!.start) as TeamView;
  view.phase = 'running';
  view.arsenal = [
    { id: 'da', name: 'DA-ASAT', type: 'direct_ascent_asat', site_lat_deg: 40, site_lon_deg: 100, magazine: 2, fired: 0 },
  ];
  return view;
}

function event(type: string, body: Record<string, unknown>): ProjectedEvent {
  return { at: '', scenario_time: '', move: 1, actor: 'white_cell', type, body } as ProjectedEvent;
}

describe('the red cell arsenal', () => {
  it('counts open orders and fired uses', () => {
    const view = redView();
    const weapon = view.arsenal![0]!;
    expect(usesLeft(view, weapon)).toBe(2);
    const order = { kind: 'counterspace', weapon_id: 'da', target: 'usa-isr-2' };
    expect(applyEvent(view, event('order_submitted', { order_id: 'O-1', nation: 'USA', order, reason: '' }), 1)).toBe(true);
    expect(usesLeft(view, weapon)).toBe(1);
    const fired = { order_id: 'O-1', nation: 'USA', weapon_id: 'da', weapon_name: 'DA-ASAT', target: 'usa-isr-2', inject_id: 'CS-O-1', uses_left: 1 };
    expect(applyEvent(view, event('counterspace_fired', fired), 2)).toBe(true);
    expect(view.arsenal![0]!.fired).toBe(1);
    view.orders = [];
    expect(usesLeft(view, view.arsenal![0]!)).toBe(1);
  });

  it('applies a radiation belt for a team and the observer', () => {
    const belt = event('radiation_belt_formed', { inject_id: 'nuke', move: 1, until_move: 7 });
    expect(applyEvent(redView(), belt, 1)).toBe(true);
    expect(applyEvent(structuredClone(recorded.streams['observer']!.start), belt, 1)).toBe(true);
  });
});
