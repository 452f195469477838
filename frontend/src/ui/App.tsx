import { forgetSeatToken } from '../token';
import { useSlices } from './common';
import { EvaluatorPage } from './evaluator/EvaluatorPage';
import { FacilitatorPage } from './facilitator/FacilitatorPage';
import { Header } from './Header';
import { MarkingBanner } from './Marking';
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

/** Before the first snapshot: what the page is waiting for, or why it cannot load. */
function LoadingPage(props: { connection: string; welcomed: boolean; detail: string; error: string }) {
  const step = !props.welcomed
    ? props.connection === 'reconnecting'
      ? 'Cannot reach the server; retrying…'
      : 'Connecting to the exercise server…'
    : 'Joining the exercise…';
  return (
    <main class="message-page" data-testid="loading">
      {props.error ? (
        <>
          <h1>The exercise cannot be shown yet</h1>
          <p class="form-error" role="alert" data-testid="load-error">
            {props.error}
          </p>
          <p class="muted small">{step}</p>
        </>
      ) : (
        <>
          <p>{step}</p>
          {props.detail && <p class="muted small">{props.detail}</p>}
        </>
      )}
    </main>
  );
}

/**
 * The page frame. It re-renders only on session changes (welcome, connection, a new snapshot);
 * panels below subscribe to their own slices of the store.
 */
export function App() {
  const store = useSlices('session');
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
    body = <LoadingPage connection={connection} welcomed={welcome !== null} detail={store.connectionDetail} error={store.loadError} />;
  } else {
    // The page follows the kind of view the server sent (a seat the server shows as an observer
    // gets the observer's page whatever its role says).
    if (view.kind === 'team') body = <PlayerPage />;
    else if (view.kind === 'control') {
      if (welcome.role === 'white_cell') body = <WhiteCellPage />;
      else if (welcome.role === 'evaluator') body = <EvaluatorPage exerciseId={view.exercise_id} />;
      else body = <FacilitatorPage exerciseId={view.exercise_id} />;
    }
    else body = <ObserverPage />;
  }
  const marking = view?.marking.trim() ?? '';
  return (
    <div class={`app role-${welcome?.role ?? 'none'}`}>
      <MarkingBanner marking={marking} position="top" />
      <Header />
      {connection !== 'connected' && view && (
        <div class="banner" role="status" data-testid="stale-banner">
          Connection lost — showing the last known state; reconnecting…
        </div>
      )}
      <Toasts />
      {body}
      <MarkingBanner marking={marking} position="bottom" />
    </div>
  );
}
