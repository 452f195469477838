// The move clock on the client: the countdown every page's header shows, the fold of the clock's
// events into the view (as domain/tempo_evolve.py folds them), and the notices they raise.
// The server's clock (protocol/views.py CommonView.clock): the time left is
// deadline_s - (elapsed_s + (running ? now - at : 0)) seconds.
import type { MoveClock, ProjectedEvent } from './generated/protocol';
import type { View } from './types';

export type CountdownState = 'none' | 'running' | 'paused' | 'due' | 'cleared';

export interface Countdown {
  state: CountdownState;
  /** Seconds left (0 once due; null without a deadline). */
  seconds: number | null;
  text: string;
  /** Within the last warning mark (or due): shown urgent. */
  urgent: boolean;
}

/** Seconds of running time left on `clock` at `nowMs` (null: no deadline). */
export function remainingSeconds(clock: MoveClock, nowMs: number): number | null {
  if (clock.deadline_s == null) return null;
  const elapsed = clock.elapsed_s ?? 0;
  const running = clock.running ?? true;
  const since = running ? Math.max(0, (nowMs - Date.parse(clock.at)) / 1000) : 0;
  return clock.deadline_s - (elapsed + since);
}

/** `1:05:09`, `12:34`, `0:07`: seconds left, rounded up, never negative. */
export function formatCountdown(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** What the header's countdown shows for a view's clock at `nowMs`. */
export function countdown(clock: MoveClock | null | undefined, nowMs: number): Countdown {
  if (!clock) return { state: 'none', seconds: null, text: '—', urgent: false };
  const left = remainingSeconds(clock, nowMs);
  if (left == null) return { state: 'cleared', seconds: null, text: 'no deadline', urgent: false };
  const marks = clock.warn_before_minutes ?? [];
  const lastMark = marks.length ? Math.min(...marks) * 60 : 0;
  if (left <= 0 || clock.passed) {
    const text = clock.on_deadline === 'advance' ? 'deadline: closing the move' : 'deadline passed';
    return { state: 'due', seconds: 0, text, urgent: true };
  }
  const running = clock.running ?? true;
  const text = running ? formatCountdown(left) : `${formatCountdown(left)} (paused)`;
  return { state: running ? 'running' : 'paused', seconds: left, text, urgent: left <= lastMark };
}

/** Fold a clock event into the view (true: it was one). A move that opens drops the clock of
 *  the move before (its own clock, if any, follows it). */
export function applyTempo(view: View, event: ProjectedEvent): boolean {
  const b = event.body as Record<string, unknown>;
  const clock = view.clock ?? null;
  switch (event.type) {
    case 'move_advanced':
      if (clock && clock.move !== b.move) delete view.clock;
      return false; // the move's own fold goes on
    case 'move_clock_set': {
      const keep = clock != null && clock.move === b.move && (b.change === 'paused' || b.change === 'resumed');
      view.clock = {
        move: Number(b.move),
        at: String(b.at),
        elapsed_s: Number(b.elapsed_s),
        running: Boolean(b.running),
        deadline_s: b.deadline_s == null ? null : Number(b.deadline_s),
        on_deadline: b.on_deadline === 'advance' ? 'advance' : 'alert',
        warn_before_minutes: (b.warn_before_minutes as number[] | undefined) ?? [],
        scenario_hours: Number(b.scenario_hours ?? 0),
        warned: keep && clock ? [...(clock.warned ?? [])] : [],
        passed: keep && clock ? Boolean(clock.passed) : false,
      };
      return true;
    }
    case 'deadline_warning': {
      if (!clock) return true;
      const mark = Number(b.mark_minutes);
      const marks = new Set([...(clock.warned ?? []), ...(clock.warn_before_minutes ?? []).filter((m) => m >= mark)]);
      clock.warned = [...marks].sort((x, y) => y - x);
      return true;
    }
    case 'deadline_passed':
      if (clock) clock.passed = true;
      return true;
    default:
      return false;
  }
}

/** The notice a clock event gives the seat (null: none). */
export function tempoNotice(event: ProjectedEvent): string | null {
  const b = event.body as Record<string, unknown>;
  switch (event.type) {
    case 'deadline_warning':
      return `Move ${b.move}: ${formatCountdown(Number(b.minutes_left) * 60)} left before the deadline`;
    case 'deadline_passed':
      return b.on_deadline === 'advance'
        ? `Move ${b.move}: the deadline passed; the move closes now`
        : `Move ${b.move}: the deadline passed; the white cell decides when the move closes`;
    case 'move_clock_set': {
      const why = b.reason ? ` (${b.reason})` : '';
      if (b.change === 'set') return `Move ${b.move}: a deadline was set${why}`;
      if (b.change === 'extended') return `Move ${b.move}: the deadline was extended${why}`;
      if (b.change === 'cleared') return `Move ${b.move}: the deadline was cleared${why}`;
      return null;
    }
    default:
      return null;
  }
}
