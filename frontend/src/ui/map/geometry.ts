// Map geometry shared by both renderers: points of the picture as flat arrays, and the
// basemap (Natural Earth 1:110m land from world-atlas, shipped with the app: no tile server).
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land from 'world-atlas/land-110m.json';
import { column, valueAt } from '../../picture/columns';
import { OTHER_COLOR, SOURCE_COLORS, type MapData } from './types';

export interface Points {
  /** lon, lat per point */
  positions: Float32Array;
  /** RGBA per point */
  colors: Uint8Array;
  /** picture row of each point */
  rows: Uint32Array;
}

/** Flat position and colour arrays of the rows to draw (no per-track objects). */
export function pointsOf(data: MapData): Points {
  const p = data.picture;
  const n = p ? data.rows.length : 0;
  const positions = new Float32Array(n * 2);
  const colors = new Uint8Array(n * 4);
  if (!p || n === 0) return { positions, colors, rows: new Uint32Array(0) };
  const lat = column(p, 'lat');
  const lon = column(p, 'lon');
  const palette = p.dictionaries.source.map((s) => SOURCE_COLORS[s] ?? OTHER_COLOR);
  const source = p.numbers.source?.values;
  for (let k = 0; k < n; k++) {
    const i = data.rows[k] ?? 0;
    positions[2 * k] = valueAt(lon, i);
    positions[2 * k + 1] = valueAt(lat, i);
    colors.set(palette[source?.[i] ?? 0] ?? OTHER_COLOR, 4 * k);
  }
  return { positions, colors, rows: data.rows };
}


export interface Basemap {
  /** Closed land rings that do not cross the antimeridian (filled). */
  land: [number, number][][];
  /** Rings that cross it, split at the crossing (outline only). */
  coast: [number, number][][];
  /** Meridians and parallels every 30 degrees. */
  graticule: [number, number][][];
}

let basemap: Basemap | null = null;
export function getBasemap(): Basemap {
  if (basemap) return basemap;
  const topology = land as unknown as Topology<{ land: GeometryCollection }>;
  const geo = feature(topology, topology.objects.land);
  const rings: number[][][] = [];
  for (const f of geo.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') rings.push(...g.coordinates);
    else if (g.type === 'MultiPolygon') for (const poly of g.coordinates) rings.push(...poly);
  }
  const fill: [number, number][][] = [];
  const coast: [number, number][][] = [];
  for (const ring of rings) {
    let piece: [number, number][] = [];
    const pieces: [number, number][][] = [];
    let prev: number | null = null;
    for (const [lon = 0, lat = 0] of ring) {
      if (prev !== null && Math.abs(lon - prev) > 180) {
        pieces.push(piece);
        piece = [];
      }
      piece.push([lon, lat]);
      prev = lon;
    }
    pieces.push(piece);
    if (pieces.length === 1) fill.push(piece);
    else coast.push(...pieces.filter((x) => x.length > 1));
  }
  const graticule: [number, number][][] = [];
  for (let lon = -180; lon <= 180; lon += 30) graticule.push([[lon, -90], [lon, 90]]);
  for (let lat = -60; lat <= 60; lat += 30) graticule.push([[-180, lat], [180, lat]]);
  basemap = { land: fill, coast, graticule };
  return basemap;
}

/** Index of the point nearest (x, y) in screen pixels within `radius`, or -1. */
export function nearestPoint(points: Points, project: (lon: number, lat: number) => [number, number], x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  const n = points.rows.length;
  for (let k = 0; k < n; k++) {
    const [px, py] = project(points.positions[2 * k] ?? 0, points.positions[2 * k + 1] ?? 0);
    const d = (px - x) * (px - x) + (py - y) * (py - y);
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
