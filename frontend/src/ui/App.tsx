import { forgetSeatToken } from '../token';
import { useStore } from './common';
import { FacilitatorPage } from './facilitator/FacilitatorPage';
import { Header } from './Header';
import { ObserverPage } from './ObserverPage';
import { PlayerPage } from './player/PlayerPage';
import { Toasts } from './Toasts';
import { WhiteCellPage } from './control/WhiteCellPage';

export function NoTokenPage() {
  return (
    <main class="message-page" data-testid="no-token">
      <h1>Open your join link</h1>
      <p>
        This page needs the personal join link your exercise organiser sent you. It looks like{' '}
        <code>https://server/play/#seat=…</code>. Open that link (not this address) to join your seat.
      </p>
    </main>
  );
}

function InvalidLinkPage(props: { detail: string }) {
  return (
    <main class="message-page" data-testid="invalid-link">
      <h1>This link is not valid or was revoked</h1>
      <p>{props.detail || 'The server refused this join link.'}</p>
      <p>Ask the white cell for a new join link, then open it.</p>
      <button
        type="button"
        data-testid="forget-link"
        onClick={() => {
          forgetSeatToken();
          location.reload();
        }}
      >
        Forget this link
      </button>
    </main>
  );
}

export function App() {
  const store = useStore();
  const { welcome, view, connection } = store;
  if (connection === 'invalid') {
    return (
      <>
        <InvalidLinkPage detail={store.connectionDetail} />
        <span class="sr-only" data-testid="connection-state" data-state="invalid">
          Link not valid
        </span>
      </>
    );
  }
  let body;
  if (!welcome || !view) {
    body = (
      <main class="message-page" data-testid="loading">
        <p>{connection === 'reconnecting' ? 'Cannot reach the server; retrying…' : 'Joining the exercise…'}</p>
        {store.connectionDetail && <p class="muted small">{store.connectionDetail}</p>}
      </main>
    );
  } else {
    switch (welcome.role) {
      case 'player':
        body = <PlayerPage view={view} />;
        break;
      case 'white_cell':
        body = <WhiteCellPage view={view} store={store} />;
        break;
      case 'facilitator':
        body = <FacilitatorPage view={view} store={store} />;
        break;
      default:
        body = <ObserverPage view={view} />;
    }
  }
  return (
    <div class={`app role-${welcome?.role ?? 'none'}`}>
      <Header store={store} />
      {connection !== 'connected' && view && (
        <div class="banner" role="status" data-testid="stale-banner">
          Connection lost — showing the last known state; reconnecting…
        </div>
      )}
      <Toasts store={store} />
      {body}
    </div>
  );
}
