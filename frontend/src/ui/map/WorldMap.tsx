import { useEffect, useState } from 'preact/hooks';
import type { PictureRow, SensorInfo } from '../../types';
import type { CoastPaths } from './coastline';

export interface MapProps {
  tracks: PictureRow[];
  sensors: SensorInfo[];
  /** Our nation: its sensors are drawn differently from partners'. */
  me?: string | undefined;
}

const GRATICULE: string = (() => {
  let d = '';
  for (let lon = -180; lon <= 180; lon += 30) d += `M${lon + 180},0V180`;
  for (let lat = -60; lat <= 60; lat += 30) d += `M0,${90 - lat}H360`;
  return d;
})();

let coastCache: Promise<CoastPaths | null> | null = null;
function loadCoast(): Promise<CoastPaths | null> {
  coastCache ??= import('./coastline').then((m) => m.coastPaths()).catch(() => null);
  return coastCache;
}

function x(lon: number): number {
  const l = ((((lon + 180) % 360) + 360) % 360) - 180;
  return l + 180;
}
function y(lat: number): number {
  return 90 - Math.max(-90, Math.min(90, lat));
}

/** Sensors with no ground site (space-based) are listed, not drawn. */
function hasGroundSite(s: SensorInfo): boolean {
  return !(s.lat_deg === 0 && s.lon_deg === 0) && !/space/i.test(s.model);
}

export function WorldMap(props: MapProps) {
  const [coast, setCoast] = useState<CoastPaths | null>(null);
  const [hover, setHover] = useState<string>('');
  useEffect(() => {
    let live = true;
    void loadCoast().then((c) => live && setCoast(c));
    return () => {
      live = false;
    };
  }, []);
  const ground = props.sensors.filter(hasGroundSite);
  const spaceBased = props.sensors.filter((s) => !hasGroundSite(s));
  return (
    <figure class="map">
      <svg
        viewBox="0 0 360 180"
        role="img"
        aria-label="World map with sensor sites and sub-satellite points of tracked objects"
        data-testid="world-map"
        onMouseLeave={() => setHover('')}
      >
        <rect x="0" y="0" width="360" height="180" class="sea" />
        {coast && <path d={coast.fill} class="land" />}
        {coast && <path d={coast.stroke} class="coast" />}
        <path d={GRATICULE} class="graticule" />
        <path d="M0,90H360" class="equator" />
        {ground.map((s) => {
          const cx = x(s.lon_deg);
          const cy = y(s.lat_deg);
          const own = s.owner === props.me;
          const label = `${s.name} (${s.owner}, ${s.model})`;
          return (
            <g
              key={s.id}
              class={own ? 'sensor own' : 'sensor partner'}
              data-testid={`map-sensor-${s.id}`}
              onMouseEnter={() => setHover(label)}
            >
              <title>{label}</title>
              <path d={`M${cx},${cy - 3}L${cx + 2.6},${cy + 1.5}L${cx - 2.6},${cy + 1.5}Z`} />
            </g>
          );
        })}
        {props.tracks.map((t) => {
          const label = `${t.name ?? t.object_id} — ${t.source}, ${t.regime}, σ ${t.sigma_km.toFixed(1)} km, ${t.alt_km.toFixed(0)} km`;
          return (
            <circle
              key={t.object_id}
              cx={x(t.lon_deg)}
              cy={y(t.lat_deg)}
              r={1.6}
              class={`track source-${t.source}`}
              data-testid={`map-track-${t.object_id}`}
              onMouseEnter={() => setHover(label)}
            >
              <title>{label}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption>
        <span class="hover" data-testid="map-hover" aria-live="polite">
          {hover || 'Hover a marker for its name.'}
        </span>
        <span class="legend">
          <span class="key sensor-own">▲ our sensor</span>
          <span class="key sensor-partner">▲ partner sensor</span>
          <span class="key source-owner">● owner</span>
          <span class="key source-own">● own</span>
          <span class="key source-shared">● shared</span>
          <span class="key source-fused">● fused</span>
        </span>
        {spaceBased.length > 0 && (
          <span class="muted small">
            {' '}
            Space-based sensors (not drawn): {spaceBased.map((s) => `${s.name} (${s.owner})`).join(', ')}
          </span>
        )}
        {!coast && <span class="muted small"> Coastlines loading…</span>}
      </figcaption>
    </figure>
  );
}
