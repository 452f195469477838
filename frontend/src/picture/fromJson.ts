// Today's JSON picture rows (a team snapshot's `view.picture`, a `picture_updated` event's tracks)
// converted into the same columns as the binary resource, quantized the same way.
import { LAT_SCALE, LON_SCALE, NEVER_OBSERVED, type Picture } from './columns';

/** One row as the JSON protocol carries it (snapshot rows add the object's card). */
export interface JsonTrack {
  object_id: string;
  sigma_km: number;
  source: string;
  contributors?: string[];
  observed_at?: string | null;
  lat_deg: number;
  lon_deg: number;
  alt_km: number;
  regime: string;
  name?: string | null;
  owner?: string | null;
  kind?: string | null;
  mission?: string | null;
}

/** What the holder knows of an object besides the track: from a card, an asset, the object list. */
export interface ObjectCard {
  name?: string | null;
  owner?: string | null;
  kind?: string | null;
  mission?: string | null;
}

const SOURCES = ['owner', 'own', 'shared', 'fused', 'catalog'];
const REGIMES = ['LEO', 'MEO', 'GEO', 'HEO'];
const KINDS = ['payload', 'rocket_body', 'debris'];
const MISSIONS = ['', 'PNT', 'SATCOM', 'ISR', 'MISSILE_WARNING', 'SSA', 'WEATHER'];

/** A dictionary that grows as new labels appear, starting from the format's usual entries. */
class Coder {
  readonly labels: string[];
  private readonly index = new Map<string, number>();
  constructor(initial: string[]) {
    this.labels = [...initial];
    this.labels.forEach((l, i) => this.index.set(l, i));
  }
  code(label: string): number {
    let i = this.index.get(label);
    if (i === undefined) {
      i = this.labels.length;
      this.labels.push(label);
      this.index.set(label, i);
    }
    return i;
  }
}

function quantize(value: number, scale: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-32767, Math.min(32767, Math.round(value / scale)));
}

/** Wrap a longitude into [-180, 180). */
function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

export interface JsonPictureContext {
  nation: string | null;
  move: number;
  /** The picture's epoch (ISO): age_min counts back from it. */
  epoch: string;
  /** Cards of objects whose rows lack them (bare event tracks). */
  card?: (objectId: string) => ObjectCard | undefined;
}

/** Convert JSON rows into columns (sorted by object id, as the binary format is). */
export function pictureFromJson(tracks: JsonTrack[], ctx: JsonPictureContext): Picture {
  const sorted = [...tracks].sort((a, b) => (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0));
  const n = sorted.length;
  const epochMs = Date.parse(ctx.epoch);
  const source = new Coder(SOURCES);
  const regime = new Coder(REGIMES);
  const kind = new Coder(KINDS);
  const mission = new Coder(MISSIONS);
  const owner = new Coder(['']);
  const contributorSets = new Coder(['']);
  const contributorLists: string[][] = [[]];
  const cols = {
    owner: new Uint8Array(n),
    kind: new Uint8Array(n),
    mission: new Uint8Array(n),
    regime: new Uint8Array(n),
    source: new Uint8Array(n),
    contributors: new Uint16Array(n),
    sigma_km: new Float32Array(n),
    age_min: new Uint16Array(n),
    delayed: new Uint8Array(n),
    lat: new Int16Array(n),
    lon: new Int16Array(n),
    alt_km: new Uint16Array(n),
  };
  const objectId: string[] = new Array<string>(n);
  const name: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const t = sorted[i] as JsonTrack;
    const card = t.name === undefined && t.owner === undefined ? ctx.card?.(t.object_id) : undefined;
    objectId[i] = t.object_id;
    name[i] = t.name ?? card?.name ?? t.object_id;
    cols.owner[i] = owner.code(t.owner ?? card?.owner ?? '');
    cols.kind[i] = kind.code(t.kind ?? card?.kind ?? 'unknown');
    cols.mission[i] = mission.code(t.mission ?? card?.mission ?? '');
    cols.regime[i] = regime.code(t.regime);
    cols.source[i] = source.code(t.source);
    const list = t.contributors ?? [];
    const key = list.join(',');
    const before = contributorSets.labels.length;
    const code = contributorSets.code(key);
    if (code === before) contributorLists.push([...list]);
    cols.contributors[i] = code;
    cols.sigma_km[i] = t.sigma_km;
    const observed = t.observed_at ? Date.parse(t.observed_at) : NaN;
    cols.age_min[i] = Number.isFinite(observed) && Number.isFinite(epochMs)
      ? Math.min(NEVER_OBSERVED - 1, Math.max(0, Math.round((epochMs - observed) / 60_000)))
      : NEVER_OBSERVED;
    cols.lat[i] = quantize(t.lat_deg, LAT_SCALE);
    cols.lon[i] = quantize(wrapLon(t.lon_deg), LON_SCALE);
    cols.alt_km[i] = Math.max(0, Math.min(65535, Math.round(t.alt_km)));
  }
  const num = <T extends Picture['numbers'][string]['values']>(type: Picture['numbers'][string]['type'], values: T, scale = 1) => ({
    type,
    values,
    scale,
  });
  return {
    kind: 'picture',
    nation: ctx.nation,
    move: ctx.move,
    epoch: ctx.epoch,
    previousEpoch: null,
    rows: n,
    objectId,
    name,
    numbers: {
      owner: num('u8', cols.owner),
      kind: num('u8', cols.kind),
      mission: num('u8', cols.mission),
      regime: num('u8', cols.regime),
      source: num('u8', cols.source),
      contributors: num('u16', cols.contributors),
      sigma_km: num('f32', cols.sigma_km),
      age_min: num('u16', cols.age_min),
      delayed: num('u8', cols.delayed),
      lat: num('i16', cols.lat, LAT_SCALE),
      lon: num('i16', cols.lon, LON_SCALE),
      alt_km: num('u16', cols.alt_km),
    },
    dictionaries: {
      source: source.labels,
      regime: regime.labels,
      kind: kind.labels,
      mission: mission.labels,
      owner: owner.labels,
      contributors: contributorLists,
      status: [],
    },
  };
}
