// HTTP calls to the server, authenticated with the seat token as a bearer token.
import { asEvent } from './parse';
import type { FeedEvent } from './types';

let token = '';
export function setApiToken(value: string): void {
  token = value;
}

async function get(path: string, cache: RequestCache = 'no-store'): Promise<Response> {
  const res = await fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache });
  if (!res.ok) {
    let detail = '';
    try {
      detail = (await res.text()).slice(0, 300);
    } catch {
      /* ignore */
    }
    throw new Error(`${path.split('?')[0]}: HTTP ${res.status}${detail ? ' — ' + detail : ''}`);
  }
  return res;
}

export const LOG_PAGE = 500;

/**
 * Load the whole projected log after `after`, in pages; `onPage` sees each page as it arrives.
 * The server answers {events, next_after, last_seq}; a seat sees a subset of seqs, so the cursor
 * is next_after when given (else the highest seq received). Returns the final cursor.
 */
export async function loadLog(after: number, onPage: (events: FeedEvent[], lastSeq: number) => void): Promise<number> {
  let cursor = after;
  for (let page = 0; page < 10_000; page++) {
    const res = await get(`/api/log?after=${cursor}&limit=${LOG_PAGE}`);
    const data = (await res.json()) as { events?: unknown[]; last_seq?: unknown; next_after?: unknown };
    const events = (Array.isArray(data.events) ? data.events : [])
      .map((e) => (typeof e === 'object' && e !== null ? asEvent(e as Record<string, unknown>) : null))
      .filter((e): e is FeedEvent => e !== null);
    const lastSeq = typeof data.last_seq === 'number' ? data.last_seq : cursor;
    onPage(events, lastSeq);
    const maxSeq = events.reduce((m, e) => Math.max(m, e.seq), cursor);
    const next = typeof data.next_after === 'number' ? Math.max(data.next_after, maxSeq) : maxSeq;
    if (next <= cursor) return cursor; // no progress: done
    cursor = next;
    if (cursor >= lastSeq || (events.length < LOG_PAGE && typeof data.next_after !== 'number')) return cursor;
  }
  return cursor;
}

/** Download the after-action report through fetch + Blob (the token never goes into a URL). */
export async function downloadAar(format: 'json' | 'md', exerciseId: string): Promise<void> {
  const res = await get(`/api/aar?format=${format}`);
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : `aar-${exerciseId || 'exercise'}.${format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Monte Carlo preview of an MSEL inject (or, without one, of the open move): white cell only. */
export async function fetchPreview(injectId: string | null, samples: number): Promise<Record<string, unknown>> {
  const query = `samples=${samples}` + (injectId ? `&inject=${encodeURIComponent(injectId)}` : '');
  const res = await get(`/api/preview?${query}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Our picture after `move` (latest when null) as the binary resource `wargame.picture/1`;
 * `truth` (control) asks for ground truth. Responses are immutable per URL, so the HTTP cache may
 * answer. An error answer (JSON `{code, message}`) becomes an Error naming the status.
 */
export async function fetchPicture(move: number | null, truth = false): Promise<ArrayBuffer> {
  const query = [move === null ? '' : `move=${move}`, truth ? 'truth=1' : ''].filter(Boolean).join('&');
  const res = await get(`/api/picture${query ? '?' + query : ''}`, 'default');
  const type = res.headers.get('Content-Type') ?? '';
  if (type && !type.startsWith('application/vnd.wargame.picture') && !type.startsWith('application/octet-stream')) {
    throw new Error(`/api/picture answered ${type}, not a picture`);
  }
  return res.arrayBuffer();
}
