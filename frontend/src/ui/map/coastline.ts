// Coastlines for the equirectangular map, from Natural Earth 1:110m (world-atlas), loaded lazily
// so the main bundle stays small. Coordinates map to a 360 x 180 viewBox: x = lon + 180, y = 90 - lat.
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land from 'world-atlas/land-110m.json';

export interface CoastPaths {
  /** Closed rings that do not cross the antimeridian: filled land. */
  fill: string;
  /** Rings that cross the antimeridian, split at the crossing: outline only. */
  stroke: string;
}

function pt(lon: number, lat: number): string {
  return `${(lon + 180).toFixed(2)},${(90 - lat).toFixed(2)}`;
}

export function coastPaths(): CoastPaths {
  const topology = land as unknown as Topology<{ land: GeometryCollection }>;
  const geo = feature(topology, topology.objects.land);
  const polygons: number[][][][] = [];
  for (const f of geo.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
  }
  let fill = '';
  let stroke = '';
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let crosses = false;
      for (let i = 1; i < ring.length; i++) {
        if (Math.abs((ring[i]?.[0] ?? 0) - (ring[i - 1]?.[0] ?? 0)) > 180) crosses = true;
      }
      let d = '';
      let prevLon: number | null = null;
      for (const p of ring) {
        const [lon = 0, lat = 0] = p;
        const jump = prevLon !== null && Math.abs(lon - prevLon) > 180;
        d += (d === '' || jump ? 'M' : 'L') + pt(lon, lat);
        prevLon = lon;
      }
      if (crosses) stroke += d;
      else fill += d + 'Z';
    }
  }
  return { fill, stroke };
}
