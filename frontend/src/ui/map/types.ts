// What the map panel gives a map renderer (WebGL or the 2D canvas fallback) and gets back.
import { column, labelAt, valueAt, type Picture } from '../../picture/columns';
import type { SensorCard } from '../../types';

export interface MapData {
  picture: Picture | null;
  /** Picture rows to draw (the table's filter). */
  rows: Uint32Array;
  sensors: SensorCard[];
  me: string | undefined;
  /** Picture row of the selected track, -1 for none. */
  selectedRow: number;
}

/** Visible extent in degrees: west, south, east, north. */
export type Bounds = [number, number, number, number];

export interface MapCallbacks {
  onHover: (text: string) => void;
  onPick: (objectId: string) => void;
  onView: (bounds: Bounds) => void;
}

export interface MapHandle {
  update(data: MapData): void;
  zoom(factor: number): void;
  reset(): void;
  destroy(): void;
}

/** Track colours by source (RGBA), shared by both renderers and the legend. */
export const SOURCE_COLORS: Record<string, [number, number, number, number]> = {
  owner: [91, 107, 127, 255],
  own: [30, 123, 52, 255],
  shared: [31, 95, 191, 255],
  fused: [122, 63, 176, 255],
  catalog: [150, 158, 168, 200],
};
export const OTHER_COLOR: [number, number, number, number] = [120, 120, 120, 255];
export const SENSOR_OWN: [number, number, number, number] = [180, 83, 9, 255];
export const SENSOR_PARTNER: [number, number, number, number] = [15, 118, 110, 255];

/** Sensors with no ground site (space-based) are listed, not drawn; a deep-space radar is on the ground. */
export function hasGroundSite(s: SensorCard): boolean {
  return !(s.lat_deg === 0 && s.lon_deg === 0) && !/^space_based|space-based/i.test(s.model);
}


export function sensorLabel(s: SensorCard): string {
  return `${s.name} (${s.owner}, ${s.model.replace(/_/g, ' ')})`;
}

/** What hovering or selecting a track says about it. */
export function hoverText(p: Picture, row: number): string {
  const id = p.objectId[row] ?? '';
  const name = p.name[row] ?? id;
  const sigma = column(p, 'sigma_km').values[row] ?? 0;
  const alt = valueAt(column(p, 'alt_km'), row);
  return `${name}${name !== id ? ` (${id})` : ''} — ${labelAt(p, 'source', row)}, ${labelAt(p, 'regime', row)}, σ ${sigma.toFixed(1)} km, ${alt.toFixed(0)} km`;
}
