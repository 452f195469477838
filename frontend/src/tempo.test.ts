import { describe, expect, it } from 'vitest';
import type { MoveClock, ProjectedEvent } from './generated/protocol';
import { applyTempo, countdown, formatCountdown, remainingSeconds, tempoNotice } from './tempo';
import type { View } from './types';

const AT = '2030-01-01T12:00:00Z';
const T0 = Date.parse(AT);
const clock = (over: Partial<MoveClock> = {}): MoveClock => ({
  move: 2, at: AT, elapsed_s: 600, running: true, deadline_s: 3600, on_deadline: 'advance',
  warn_before_minutes: [10, 2], scenario_hours: 1, warned: [], passed: false, ...over,
});
const event = (type: string, body: Record<string, unknown>): ProjectedEvent =>
  ({ at: AT, scenario_time: AT, move: 2, actor: 'white_cell', type, body }) as ProjectedEvent;

describe('formatCountdown', () => {
  it('gives minutes and seconds, hours when needed, rounded up and never negative', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(6.2)).toBe('0:07');
    expect(formatCountdown(754)).toBe('12:34');
    expect(formatCountdown(3909)).toBe('1:05:09');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

describe('countdown', () => {
  it('runs down from the clock’s time, and stops while paused', () => {
    expect(remainingSeconds(clock(), T0 + 60_000)).toBe(2940);
    expect(countdown(clock(), T0 + 60_000)).toEqual({ state: 'running', seconds: 2940, text: '49:00', urgent: false });
    const paused = countdown(clock({ running: false }), T0 + 3_600_000);
    expect(paused).toEqual({ state: 'paused', seconds: 3000, text: '50:00 (paused)', urgent: false });
  });
  it('is urgent within the last warning mark, and due at the deadline', () => {
    expect(countdown(clock(), T0 + (3000 - 100) * 1000).urgent).toBe(true);
    expect(countdown(clock(), T0 + 3000 * 1000)).toEqual({ state: 'due', seconds: 0, text: 'deadline: closing the move', urgent: true });
    expect(countdown(clock({ on_deadline: 'alert', passed: true }), T0).text).toBe('deadline passed');
  });
  it('shows nothing without a clock and says so when the deadline was cleared', () => {
    expect(countdown(null, T0).state).toBe('none');
    expect(countdown(clock({ deadline_s: null }), T0)).toEqual({ state: 'cleared', seconds: null, text: 'no deadline', urgent: false });
  });
});

describe('applyTempo', () => {
  it('folds the clock events as the server does, and a new move drops the old clock', () => {
    const view = { move: 2, clock: clock({ warned: [10] }) } as unknown as View;
    const paused = { move: 2, at: AT, change: 'paused', elapsed_s: 700, running: false, deadline_s: 3600, on_deadline: 'advance', warn_before_minutes: [10, 2], scenario_hours: 1.2, reason: 'paused' };
    expect(applyTempo(view, event('move_clock_set', paused))).toBe(true);
    expect(view.clock).toEqual(clock({ elapsed_s: 700, running: false, scenario_hours: 1.2, warned: [10] }));
    expect(applyTempo(view, event('move_clock_set', { ...paused, change: 'extended', running: true, reason: 'more time' }))).toBe(true);
    expect(view.clock?.warned).toEqual([]);
    applyTempo(view, event('deadline_warning', { move: 2, mark_minutes: 2, minutes_left: 1.5, deadline_at: AT }));
    expect(view.clock?.warned).toEqual([10, 2]);
    applyTempo(view, event('deadline_passed', { move: 2, on_deadline: 'advance' }));
    expect(view.clock?.passed).toBe(true);
    expect(applyTempo(view, event('move_advanced', { move: 3 }))).toBe(false);
    expect(view.clock).toBeUndefined();
  });
});

describe('tempoNotice', () => {
  it('tells the seat of warnings, the deadline and the white cell’s changes with their reason', () => {
    expect(tempoNotice(event('deadline_warning', { move: 2, minutes_left: 1.5 }))).toBe('Move 2: 1:30 left before the deadline');
    expect(tempoNotice(event('deadline_passed', { move: 2, on_deadline: 'alert' }))).toContain('white cell decides');
    expect(tempoNotice(event('move_clock_set', { move: 2, change: 'extended', reason: 'teams asked' }))).toBe(
      'Move 2: the deadline was extended (teams asked)',
    );
    expect(tempoNotice(event('move_clock_set', { move: 2, change: 'opened' }))).toBeNull();
  });
});
