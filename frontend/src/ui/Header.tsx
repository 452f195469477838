import type { ClosableView } from '../cards';
import type { Store } from '../store';
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
          <dd data-testid="phase-indicator" data-phase={view?.phase ?? ''} class={`phase phase-${view?.phase ?? 'none'}`}>
            {view?.phase ?? '—'}
          </dd>
          {(view as ClosableView | null)?.closing_move != null && (
            <dd class="muted small" data-testid="closing-indicator" role="status">
              adjudicating move {(view as ClosableView).closing_move}…
            </dd>
          )}
        </div>
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
