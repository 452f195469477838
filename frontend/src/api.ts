// HTTP calls to the server, authenticated with the seat token as a bearer token.
import type { Guides } from './evaluation';
import { parseReplay, type ReplayDocument } from './replay/document';

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

/** An after-action report export: JSON, Markdown, the HSEEP AAR/IP (docx) or its improvement plan (xlsx). */
export type AarFormat = 'html' | 'json' | 'md' | 'docx' | 'xlsx' | 'jsonl' | 'csv';

/** Download the after-action report, or (jsonl, csv) the raw log with every hash. */
export function downloadAar(format: AarFormat, exerciseId: string): Promise<void> {
  const name = exerciseId || 'exercise';
  if (format === 'jsonl' || format === 'csv') return download(`/api/log/export?format=${format}`, `log-${name}.${format}`);
  return download(`/api/aar?format=${format}`, `aar-${name}.${format}`);
}

/** The after-action report as JSON, as `viewer` saw it (default: this seat). */
export async function fetchReport(viewer?: string): Promise<Record<string, unknown>> {
  const query = 'format=json' + (viewer ? `&viewer=${encodeURIComponent(viewer)}` : '');
  const res = await get(`/api/aar?${query}`);
  return (await res.json()) as Record<string, unknown>;
}

/** What the grouped timeline is asked for: whose view, and the filters applied before grouping. */
export interface TimelineQuery {
  viewer: string;
  type?: string;
  actor?: string;
  move?: string;
}

/** The AAR timeline as a seat saw it, grouped for people (GET /api/timeline). */
export async function fetchTimeline(query: TimelineQuery): Promise<unknown> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, String(value));
  const res = await get(`/api/timeline?${params.toString()}`);
  return res.json();
}

/** The Exercise Evaluation Guides (control seats): one form per objective with its critical tasks. */
export async function fetchGuides(): Promise<Guides> {
  const res = await get('/api/eeg');
  return (await res.json()) as Guides;
}

/** Download the Exercise Evaluation Guides as a Word document. */
export function downloadGuides(exerciseId: string): Promise<void> {
  return download('/api/eeg?format=docx', `eeg-${exerciseId || 'exercise'}.docx`);
}

/** Download a conjunction warning this seat holds as a CCSDS CDM (KVN text); control may name
 *  whose copy (`forNation`). */
export function downloadCdm(warningId: string, forNation?: string): Promise<void> {
  const query = `warning=${encodeURIComponent(warningId)}` + (forNation ? `&for=${encodeURIComponent(forNation)}` : '');
  return download(`/api/cdm?${query}`, `${warningId}.cdm`);
}

/** The files a picture exports as: its track table, or its estimated orbits as CCSDS OMM. */
export type PictureExportFormat = 'csv' | 'omm-json' | 'omm-kvn' | 'omm-xml';
export const PICTURE_EXPORTS: { format: PictureExportFormat; label: string; suffix: string }[] = [
  { format: 'csv', label: 'CSV', suffix: 'csv' },
  { format: 'omm-json', label: 'OMM JSON', suffix: 'json' },
  { format: 'omm-kvn', label: 'OMM KVN', suffix: 'omm' },
  { format: 'omm-xml', label: 'OMM XML', suffix: 'xml' },
];

/** The URL of a picture as a file (`/api/picture?format=...`): this seat's picture after `move`,
 *  or (control) that nation's. OMM is of the latest picture only: the server answers 409 otherwise. */
export function pictureExportUrl(format: PictureExportFormat, move: number, nation?: string | null): string {
  const params = new URLSearchParams({ move: String(move), format });
  if (nation) params.set('nation', nation);
  return `/api/picture?${params.toString()}`;
}

/** Download a picture as a file, with the seat token in the header (never in the URL). */
export function downloadPicture(format: PictureExportFormat, move: number, nation?: string | null): Promise<void> {
  const suffix = PICTURE_EXPORTS.find((e) => e.format === format)?.suffix ?? format;
  return download(pictureExportUrl(format, move, nation), `picture-${nation ?? 'own'}-move${move}.${suffix}`);
}

/** Monte Carlo preview of an MSEL inject (or, without one, of the open move): white cell only. */
export async function fetchPreview(injectId: string | null, samples: number): Promise<Record<string, unknown>> {
  const query = `samples=${samples}` + (injectId ? `&inject=${encodeURIComponent(injectId)}` : '');
  const res = await get(`/api/preview?${query}`);
  return (await res.json()) as Record<string, unknown>;
}

/** One value-of-sharing analysis as GET /api/sharing-analysis lists it. */
export interface SharingAnalysisStatus {
  analysis_id: string;
  requested_seq: number;
  through_seq: number;
  variants: { kind: string; nation?: string | null }[];
  per_release: boolean;
  phase: 'requested' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  step: string;
  result_seq?: number | null;
  reason: string;
}

/** A nation's figures of one move under one variant (or their deltas), by metric name. */
export type SharingFigures = Record<string, number | null>;

/** The latest result's tables (aar/sharing_value.py value_of). */
export interface SharingValueTables {
  analysis_id: string;
  seq: number;
  through_seq: number;
  exact: boolean;
  mismatch: string;
  nations: string[];
  moves: number[];
  metrics: Record<string, string>;
  variants: { key: string; label: string; kind: string; nation: string | null; from_move: number | null }[];
  outcomes: Record<string, Record<string, Record<string, SharingFigures>>>;
  deltas: Record<string, Record<string, Record<string, SharingFigures>>>;
  totals: Record<string, Record<string, SharingFigures>>;
  bought: { product_id: string | null; nation: string | null; kind: string | null; move: number | null; value: Record<string, SharingFigures> }[];
  withholding_cost: { variant: string; label: string; nation: string | null; cost: Record<string, SharingFigures> }[];
  review_cost: Record<string, SharingFigures> | null;
}

export interface SharingAnalysisView {
  analyses: SharingAnalysisStatus[];
  latest: SharingValueTables | null;
  nations: string[];
}

/** The value-of-sharing analyses of this exercise (control seats). */
export async function fetchSharingAnalysis(): Promise<SharingAnalysisView> {
  const res = await get('/api/sharing-analysis');
  return (await res.json()) as SharingAnalysisView;
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
