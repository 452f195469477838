import type { Store } from '../store';
import { fmtUtc } from './common';

const CONNECTION_TEXT: Record<Store['connection'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  invalid: 'Link not valid',
  closed: 'Disconnected',
};

export function Header(props: { store: Store }) {
  const { welcome, view, connection, connectionDetail } = props.store;
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
        </div>
        <div>
          <dt>Scenario time</dt>
          <dd data-testid="scenario-time">{fmtUtc(view?.scenario_time)}</dd>
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
