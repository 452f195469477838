// Sorting, filtering and searching a columnar picture without building row objects: sort keys
// are numeric arrays (strings ranked once per picture), filters test strings and dictionary codes.
import { type Picture } from './columns';

export type SortKey = 'name' | 'owner' | 'mission' | 'regime' | 'sigma_km' | 'source' | 'contributors' | 'lat_deg' | 'lon_deg' | 'alt_km';
export type SortDir = 1 | -1;

export interface PictureQuery {
  filter: string;
  sort: SortKey;
  dir: SortDir;
}

const NUMERIC: Partial<Record<SortKey, string>> = { sigma_km: 'sigma_km', lat_deg: 'lat', lon_deg: 'lon', alt_km: 'alt_km' };

const cache = new WeakMap<Picture, { keys: Map<SortKey, Float64Array>; idLower?: string[]; nameLower?: string[] }>();
function entry(picture: Picture) {
  let e = cache.get(picture);
  if (!e) {
    e = { keys: new Map() };
    cache.set(picture, e);
  }
  return e;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The text shown in the Mission column: the mission, else the kind when it is not a payload. */
export function missionText(picture: Picture, i: number): string {
  const m = picture.dictionaries.mission[picture.numbers.mission?.values[i] ?? 0] ?? '';
  if (m) return m;
  const k = picture.dictionaries.kind[picture.numbers.kind?.values[i] ?? 0] ?? '';
  return k && k !== 'payload' && k !== 'unknown' ? k.replace('_', ' ') : '';
}

/** Rank of each row's text (equal texts share a rank), from a per-row text function. */
function rankRows(n: number, text: (i: number) => string): Float64Array {
  const unique = new Map<string, number>();
  const codes = new Uint32Array(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = text(i);
    let c = unique.get(t);
    if (c === undefined) {
      c = labels.length;
      labels.push(t);
      unique.set(t, c);
    }
    codes[i] = c;
  }
  const order = labels.map((_, k) => k).sort((a, b) => compareText(labels[a] ?? '', labels[b] ?? ''));
  const rankOf = new Float64Array(labels.length);
  order.forEach((code, rank) => (rankOf[code] = rank));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rankOf[codes[i] ?? 0] ?? 0;
  return out;
}

/** A numeric sort key per row (cached per picture and key). */
export function sortKeys(picture: Picture, key: SortKey): Float64Array {
  const e = entry(picture);
  const known = e.keys.get(key);
  if (known) return known;
  const n = picture.rows;
  let keys: Float64Array;
  const numeric = NUMERIC[key];
  if (numeric) {
    const c = picture.numbers[numeric];
    keys = Float64Array.from(c ? c.values : new Float64Array(n));
  } else if (key === 'name') {
    keys = rankRows(n, (i) => (picture.name[i] ?? '').toLowerCase());
  } else if (key === 'mission') {
    keys = rankRows(n, (i) => missionText(picture, i).toLowerCase() || '\uffff');
  } else if (key === 'contributors') {
    const dict = picture.dictionaries.contributors.map((c) => c.join(','));
    const c = picture.numbers.contributors;
    keys = rankRows(n, (i) => dict[c?.values[i] ?? 0] || '\uffff');
  } else {
    const dict = picture.dictionaries[key as 'owner' | 'regime' | 'source'];
    const c = picture.numbers[key];
    // Unknown ('') sorts last, as a dash does.
    keys = rankRows(n, (i) => (dict[c?.values[i] ?? 0] ?? '').toLowerCase() || '\uffff');
  }
  e.keys.set(key, keys);
  return keys;
}

function lowered(picture: Picture): { ids: string[]; names: string[] } {
  const e = entry(picture);
  e.idLower ??= picture.objectId.map((s) => s.toLowerCase());
  e.nameLower ??= picture.name.map((s) => s.toLowerCase());
  return { ids: e.idLower, names: e.nameLower };
}

/** Which codes of a dictionary match the query text. */
function matchingCodes(labels: string[], q: string): Uint8Array {
  const out = new Uint8Array(Math.max(labels.length, 1));
  labels.forEach((l, k) => (out[k] = l.toLowerCase().includes(q) ? 1 : 0));
  return out;
}

/** Rows whose id, name, owner, mission or kind, regime or source contains the text (all when blank). */
export function filterRows(picture: Picture, text: string): Uint32Array {
  const q = text.trim().toLowerCase();
  const n = picture.rows;
  if (!q) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const { ids, names } = lowered(picture);
  const dictColumns = (['owner', 'mission', 'kind', 'regime', 'source'] as const)
    .map((name) => ({ codes: matchingCodes(picture.dictionaries[name], q), values: picture.numbers[name]?.values }))
    .filter((d) => d.values && d.codes.some((x) => x === 1));
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let hit = (ids[i] ?? '').includes(q) || (names[i] ?? '').includes(q);
    for (let d = 0; !hit && d < dictColumns.length; d++) {
      const col = dictColumns[d]!;
      hit = col.codes[col.values![i] ?? 0] === 1;
    }
    if (hit) out[m++] = i;
  }
  return out.slice(0, m);
}

/** The given rows sorted by the query's key (a new array; ties by object id, i.e. row order). */
export function sortRows(picture: Picture, rows: Uint32Array, query: PictureQuery): Uint32Array {
  const keys = sortKeys(picture, query.sort);
  const dir = query.dir;
  return Uint32Array.from(rows).sort((a, b) => ((keys[a] ?? 0) - (keys[b] ?? 0)) * dir || a - b);
}

/** The rows of the query: filtered, then sorted. */
export function queryRows(picture: Picture, query: PictureQuery): Uint32Array {
  return sortRows(picture, filterRows(picture, query.filter), query);
}

/**
 * Tracks whose id or name contains the text, best first: exact, then prefix, then anywhere;
 * at most `limit`. Scans lowered strings once (50,000 rows in a few milliseconds).
 */
export function searchTracks(picture: Picture, text: string, limit = 12): number[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const { ids, names } = lowered(picture);
  const exact: number[] = [];
  const prefix: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < picture.rows; i++) {
    const id = ids[i] ?? '';
    const name = names[i] ?? '';
    if (id === q || name === q) exact.push(i);
    else if (id.startsWith(q) || name.startsWith(q)) prefix.length < limit && prefix.push(i);
    else if (inside.length < limit && (id.includes(q) || name.includes(q))) inside.push(i);
  }
  return [...exact, ...prefix, ...inside].slice(0, limit);
}
