// The seat token arrives in the join link's fragment (#seat=TOKEN), never in a query string,
// so it is not sent to the server in the request line or in Referer headers.
const KEY = 'wargame.seat';

/** Read the token from the hash (storing it) or from sessionStorage; clear it from the URL. */
export function takeSeatToken(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = params.get('seat');
  if (fromHash) {
    try {
      sessionStorage.setItem(KEY, fromHash);
    } catch {
      /* storage disabled: the token only lives for this page */
    }
    params.delete('seat');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    return fromHash;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetSeatToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* ignore */
  }
}
