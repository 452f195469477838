// Decoder of the binary picture resource `wargame.picture/1` (ArrayBuffer -> columns).
// Every length and offset is checked; anything malformed throws a PictureFormatError naming it.
import {
  DICTIONARY_COLUMNS,
  FORMAT,
  NUMERIC_COLUMNS,
  TYPE_BYTES,
  type ColumnType,
  type NumericColumn,
  type NumericType,
  type Picture,
  type PictureDictionaries,
  type PictureKind,
  type TypedColumn,
} from './columns';

export class PictureFormatError extends Error {
  constructor(message: string) {
    super(`Malformed picture: ${message}`);
    this.name = 'PictureFormatError';
  }
}

const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(message: string): never {
  throw new PictureFormatError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${what} must be a list of strings`);
  return value as string[];
}

function readHeader(buffer: ArrayBuffer): { header: Record<string, unknown>; columnsStart: number } {
  if (buffer.byteLength < 4) fail(`${buffer.byteLength} bytes is too short for the header length`);
  const headerLength = new DataView(buffer).getUint32(0, true);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} is out of range`);
  if (4 + headerLength > buffer.byteLength) {
    fail(`header of ${headerLength} bytes runs past the end of the ${buffer.byteLength}-byte resource`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(buffer, 4, headerLength));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    fail(`the header is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(header)) fail('the header is not a JSON object');
  const columnsStart = Math.ceil((4 + headerLength) / 8) * 8;
  return { header, columnsStart };
}

function readDictionaries(raw: unknown): PictureDictionaries {
  if (!isObject(raw)) fail('"dictionaries" must be an object');
  const contributors = raw.contributors === undefined ? [[]] : raw.contributors;
  if (!Array.isArray(contributors)) fail('dictionary "contributors" must be a list of lists of strings');
  return {
    source: stringList(raw.source ?? [], 'dictionary "source"'),
    regime: stringList(raw.regime ?? [], 'dictionary "regime"'),
    kind: stringList(raw.kind ?? [], 'dictionary "kind"'),
    mission: stringList(raw.mission ?? [''], 'dictionary "mission"'),
    owner: stringList(raw.owner ?? [''], 'dictionary "owner"'),
    contributors: contributors.map((c, i) => stringList(c, `dictionary "contributors" entry ${i}`)),
    status: stringList(raw.status ?? [], 'dictionary "status"'),
  };
}

/** A typed array over the column's bytes (a copy when the platform is big-endian). */
function typedView(type: NumericType, buffer: ArrayBuffer, start: number, rows: number): TypedColumn {
  if (LITTLE_ENDIAN) {
    switch (type) {
      case 'u8':
        return new Uint8Array(buffer, start, rows);
      case 'u16':
        return new Uint16Array(buffer, start, rows);
      case 'i16':
        return new Int16Array(buffer, start, rows);
      case 'u32':
        return new Uint32Array(buffer, start, rows);
      case 'f32':
        return new Float32Array(buffer, start, rows);
    }
  }
  const view = new DataView(buffer, start, rows * TYPE_BYTES[type]);
  const ctor = { u8: Uint8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, f32: Float32Array }[type];
  const out = new ctor(rows);
  const get = {
    u8: (o: number) => view.getUint8(o),
    u16: (o: number) => view.getUint16(o, true),
    i16: (o: number) => view.getInt16(o, true),
    u32: (o: number) => view.getUint32(o, true),
    f32: (o: number) => view.getFloat32(o, true),
  }[type];
  for (let i = 0; i < rows; i++) out[i] = get(i * TYPE_BYTES[type]);
  return out;
}

const COLUMN_TYPES = new Set<ColumnType>(['u8', 'u16', 'i16', 'u32', 'f32', 'str']);

/** Decode a `wargame.picture/1` resource. Throws PictureFormatError on anything malformed. */
export function decodePicture(buffer: ArrayBuffer): Picture {
  const { header, columnsStart } = readHeader(buffer);
  if (header.format !== FORMAT) fail(`format is ${JSON.stringify(header.format)}, expected "${FORMAT}"`);
  const kind = header.kind;
  if (kind !== 'picture' && kind !== 'truth') fail(`kind is ${JSON.stringify(kind)}, expected "picture" or "truth"`);
  const rows = header.rows;
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) fail(`rows is ${JSON.stringify(rows)}, expected a count`);
  const move = header.move;
  if (typeof move !== 'number' || !Number.isInteger(move)) fail(`move is ${JSON.stringify(move)}, expected an integer`);
  if (typeof header.epoch !== 'string') fail('epoch must be a string');
  if (header.nation !== null && header.nation !== undefined && typeof header.nation !== 'string') fail('nation must be a string or null');
  if (!isObject(header.columns)) fail('"columns" must be an object');
  const dictionaries = readDictionaries(header.dictionaries ?? {});
  const areaBytes = buffer.byteLength - columnsStart;
  if (areaBytes < 0) fail('the resource ends inside the header padding');

  const numbers: Record<string, NumericColumn> = {};
  const strings: Record<string, string[]> = {};
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [name, spec] of Object.entries(header.columns)) {
    if (!isObject(spec)) fail(`column ${name}: its description must be an object`);
    const type = spec.type as ColumnType;
    if (!COLUMN_TYPES.has(type)) fail(`column ${name}: unknown type ${JSON.stringify(spec.type)}`);
    const { offset, length } = spec;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) fail(`column ${name}: bad offset ${JSON.stringify(offset)}`);
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) fail(`column ${name}: bad length ${JSON.stringify(length)}`);
    if (offset % 8 !== 0) fail(`column ${name}: offset ${offset} is not a multiple of 8`);
    if (offset + length > areaBytes) {
      fail(`column ${name}: bytes ${offset}..${offset + length} run past the end of the column area (${areaBytes} bytes)`);
    }
    const start = columnsStart + offset;
    if (type === 'str') {
      let text: string;
      try {
        text = decoder.decode(new Uint8Array(buffer, start, length));
      } catch {
        fail(`column ${name}: not valid UTF-8`);
      }
      const values: string[] = rows === 0 ? (text === '' ? [] : [text]) : text.split('\n');
      if (values.length !== rows) fail(`column ${name}: ${values.length} strings for ${rows} rows`);
      strings[name] = values;
      continue;
    }
    if (length !== rows * TYPE_BYTES[type]) {
      fail(`column ${name}: ${length} bytes for ${rows} rows of ${type} (expected ${rows * TYPE_BYTES[type]})`);
    }
    const scale = spec.scale === undefined ? 1 : spec.scale;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale === 0) fail(`column ${name}: bad scale ${JSON.stringify(spec.scale)}`);
    numbers[name] = { type, values: typedView(type, buffer, start, rows), scale };
  }

  for (const name of ['object_id', 'name']) if (!strings[name]) fail(`missing string column ${name}`);
  for (const [name, type] of Object.entries(NUMERIC_COLUMNS[kind as PictureKind])) {
    const c = numbers[name];
    if (!c) fail(`missing column ${name}`);
    if (c.type !== type) fail(`column ${name} is ${c.type}, expected ${type}`);
  }
  for (const name of DICTIONARY_COLUMNS) {
    const c = numbers[name];
    if (!c) continue;
    const size = dictionaries[name].length;
    const values = c.values;
    for (let i = 0; i < rows; i++) {
      if ((values[i] ?? 0) >= size) fail(`column ${name}: row ${i} holds ${values[i]}, past the ${size}-entry dictionary`);
    }
  }
  return {
    kind: kind as PictureKind,
    nation: typeof header.nation === 'string' ? header.nation : null,
    move,
    epoch: header.epoch,
    previousEpoch: typeof header.previous_epoch === 'string' ? header.previous_epoch : null,
    rows,
    objectId: strings.object_id ?? [],
    name: strings.name ?? [],
    numbers,
    dictionaries,
  };
}
