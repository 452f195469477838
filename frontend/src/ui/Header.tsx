import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../store';
import { countdown } from '../tempo';
import type { View } from '../types';
import { fmtUtc, useSlices } from './common';

const CONNECTION_TEXT: Record<Store['connection'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  invalid: 'Link not valid',
  closed: 'Disconnected',
};

/** How a seat is named in the presence list: `team:USA` -> `USA`, `white_cell` -> `White cell`. */
export function seatName(viewer: string): string {
  if (viewer.startsWith('team:')) return viewer.slice('team:'.length);
  const words = viewer.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The phase text while a move is being adjudicated (move_closing). */
function closingText(move: number): string {
  return move === 0 ? 'starting…' : `adjudicating move ${move}…`;
}

/** The open move's deadline, counted down every second (its clock: view.clock). */
function Deadline({ view }: { view: View | null }) {
  const [now, setNow] = useState(() => Date.now());
  const clock = view?.clock ?? null;
  useEffect(() => {
    if (!clock) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [clock]);
  const shown = countdown(clock, now);
  if (shown.state === 'none') return null;
  return (
    <div>
      <dt>Deadline</dt>
      <dd
        data-testid="deadline-countdown"
        data-state={shown.state}
        class={`deadline deadline-${shown.state}${shown.urgent ? ' deadline-urgent' : ''}`}
        title={clock?.on_deadline === 'advance' ? 'The move closes by itself at the deadline' : 'The white cell is told when the deadline passes'}
        role="timer"
      >
        {shown.text}
      </dd>
    </div>
  );
}

export function Header() {
  const { welcome, view, connection, connectionDetail, online } = useSlices('session', 'meta', 'presence');
  return (
    <header class="topbar">
      <div class="title">
        <h1 data-testid="exercise-title">{view?.title ?? 'Space crisis exercise'}</h1>
        {welcome && (
          <span class="seat" data-testid="seat-label">
            {welcome.label || welcome.viewer}
            <span class="role"> · {welcome.role.replace('_', ' ')}</span>
          </span>
        )}
      </div>
      <dl class="facts">
        <div>
          <dt>Move</dt>
          <dd data-testid="move-indicator">{view ? `Move ${view.move} / ${view.moves}` : '—'}</dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd
            data-testid="phase-indicator"
            data-phase={view?.phase ?? ''}
            data-closing={view?.closing_move ?? ''}
            class={`phase phase-${view?.phase ?? 'none'}`}
            title={view?.closing_move != null ? 'Orders, taskings and releases wait until the next move opens' : undefined}
          >
            {view?.closing_move != null ? closingText(view.closing_move) : (view?.phase ?? '—')}
          </dd>
        </div>
        <Deadline view={view} />
        <div>
          <dt>Scenario time</dt>
          <dd data-testid="scenario-time">{fmtUtc(view?.scenario_time)}</dd>
        </div>
        <div>
          <dt>Online</dt>
          <dd data-testid="presence" data-count={online.length} title="Seats heard from recently (that this seat may see)">
            {online.length === 0
              ? '—'
              : online.map((viewer, i) => (
                  <span key={viewer} data-viewer={viewer}>
                    {i > 0 ? ', ' : ''}
                    {seatName(viewer)}
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>Link</dt>
          <dd
            data-testid="connection-state"
            data-state={connection}
            class={`conn conn-${connection}`}
            role="status"
            aria-live="polite"
            title={connectionDetail}
          >
            {CONNECTION_TEXT[connection]}
          </dd>
        </div>
      </dl>
    </header>
  );
}
