import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent, slicesOf } from './apply';
import type { ProjectedEvent } from './generated/protocol';
import type { TeamView } from './types';

/** USA's first snapshot of the recorded tutorial game, with one spare of its own. */
function view(): TeamView {
  const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8'));
  const v = recorded.streams['team:USA'].start as TeamView;
  v.responses!.spares = [
    { id: 'usa-spare', name: 'Spare', kind: 'payload', mission: 'ISR', lead_time_moves: 1, propellant_dv_m_per_s: 30, status: 'available', arrives_move: null },
  ];
  return v;
}

function event(type: string, body: Record<string, unknown>, move = 1): ProjectedEvent {
  return { at: '2027-03-01T06:00:00Z', scenario_time: '2027-03-01T06:00:00+00:00', move, actor: 'white_cell', type, body };
}

describe('response events fold into the team view', () => {
  it('a spare is activated, arrives among the assets, and each outcome is noted with its reason', () => {
    const v = view();
    const activated = event('spare_activated', { spare_id: 'usa-spare', owner: 'USA', arrives_move: 2, explanation: 'spare usa-spare activated' });
    expect(applyEvent(v, activated, 1)).toBe(true);
    expect(v.responses!.spares[0]).toMatchObject({ status: 'activated', arrives_move: 2 });
    const arrived = event('spare_arrived', {
      spare_id: 'usa-spare', owner: 'USA', name: 'Spare', kind: 'payload', mission: 'ISR', propellant_dv_m_per_s: 30, explanation: 'spare usa-spare entered play',
    });
    expect(applyEvent(v, arrived, 2)).toBe(true);
    expect(v.assets.find((a) => a.id === 'usa-spare')).toMatchObject({ name: 'Spare', mission: 'ISR', status: 'nominal', propellant_dv_m_per_s: 30 });
    expect(v.responses!.notes.map((n) => [n.kind, n.text, n.nation])).toEqual([
      ['spare_activated', 'spare usa-spare activated', 'USA'],
      ['spare_arrived', 'spare usa-spare entered play', 'USA'],
    ]);
    expect(slicesOf('spare_arrived')).toEqual(['responses', 'assets']);
  });

  it('a DIME response is a public note with its deterrence; the escalation card takes the new level and reasons', () => {
    const v = view();
    const dime = event('dime_taken', {
      nation: 'GBR', instrument: 'sanctions', target_nation: 'RED', text: '', escalation_delta: 0.25, deterrence_factor: 0.85,
      from_move: 2, until_move: 3, explanation: 'GBR sanctions against RED',
    });
    expect(applyEvent(v, dime, 1)).toBe(true);
    expect(v.responses!.deterrence).toEqual([{ nation: 'GBR', instrument: 'sanctions', target_nation: 'RED', factor: 0.85, from_move: 2, until_move: 3 }]);
    expect(v.responses!.notes.at(-1)).toEqual({ nation: null, move: 1, kind: 'dime_taken', text: 'GBR sanctions against RED' });
    const escalated = event('escalation_changed', {
      move: 1, score: 1.25, level: 1, name: 'grey zone', previous_score: 1, reasons: ['GBR sanctions against RED: +0.25'], credibility: { USA: 1, GBR: 1, JPN: 1 },
    });
    expect(applyEvent(v, escalated, 2)).toBe(true);
    expect(v.responses!.escalation).toEqual({ level: 1, name: 'grey zone', score: 1.25, reasons: ['GBR sanctions against RED: +0.25'], credibility: { USA: 1, GBR: 1, JPN: 1 } });
  });
});
