import { describe, expect, it } from 'vitest';
import { type JsonTrack, pictureFromJson } from './fromJson';
import { filterRows, queryRows, searchTracks, sortKeys } from './query';

function track(id: string, over: Partial<JsonTrack> = {}): JsonTrack {
  return { object_id: id, sigma_km: 1, source: 'own', contributors: [], lat_deg: 0, lon_deg: 0, alt_km: 500, regime: 'LEO', name: id.toUpperCase(), owner: null, kind: 'debris', mission: null, ...over };
}

const picture = pictureFromJson(
  [
    track('usa-wgs-10', { name: 'WGS-10', owner: 'USA', mission: 'SATCOM', kind: 'payload', regime: 'GEO', sigma_km: 0.05, source: 'owner' }),
    track('bg-00002', { name: 'Debris 2', sigma_km: 12, source: 'catalog', lat_deg: -40 }),
    track('gbr-skynet-5d', { name: 'Skynet 5D', owner: 'GBR', mission: 'SATCOM', kind: 'payload', regime: 'GEO', sigma_km: 3, source: 'shared', contributors: ['GBR'] }),
    track('bg-00001', { name: 'Debris 1', sigma_km: 12, source: 'catalog', lat_deg: 40 }),
    track('red-insp-1', { name: 'Inspector', owner: 'RED', kind: 'payload', regime: 'GEO', sigma_km: 7.5, source: 'fused', contributors: ['GBR', 'USA'] }),
  ],
  { nation: 'USA', move: 1, epoch: '2027-03-01T06:00:00Z' },
);
const ids = (rows: Uint32Array) => Array.from(rows, (i) => picture.objectId[i]);

describe('picture queries over columns', () => {
  it('sorts by a numeric column both ways, ties in object id order', () => {
    expect(ids(queryRows(picture, { filter: '', sort: 'sigma_km', dir: 1 }))).toEqual(['usa-wgs-10', 'gbr-skynet-5d', 'red-insp-1', 'bg-00001', 'bg-00002']);
    expect(ids(queryRows(picture, { filter: '', sort: 'sigma_km', dir: -1 }))).toEqual(['bg-00001', 'bg-00002', 'red-insp-1', 'gbr-skynet-5d', 'usa-wgs-10']);
    expect(ids(queryRows(picture, { filter: '', sort: 'lat_deg', dir: 1 }))[0]).toBe('bg-00002');
  });

  it('sorts by name and by dictionary labels, unknown owners last', () => {
    expect(ids(queryRows(picture, { filter: '', sort: 'name', dir: 1 }))).toEqual(['bg-00001', 'bg-00002', 'red-insp-1', 'gbr-skynet-5d', 'usa-wgs-10']);
    expect(ids(queryRows(picture, { filter: '', sort: 'owner', dir: 1 }))).toEqual(['gbr-skynet-5d', 'red-insp-1', 'usa-wgs-10', 'bg-00001', 'bg-00002']);
    expect(ids(queryRows(picture, { filter: '', sort: 'source', dir: 1 })).slice(0, 2)).toEqual(['bg-00001', 'bg-00002']);
    expect(ids(queryRows(picture, { filter: '', sort: 'contributors', dir: 1 }))[0]).toBe('gbr-skynet-5d');
  });

  it('caches sort keys per picture', () => {
    expect(sortKeys(picture, 'name')).toBe(sortKeys(picture, 'name'));
  });

  it('filters by id, name, owner, mission, kind, regime and source, case-insensitively', () => {
    expect(ids(filterRows(picture, 'skynet'))).toEqual(['gbr-skynet-5d']);
    expect(ids(filterRows(picture, 'usa'))).toEqual(['usa-wgs-10']);
    expect(ids(filterRows(picture, 'satcom'))).toEqual(['gbr-skynet-5d', 'usa-wgs-10']);
    expect(ids(filterRows(picture, 'GEO'))).toEqual(['gbr-skynet-5d', 'red-insp-1', 'usa-wgs-10']);
    expect(ids(filterRows(picture, 'catalog'))).toEqual(['bg-00001', 'bg-00002']);
    expect(ids(filterRows(picture, 'debris'))).toEqual(['bg-00001', 'bg-00002']);
    expect(filterRows(picture, '  ').length).toBe(5);
    expect(filterRows(picture, 'nothing-like-this').length).toBe(0);
  });

  it('searches ids and names, exact and prefix matches first', () => {
    expect(searchTracks(picture, 'debris 1').map((i) => picture.objectId[i])).toEqual(['bg-00001']);
    expect(searchTracks(picture, 'bg-').map((i) => picture.objectId[i])).toEqual(['bg-00001', 'bg-00002']);
    expect(searchTracks(picture, 'insp').map((i) => picture.objectId[i])).toEqual(['red-insp-1']);
    expect(searchTracks(picture, 'net').map((i) => picture.objectId[i])).toEqual(['gbr-skynet-5d']);
    expect(searchTracks(picture, '')).toEqual([]);
  });

  it('sorts and filters 50,000 rows without row objects', () => {
    const many: JsonTrack[] = [];
    for (let i = 0; i < 50_000; i++) {
      many.push(track(`bg-${String(i).padStart(5, '0')}`, { sigma_km: (i * 7919) % 1000, regime: i % 3 ? 'LEO' : 'GEO', name: `OBJ ${(i * 31) % 50_000}` }));
    }
    const big = pictureFromJson(many, { nation: 'USA', move: 1, epoch: '2027-03-01T06:00:00Z' });
    const bySigma = queryRows(big, { filter: 'geo', sort: 'sigma_km', dir: -1 });
    expect(bySigma.length).toBe(16_667);
    const sigma = big.numbers.sigma_km!.values;
    for (let k = 1; k < bySigma.length; k++) expect(sigma[bySigma[k - 1]!]! >= sigma[bySigma[k]!]!).toBe(true);
    const byName = queryRows(big, { filter: '', sort: 'name', dir: 1 });
    expect(big.name[byName[0]!]).toBe('OBJ 0');
    expect(big.name[byName[1]!]).toBe('OBJ 1');
  });
});
