// The WebGL map (deck.gl, loaded lazily): every track as one ScatterplotLayer fed with binary
// attributes built from the picture's columns, sensors, the selection, over the shipped basemap.
import { Deck, OrthographicView, type PickingInfo } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { SensorCard } from '../../types';
import { getBasemap, pointsOf, type Points } from './geometry';
import { hasGroundSite, hoverText, SENSOR_OWN, SENSOR_PARTNER, sensorLabel, type Bounds, type MapCallbacks, type MapData, type MapHandle } from './types';

interface ViewState {
  target: [number, number];
  zoom: number;
  minZoom: number;
  maxZoom: number;
}

/** The zoom at which 360 degrees of longitude fill the width. */
function fitZoom(width: number): number {
  return Math.log2(Math.max(width, 1) / 360);
}

function boundsOf(view: ViewState, width: number, height: number): Bounds {
  const scale = 2 ** view.zoom;
  const halfW = width / 2 / scale;
  const halfH = height / 2 / scale;
  return [view.target[0] - halfW, view.target[1] - halfH, view.target[0] + halfW, view.target[1] + halfH];
}


export function createDeckMap(container: HTMLDivElement, callbacks: MapCallbacks, onFail: (why: string) => void): MapHandle {
  const basemap = getBasemap();
  let data: MapData | null = null;
  let points: Points = { positions: new Float32Array(0), colors: new Uint8Array(0), rows: new Uint32Array(0) };
  let sensors: SensorCard[] = [];
  let width = container.clientWidth || 720;
  let height = container.clientHeight || width / 2;
  let view: ViewState = fitView();

  function fitView(): ViewState {
    const zoom = fitZoom(width);
    return { target: [0, 0], zoom, minZoom: zoom, maxZoom: zoom + 7 };
  }

  const staticLayers = [
    new SolidPolygonLayer<[number, number][]>({
      id: 'land',
      data: basemap.land,
      getPolygon: (ring) => ring,
      getFillColor: [217, 223, 210, 255],
    }),
    new PathLayer<[number, number][]>({
      id: 'coast',
      data: [...basemap.land, ...basemap.coast],
      getPath: (path) => path,
      getColor: [154, 165, 143, 255],
      widthUnits: 'pixels',
      getWidth: 1,
    }),
    new PathLayer<[number, number][]>({
      id: 'graticule',
      data: basemap.graticule,
      getPath: (path) => path,
      getColor: [185, 199, 216, 255],
      widthUnits: 'pixels',
      getWidth: 1,
    }),
  ];

  function layers() {
    const selected = data && data.picture && data.selectedRow >= 0 ? data.selectedRow : -1;
    const p = data?.picture ?? null;
    return [
      ...staticLayers,
      new ScatterplotLayer({
        id: 'tracks',
        data: {
          length: points.rows.length,
          attributes: {
            getPosition: { value: points.positions, size: 2 },
            getFillColor: { value: points.colors, size: 4, normalized: true },
          },
        },
        radiusUnits: 'pixels',
        getRadius: points.rows.length > 5000 ? 1.8 : 2.5,
        pickable: true,
        autoHighlight: true,
        highlightColor: [0, 0, 0, 255],
        updateTriggers: { getPosition: points, getFillColor: points },
      }),
      new ScatterplotLayer<SensorCard>({
        id: 'sensors',
        data: sensors,
        getPosition: (s) => [s.lon_deg, s.lat_deg],
        getFillColor: (s) => (s.owner === data?.me ? SENSOR_OWN : SENSOR_PARTNER),
        getLineColor: [255, 255, 255, 255],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        radiusUnits: 'pixels',
        getRadius: 5,
        pickable: true,
        updateTriggers: { getFillColor: data?.me },
      }),
      new ScatterplotLayer<number>({
        id: 'selected',
        data: selected >= 0 && p ? [selected] : [],
        getPosition: (row) => {
          const lat = p?.numbers.lat;
          const lon = p?.numbers.lon;
          return [(lon?.values[row] ?? 0) * (lon?.scale ?? 1), (lat?.values[row] ?? 0) * (lat?.scale ?? 1)];
        },
        filled: false,
        stroked: true,
        getLineColor: [220, 38, 38, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 2.5,
        radiusUnits: 'pixels',
        getRadius: 8,
        updateTriggers: { getPosition: [selected, p] },
      }),
    ];
  }

  const describePick = (info: PickingInfo): string => {
    if (info.index < 0 || !info.layer) return '';
    if (info.layer.id === 'tracks' && data?.picture) return hoverText(data.picture, points.rows[info.index] ?? 0);
    if (info.layer.id === 'sensors') {
      const s = sensors[info.index];
      return s ? sensorLabel(s) : '';
    }
    return '';
  };

  const deck = new Deck({
    parent: container,
    width: '100%',
    height: '100%',
    views: new OrthographicView({ id: 'world', flipY: false }),
    viewState: view,
    controller: { dragPan: true, scrollZoom: false, doubleClickZoom: false, touchZoom: true, keyboard: false },
    pickingRadius: 5,
    layers: layers(),
    getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
    onViewStateChange: ({ viewState }) => {
      const next = viewState as unknown as ViewState;
      view = { ...view, target: [next.target[0], next.target[1]], zoom: Math.max(view.minZoom, Math.min(view.maxZoom, next.zoom)) };
      deck.setProps({ viewState: view });
      callbacks.onView(boundsOf(view, width, height));
    },
    onHover: (info) => callbacks.onHover(describePick(info)),
    onError: (error) => {
      onFail(error instanceof Error ? error.message : String(error));
    },
  });

  // A click selects the nearest track: picked directly on pointer up (a press that did not move),
  // rather than through the gesture recognizer, whose tap waits out a possible double click.
  let down: { x: number; y: number; t: number } | null = null;
  const onDown = (e: PointerEvent) => {
    down = { x: e.clientX, y: e.clientY, t: performance.now() };
  };
  const onUp = (e: PointerEvent) => {
    const start = down;
    down = null;
    if (!start || Math.hypot(e.clientX - start.x, e.clientY - start.y) > 4 || performance.now() - start.t > 800) return;
    const box = container.getBoundingClientRect();
    const info = deck.pickObject({ x: e.clientX - box.left, y: e.clientY - box.top, radius: 5, layerIds: ['tracks'] });
    if (info && info.index >= 0 && data?.picture) callbacks.onPick(data.picture.objectId[points.rows[info.index] ?? 0] ?? '');
  };
  container.addEventListener('pointerdown', onDown);
  container.addEventListener('pointerup', onUp);

  /** Zoomed in, a track selected elsewhere (table, search) that lies outside the view is centred. */
  function bringIntoView(p: NonNullable<MapData['picture']>, row: number) {
    const lat = (p.numbers.lat?.values[row] ?? 0) * (p.numbers.lat?.scale ?? 1);
    const lon = (p.numbers.lon?.values[row] ?? 0) * (p.numbers.lon?.scale ?? 1);
    const [west, south, east, north] = boundsOf(view, width, height);
    if (view.zoom <= view.minZoom + 1e-6 || (lon >= west && lon <= east && lat >= south && lat <= north)) return;
    view = { ...view, target: [lon, lat] };
    deck.setProps({ viewState: view });
    callbacks.onView(boundsOf(view, width, height));
  }

  const resize = new ResizeObserver(() => {
    const w = container.clientWidth;
    const h = container.clientHeight;
    if (!w || !h || (w === width && h === height)) return;
    const refit = view.zoom <= view.minZoom + 1e-6;
    width = w;
    height = h;
    const fit = fitView();
    view = refit ? fit : { ...view, minZoom: fit.minZoom, maxZoom: fit.maxZoom, zoom: Math.max(fit.minZoom, view.zoom) };
    deck.setProps({ viewState: view });
    callbacks.onView(boundsOf(view, width, height));
  });
  resize.observe(container);
  callbacks.onView(boundsOf(view, width, height));

  return {
    update(next: MapData) {
      const pointsChanged = !data || next.picture !== data.picture || next.rows !== data.rows;
      const newSelection = next.selectedRow >= 0 && next.selectedRow !== data?.selectedRow;
      data = next;
      if (newSelection && next.picture) bringIntoView(next.picture, next.selectedRow);
      if (pointsChanged) points = pointsOf(next);
      sensors = next.sensors.filter(hasGroundSite);
      deck.setProps({ layers: layers() });
    },
    zoom(factor: number) {
      view = { ...view, zoom: Math.max(view.minZoom, Math.min(view.maxZoom, view.zoom + Math.log2(factor))) };
      deck.setProps({ viewState: view });
      callbacks.onView(boundsOf(view, width, height));
    },
    reset() {
      view = fitView();
      deck.setProps({ viewState: view });
      callbacks.onView(boundsOf(view, width, height));
    },
    destroy() {
      resize.disconnect();
      container.removeEventListener('pointerdown', onDown);
      container.removeEventListener('pointerup', onUp);
      deck.finalize();
    },
  };
}
