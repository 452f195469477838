// The map without WebGL: the same points drawn on a plain 2D canvas (whole world, no zoom),
// with hover and click by the nearest point. No SVG nodes, so 50,000 tracks stay cheap.
import type { SensorCard } from '../../types';
import { getBasemap, nearestPoint, pointsOf, type Points } from './geometry';
import { hasGroundSite, hoverText, SENSOR_OWN, SENSOR_PARTNER, sensorLabel, type MapCallbacks, type MapData, type MapHandle } from './types';

const rgba = (c: readonly number[]) => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] ?? 255) / 255})`;

export function createCanvasMap(container: HTMLDivElement, callbacks: MapCallbacks): MapHandle {
  const canvas = document.createElement('canvas');
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  canvas.style.display = 'block';
  container.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const basemap = getBasemap();
  let data: MapData | null = null;
  let points: Points = { positions: new Float32Array(0), colors: new Uint8Array(0), rows: new Uint32Array(0) };
  let sensors: SensorCard[] = [];
  let width = 0;
  let height = 0;
  let frame = 0;

  const project = (lon: number, lat: number): [number, number] => [((lon + 180) / 360) * width, ((90 - lat) / 180) * height];

  function draw() {
    frame = 0;
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    width = container.clientWidth || 720;
    height = container.clientHeight || width / 2;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#eaf2fb';
    ctx.fillRect(0, 0, width, height);
    ctx.beginPath();
    for (const ring of basemap.land) {
      ring.forEach(([lon, lat], k) => {
        const [x, y] = project(lon, lat);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
    ctx.fillStyle = '#d9dfd2';
    ctx.fill();
    ctx.strokeStyle = '#9aa58f';
    ctx.lineWidth = 0.7;
    ctx.stroke();
    ctx.beginPath();
    for (const path of [...basemap.coast, ...basemap.graticule]) {
      path.forEach(([lon, lat], k) => {
        const [x, y] = project(lon, lat);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
    }
    ctx.strokeStyle = '#b9c7d8';
    ctx.stroke();
    // Tracks: one fillRect each, batched by colour.
    const n = points.rows.length;
    let current = '';
    for (let k = 0; k < n; k++) {
      const o = 4 * k;
      const color = `${points.colors[o]},${points.colors[o + 1]},${points.colors[o + 2]}`;
      if (color !== current) {
        ctx.fillStyle = `rgb(${color})`;
        current = color;
      }
      const [x, y] = project(points.positions[2 * k] ?? 0, points.positions[2 * k + 1] ?? 0);
      ctx.fillRect(x - 2, y - 2, 4, 4);
    }
    for (const s of sensors) {
      const [x, y] = project(s.lon_deg, s.lat_deg);
      ctx.beginPath();
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 5, y + 3);
      ctx.lineTo(x - 5, y + 3);
      ctx.closePath();
      ctx.fillStyle = rgba(s.owner === data?.me ? SENSOR_OWN : SENSOR_PARTNER);
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.stroke();
    }
    const p = data?.picture;
    if (p && data && data.selectedRow >= 0) {
      const lat = (p.numbers.lat?.values[data.selectedRow] ?? 0) * (p.numbers.lat?.scale ?? 1);
      const lon = (p.numbers.lon?.values[data.selectedRow] ?? 0) * (p.numbers.lon?.scale ?? 1);
      const [x, y] = project(lon, lat);
      ctx.beginPath();
      ctx.arc(x, y, 8, 0, 2 * Math.PI);
      ctx.strokeStyle = '#dc2626';
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
  }

  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  const at = (e: MouseEvent): { kind: 'track' | 'sensor'; index: number } | null => {
    const r = canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    for (let k = 0; k < sensors.length; k++) {
      const s = sensors[k]!;
      const [sx, sy] = project(s.lon_deg, s.lat_deg);
      if ((sx - x) ** 2 + (sy - y) ** 2 <= 36) return { kind: 'sensor', index: k };
    }
    const k = nearestPoint(points, project, x, y, 5);
    return k >= 0 ? { kind: 'track', index: k } : null;
  };
  canvas.addEventListener('mousemove', (e) => {
    const hit = at(e);
    canvas.style.cursor = hit ? 'pointer' : 'default';
    if (!hit) return callbacks.onHover('');
    if (hit.kind === 'sensor') return callbacks.onHover(sensorLabel(sensors[hit.index]!));
    if (data?.picture) callbacks.onHover(hoverText(data.picture, points.rows[hit.index] ?? 0));
  });
  canvas.addEventListener('mouseleave', () => callbacks.onHover(''));
  canvas.addEventListener('click', (e) => {
    const hit = at(e);
    if (hit?.kind === 'track' && data?.picture) callbacks.onPick(data.picture.objectId[points.rows[hit.index] ?? 0] ?? '');
  });
  const resize = new ResizeObserver(schedule);
  resize.observe(container);
  callbacks.onView([-180, -90, 180, 90]);

  return {
    update(next: MapData) {
      if (!data || next.picture !== data.picture || next.rows !== data.rows) points = pointsOf(next);
      data = next;
      sensors = next.sensors.filter(hasGroundSite);
      schedule();
    },
    zoom() {
      /* the plain canvas always shows the whole world */
    },
    reset() {
      schedule();
    },
    destroy() {
      resize.disconnect();
      cancelAnimationFrame(frame);
      canvas.remove();
    },
  };
}
