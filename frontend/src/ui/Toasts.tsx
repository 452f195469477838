import { useEffect } from 'preact/hooks';
import { useSlices } from './common';

const INFO_MS = 5000;

/**
 * The latest notice (rejected command, server error, info) in one live region with
 * data-testid="toast"; earlier ones stay listed in the notice log.
 */
export function Toasts() {
  const store = useSlices('notices');
  const { notices } = store;
  const latest = notices[notices.length - 1];
  useEffect(() => {
    if (!latest || latest.kind !== 'info') return;
    const timer = window.setTimeout(() => store.dismiss(latest.id), INFO_MS);
    return () => window.clearTimeout(timer);
  }, [latest?.id]);
  return (
    <div class="toasts" aria-live="assertive" role="alert">
      {latest && (
        <div class={`toast toast-${latest.kind}`} data-testid="toast" data-kind={latest.kind}>
          <span data-testid="toast-text">{latest.text}</span>
          <button type="button" class="link" data-testid="toast-dismiss" aria-label="Dismiss" onClick={() => store.dismiss(latest.id)}>
            ×
          </button>
        </div>
      )}
      {notices.length > 1 && (
        <details class="notice-log">
          <summary>Earlier messages ({notices.length - 1})</summary>
          <ul data-testid="notice-log">
            {notices
              .slice(0, -1)
              .reverse()
              .map((n) => (
                <li key={n.id} class={`notice-${n.kind}`}>
                  {n.text}
                </li>
              ))}
          </ul>
        </details>
      )}
    </div>
  );
}
