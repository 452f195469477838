// A picture (a seat's SSA picture or control's ground truth) held as columns: typed arrays,
// string arrays and dictionaries, exactly those of the binary format `wargame.picture/1`
// (see docs/protocol.md). No per-row objects: tables, the map and search read the columns.

export type NumericType = 'u8' | 'u16' | 'i16' | 'u32' | 'f32';
export type ColumnType = NumericType | 'str';
export type TypedColumn = Uint8Array | Uint16Array | Int16Array | Uint32Array | Float32Array;

export const FORMAT = 'wargame.picture/1';

/** Bytes per element of each numeric column type. */
export const TYPE_BYTES: Record<NumericType, number> = { u8: 1, u16: 2, i16: 2, u32: 4, f32: 4 };

/** A numeric column: its raw values and the factor that turns them into units (1 when absent). */
export interface NumericColumn {
  type: NumericType;
  values: TypedColumn;
  scale: number;
}

export interface PictureDictionaries {
  source: string[];
  regime: string[];
  kind: string[];
  mission: string[];
  owner: string[];
  contributors: string[][];
  status: string[];
}

export type PictureKind = 'picture' | 'truth';

/** Every numeric column a picture of each kind must carry, with its type. */
export const NUMERIC_COLUMNS: Record<PictureKind, Record<string, NumericType>> = {
  picture: {
    owner: 'u8',
    kind: 'u8',
    mission: 'u8',
    regime: 'u8',
    source: 'u8',
    contributors: 'u16',
    sigma_km: 'f32',
    age_min: 'u16',
    delayed: 'u8',
    lat: 'i16',
    lon: 'i16',
    alt_km: 'u16',
  },
  truth: {
    owner: 'u8',
    kind: 'u8',
    mission: 'u8',
    regime: 'u8',
    status: 'u8',
    decayed: 'u8',
    lat: 'i16',
    lon: 'i16',
    alt_km: 'u16',
  },
};

/** Dictionary-coded columns: the column holds an index into the dictionary of the same name. */
export const DICTIONARY_COLUMNS = ['owner', 'kind', 'mission', 'regime', 'source', 'contributors', 'status'] as const;
export type DictionaryName = (typeof DICTIONARY_COLUMNS)[number];

/** `age_min` of a track never observed (catalog only). */
export const NEVER_OBSERVED = 65535;
export const LAT_SCALE = 90 / 32767;
export const LON_SCALE = 180 / 32767;

export interface Picture {
  kind: PictureKind;
  nation: string | null;
  move: number;
  epoch: string;
  previousEpoch: string | null;
  rows: number;
  objectId: string[];
  name: string[];
  /** Numeric columns by name (`lat`, `lon`, `sigma_km`, ...). */
  numbers: Record<string, NumericColumn>;
  dictionaries: PictureDictionaries;
}

/** A numeric column that the decoder or converter guaranteed to be present. */
export function column(picture: Picture, name: string): NumericColumn {
  const c = picture.numbers[name];
  if (!c) throw new Error(`picture has no column ${name}`);
  return c;
}

/** The value of a numeric column at row i, in units (value * scale). */
export function valueAt(c: NumericColumn, i: number): number {
  return (c.values[i] ?? 0) * c.scale;
}

/** The dictionary label of a dictionary-coded column at row i ('' for unknown). */
export function labelAt(picture: Picture, name: Exclude<DictionaryName, 'contributors'>, i: number): string {
  const c = picture.numbers[name];
  if (!c) return '';
  return picture.dictionaries[name][c.values[i] ?? 0] ?? '';
}

export function contributorsAt(picture: Picture, i: number): string[] {
  const c = picture.numbers.contributors;
  if (!c) return [];
  return picture.dictionaries.contributors[c.values[i] ?? 0] ?? [];
}

/** Row index by object id, built once per picture. */
const rowIndexes = new WeakMap<Picture, Map<string, number>>();
export function rowOf(picture: Picture, objectId: string): number {
  let index = rowIndexes.get(picture);
  if (!index) {
    index = new Map();
    for (let i = 0; i < picture.rows; i++) index.set(picture.objectId[i] ?? '', i);
    rowIndexes.set(picture, index);
  }
  return index.get(objectId) ?? -1;
}

/** Tracks held by source (dictionary order), for the count line. */
export function countBySource(picture: Picture): { source: string; count: number }[] {
  const c = picture.numbers.source;
  if (!c) return [];
  const counts = new Array<number>(picture.dictionaries.source.length).fill(0);
  for (let i = 0; i < picture.rows; i++) counts[c.values[i] ?? 0] = (counts[c.values[i] ?? 0] ?? 0) + 1;
  return picture.dictionaries.source.map((source, k) => ({ source, count: counts[k] ?? 0 })).filter((x) => x.count > 0);
}
