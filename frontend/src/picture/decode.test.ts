import { describe, expect, it } from 'vitest';
import { column, contributorsAt, countBySource, labelAt, LAT_SCALE, LON_SCALE, NEVER_OBSERVED, rowOf, valueAt } from './columns';
import { decodePicture, PictureFormatError } from './decode';
import { pictureFromJson } from './fromJson';

type Spec = { type: string; data: Uint8Array; scale?: number };

/** Lay out a resource as the format says: u32 header length, JSON header, padding, 8-aligned columns. */
function build(header: Record<string, unknown>, columns: Record<string, Spec>, opts: { misalign?: boolean } = {}): ArrayBuffer {
  const described: Record<string, unknown> = {};
  let offset = 0;
  const parts: { offset: number; data: Uint8Array }[] = [];
  for (const [name, spec] of Object.entries(columns)) {
    described[name] = { type: spec.type, offset: offset + (opts.misalign ? 2 : 0), length: spec.data.byteLength, ...(spec.scale ? { scale: spec.scale } : {}) };
    parts.push({ offset, data: spec.data });
    offset += Math.ceil(spec.data.byteLength / 8) * 8;
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...header, columns: header.columns ?? described }));
  const start = Math.ceil((4 + json.byteLength) / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  for (const p of parts) out.set(p.data, start + p.offset);
  return out.buffer;
}

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const str = (values: string[]) => ({ type: 'str', data: new TextEncoder().encode(values.join('\n')) });

const DICTS = {
  source: ['owner', 'own', 'shared', 'fused', 'catalog'],
  regime: ['LEO', 'MEO', 'GEO', 'HEO'],
  kind: ['payload', 'rocket_body', 'debris'],
  mission: ['', 'PNT', 'SATCOM', 'ISR', 'MISSILE_WARNING', 'SSA', 'WEATHER'],
  owner: ['', 'USA', 'GBR'],
  contributors: [[], ['USA'], ['USA', 'GBR']],
};

function pictureColumns(rows = 3): Record<string, Spec> {
  const ids = ['bg-00001', 'gbr-skynet-5d', 'usa-wgs-10'].slice(0, rows);
  return {
    object_id: str(ids),
    name: str(['Debris 1', 'Skynet 5D', 'WGS-10 (notional)'].slice(0, rows)),
    owner: { type: 'u8', data: new Uint8Array([0, 2, 1].slice(0, rows)) },
    kind: { type: 'u8', data: new Uint8Array([2, 0, 0].slice(0, rows)) },
    mission: { type: 'u8', data: new Uint8Array([0, 2, 2].slice(0, rows)) },
    regime: { type: 'u8', data: new Uint8Array([0, 2, 2].slice(0, rows)) },
    source: { type: 'u8', data: new Uint8Array([4, 3, 0].slice(0, rows)) },
    contributors: { type: 'u16', data: bytes(new Uint16Array([0, 2, 1].slice(0, rows))) },
    sigma_km: { type: 'f32', data: bytes(new Float32Array([12.5, 0.75, 0.05].slice(0, rows))) },
    age_min: { type: 'u16', data: bytes(new Uint16Array([NEVER_OBSERVED, 42, 0].slice(0, rows))) },
    delayed: { type: 'u8', data: new Uint8Array([0, 1, 0].slice(0, rows)) },
    lat: { type: 'i16', data: bytes(new Int16Array([0, 364, -32767].slice(0, rows))), scale: LAT_SCALE },
    lon: { type: 'i16', data: bytes(new Int16Array([100, -32767, 16384].slice(0, rows))), scale: LON_SCALE },
    alt_km: { type: 'u16', data: bytes(new Uint16Array([780, 35786, 35786].slice(0, rows))) },
  };
}

const HEADER = {
  format: 'wargame.picture/1',
  kind: 'picture',
  nation: 'USA',
  move: 3,
  epoch: '2027-06-14T18:00:00Z',
  previous_epoch: '2027-06-14T12:00:00Z',
  rows: 3,
  dictionaries: DICTS,
};

describe('decodePicture', () => {
  it('decodes every column and dictionary of a picture', () => {
    const p = decodePicture(build(HEADER, pictureColumns()));
    expect(p.kind).toBe('picture');
    expect(p.nation).toBe('USA');
    expect(p.move).toBe(3);
    expect(p.previousEpoch).toBe('2027-06-14T12:00:00Z');
    expect(p.rows).toBe(3);
    expect(p.objectId).toEqual(['bg-00001', 'gbr-skynet-5d', 'usa-wgs-10']);
    expect(p.name[2]).toBe('WGS-10 (notional)');
    expect(labelAt(p, 'owner', 1)).toBe('GBR');
    expect(labelAt(p, 'owner', 0)).toBe('');
    expect(labelAt(p, 'source', 0)).toBe('catalog');
    expect(labelAt(p, 'regime', 2)).toBe('GEO');
    expect(labelAt(p, 'kind', 0)).toBe('debris');
    expect(contributorsAt(p, 1)).toEqual(['USA', 'GBR']);
    expect(column(p, 'sigma_km').values[1]).toBeCloseTo(0.75);
    expect(column(p, 'age_min').values[0]).toBe(NEVER_OBSERVED);
    expect(column(p, 'delayed').values[1]).toBe(1);
    expect(valueAt(column(p, 'lat'), 1)).toBeCloseTo(1.0, 2);
    expect(valueAt(column(p, 'lat'), 2)).toBeCloseTo(-90, 6);
    expect(valueAt(column(p, 'lon'), 1)).toBeCloseTo(-180, 6);
    expect(valueAt(column(p, 'lon'), 2)).toBeCloseTo(90, 2);
    expect(column(p, 'alt_km').values[1]).toBe(35786);
    expect(rowOf(p, 'usa-wgs-10')).toBe(2);
    expect(rowOf(p, 'nope')).toBe(-1);
    expect(countBySource(p)).toEqual([
      { source: 'owner', count: 1 },
      { source: 'fused', count: 1 },
      { source: 'catalog', count: 1 },
    ]);
  });

  it('decodes ground truth with its status dictionary', () => {
    const cols = pictureColumns();
    const truth: Record<string, Spec> = {
      object_id: cols.object_id!,
      name: cols.name!,
      owner: cols.owner!,
      kind: cols.kind!,
      mission: cols.mission!,
      regime: cols.regime!,
      status: { type: 'u8', data: new Uint8Array([0, 1, 3]) },
      decayed: { type: 'u8', data: new Uint8Array([1, 0, 0]) },
      lat: cols.lat!,
      lon: cols.lon!,
      alt_km: cols.alt_km!,
    };
    const dictionaries = { ...DICTS, status: ['nominal', 'degraded', 'disabled', 'destroyed'] };
    const p = decodePicture(build({ ...HEADER, kind: 'truth', nation: null, dictionaries }, truth));
    expect(p.kind).toBe('truth');
    expect(p.nation).toBeNull();
    expect(labelAt(p, 'status', 2)).toBe('destroyed');
    expect(column(p, 'decayed').values[0]).toBe(1);
  });

  it('decodes an empty picture', () => {
    const cols = Object.fromEntries(
      Object.entries(pictureColumns()).map(([k, v]) => [k, v.type === 'str' ? str([]) : { ...v, data: new Uint8Array(0) }]),
    );
    const p = decodePicture(build({ ...HEADER, rows: 0 }, cols));
    expect(p.rows).toBe(0);
    expect(p.objectId).toEqual([]);
  });

  const malformed: [string, () => ArrayBuffer, RegExp][] = [
    ['too short', () => new Uint8Array([1, 0]).buffer, /too short/],
    ['header past the end', () => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, 400, true);
      return b.buffer;
    }, /runs past the end/],
    ['header not JSON', () => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, 4, true);
      b.set(new TextEncoder().encode('{{{{'), 4);
      return b.buffer;
    }, /not JSON/],
    ['wrong format', () => build({ ...HEADER, format: 'wargame.picture/9' }, pictureColumns()), /format is "wargame.picture\/9"/],
    ['wrong kind', () => build({ ...HEADER, kind: 'pictures' }, pictureColumns()), /kind is "pictures"/],
    ['negative rows', () => build({ ...HEADER, rows: -1 }, pictureColumns()), /rows is -1/],
    ['rows do not match a numeric column', () => build({ ...HEADER, rows: 3 }, { ...pictureColumns(), alt_km: { type: 'u16', data: new Uint8Array(4) } }), /column alt_km: 4 bytes for 3 rows of u16/],
    ['rows do not match the strings', () => build({ ...HEADER, rows: 3 }, { ...pictureColumns(), name: str(['a', 'b']) }), /column name: 2 strings for 3 rows/],
    ['missing column', () => {
      const cols = pictureColumns();
      delete cols.sigma_km;
      return build(HEADER, cols);
    }, /missing column sigma_km/],
    ['wrong column type', () => build(HEADER, { ...pictureColumns(), delayed: { type: 'u16', data: bytes(new Uint16Array(3)) } }), /column delayed is u16, expected u8/],
    ['unknown column type', () => build(HEADER, { ...pictureColumns(), extra: { type: 'f64', data: new Uint8Array(24) } }), /unknown type "f64"/],
    ['column past the end', () => {
      const buffer = build(HEADER, pictureColumns());
      return buffer.slice(0, buffer.byteLength - 8);
    }, /run past the end of the column area/],
    ['misaligned offsets', () => build(HEADER, pictureColumns(), { misalign: true }), /not a multiple of 8/],
    ['dictionary index out of range', () => build(HEADER, { ...pictureColumns(), owner: { type: 'u8', data: new Uint8Array([0, 1, 9]) } }), /column owner: row 2 holds 9, past the 3-entry dictionary/],
    ['bad dictionary', () => build({ ...HEADER, dictionaries: { ...DICTS, regime: 'LEO' } }, pictureColumns()), /dictionary "regime" must be a list/],
    ['invalid UTF-8 in a string column', () => build(HEADER, { ...pictureColumns(), name: { type: 'str', data: new Uint8Array([0xff, 10, 0x61, 10, 0x62]) } }), /column name: not valid UTF-8/],
  ];
  for (const [what, make, message] of malformed) {
    it(`rejects a resource with ${what}`, () => {
      const buffer = make();
      expect(() => decodePicture(buffer)).toThrow(PictureFormatError);
      expect(() => decodePicture(buffer)).toThrow(message);
    });
  }
});

describe('pictureFromJson', () => {
  it('fills the same columns from JSON rows, sorted by object id, quantized like the format', () => {
    const p = pictureFromJson(
      [
        { object_id: 'usa-wgs-10', sigma_km: 0.05, source: 'owner', contributors: ['USA'], observed_at: '2027-06-14T17:18:00Z', lat_deg: 0.1, lon_deg: 190, alt_km: 35786.4, regime: 'GEO', name: 'WGS-10', owner: 'USA', kind: 'payload', mission: 'SATCOM' },
        { object_id: 'bg-00001', sigma_km: 12.5, source: 'shared', contributors: ['GBR', 'USA'], observed_at: null, lat_deg: -45.5, lon_deg: -20, alt_km: 780, regime: 'LEO' },
      ],
      { nation: 'USA', move: 2, epoch: '2027-06-14T18:00:00Z', card: (id) => (id === 'bg-00001' ? { name: 'Debris 1', kind: 'debris' } : undefined) },
    );
    expect(p.objectId).toEqual(['bg-00001', 'usa-wgs-10']);
    expect(p.name).toEqual(['Debris 1', 'WGS-10']);
    expect(labelAt(p, 'owner', 0)).toBe('');
    expect(labelAt(p, 'owner', 1)).toBe('USA');
    expect(labelAt(p, 'kind', 0)).toBe('debris');
    expect(labelAt(p, 'mission', 1)).toBe('SATCOM');
    expect(labelAt(p, 'source', 0)).toBe('shared');
    expect(contributorsAt(p, 0)).toEqual(['GBR', 'USA']);
    expect(contributorsAt(p, 1)).toEqual(['USA']);
    expect(column(p, 'age_min').values[0]).toBe(NEVER_OBSERVED);
    expect(column(p, 'age_min').values[1]).toBe(42);
    expect(valueAt(column(p, 'lat'), 0)).toBeCloseTo(-45.5, 2);
    expect(valueAt(column(p, 'lon'), 1)).toBeCloseTo(-170, 2);
    expect(column(p, 'alt_km').values[1]).toBe(35786);
    expect(column(p, 'lat').type).toBe('i16');
    expect(column(p, 'lat').scale).toBe(LAT_SCALE);
  });
});
