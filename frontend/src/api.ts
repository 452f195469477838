// HTTP calls to the server, authenticated with the seat token as a bearer token.
import { asEvent } from './parse';
import { parseReplay, type ReplayDocument } from './replay/document';
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
 * Load this seat's stream after position `after`, in pages: the server answers
 * `{events: [{pos, event}], next_after, last_pos}` (control seats' positions are the log's seqs).
 * `onPage` sees each page as it arrives. Returns the last position loaded.
 */
export async function loadLog(after: number, onPage: (events: FeedEvent[], lastPos: number) => void): Promise<number> {
  let cursor = after;
  for (let page = 0; page < 10_000; page++) {
    const res = await get(`/api/log?after=${cursor}&limit=${LOG_PAGE}`);
    const data = (await res.json()) as { events?: unknown[]; last_pos?: unknown; next_after?: unknown };
    const events: FeedEvent[] = [];
    for (const item of Array.isArray(data.events) ? data.events : []) {
      const entry = item as { pos?: unknown; event?: unknown };
      const event = asEvent(entry?.event);
      if (event && typeof entry.pos === 'number') events.push({ pos: entry.pos, event });
    }
    const lastPos = typeof data.last_pos === 'number' ? data.last_pos : cursor;
    onPage(events, lastPos);
    const next = typeof data.next_after === 'number' ? data.next_after : events.reduce((m, e) => Math.max(m, e.pos), cursor);
    if (next <= cursor) return cursor; // no progress: done
    cursor = next;
    if (cursor >= lastPos) return cursor;
  }
  return cursor;
}

/** Save what `path` answers as a file named by its Content-Disposition (or `fallback`), through
 *  fetch + Blob: the token travels in a header, never in a URL. */
async function download(path: string, fallback: string): Promise<void> {
  const res = await get(path);
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallback;
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

/** Download the after-action report. */
export function downloadAar(format: 'json' | 'md', exerciseId: string): Promise<void> {
  return download(`/api/aar?format=${format}`, `aar-${exerciseId || 'exercise'}.${format}`);
}

/** Download a conjunction warning this seat holds as a CCSDS CDM (KVN text); control may name
 *  whose copy (`forNation`). */
export function downloadCdm(warningId: string, forNation?: string): Promise<void> {
  const query = `warning=${encodeURIComponent(warningId)}` + (forNation ? `&for=${encodeURIComponent(forNation)}` : '');
  return download(`/api/cdm?${query}`, `${warningId}.cdm`);
}

/** Monte Carlo preview of an MSEL inject (or, without one, of the open move): white cell only. */
export async function fetchPreview(injectId: string | null, samples: number): Promise<Record<string, unknown>> {
  const query = `samples=${samples}` + (injectId ? `&inject=${encodeURIComponent(injectId)}` : '');
  const res = await get(`/api/preview?${query}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A seat's view at a point of the exercise (`/api/replay`, white cell and facilitators). */
export async function fetchReplay(viewer: string, at: number): Promise<ReplayDocument> {
  const res = await get(`/api/replay?viewer=${encodeURIComponent(viewer)}&at=${at}`);
  const doc = parseReplay(await res.json());
  if (!doc) throw new Error('/api/replay: the answer is not a replay');
  return doc;
}

/**
 * A picture resource (`wargame.picture/1`) at the URL a view names (`/api/picture?move=M...`).
 * Responses are immutable per URL, so the HTTP cache may answer. An error answer (JSON
 * `{code, message}`) becomes an Error naming the status.
 */
export async function fetchPicture(url: string): Promise<ArrayBuffer> {
  if (!url.startsWith('/api/picture')) throw new Error(`not a picture resource: ${url}`);
  const res = await get(url, 'default');
  const type = res.headers.get('Content-Type') ?? '';
  if (type && !type.startsWith('application/vnd.wargame.picture') && !type.startsWith('application/octet-stream')) {
    throw new Error(`/api/picture answered ${type}, not a picture`);
  }
  return res.arrayBuffer();
}
