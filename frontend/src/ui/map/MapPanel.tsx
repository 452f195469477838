// The team's map panel: the renderer (deck.gl WebGL, or a 2D canvas without WebGL) is loaded
// lazily so the first paint never waits for it. Hover names a track; click selects it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { rowOf } from '../../picture/columns';
import { filteredRows } from '../../picture/view';
import { isTeamView } from '../../types';
import { Panel, useSlices } from '../common';
import { selectTrack, TrackSearch } from './TrackSearch';
import { hasGroundSite, hoverText, type Bounds, type MapCallbacks, type MapData, type MapHandle } from './types';

const EMPTY = new Uint32Array(0);

type Renderer = 'loading' | 'webgl' | 'canvas2d' | 'failed';

/** Whether this browser can give deck.gl a WebGL2 context (checked before loading deck.gl). */
function webgl2Available(): boolean {
  if (new URLSearchParams(location.hash.replace(/^#/, '')).get('map') === 'canvas') return false;
  try {
    return document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

export function MapPanel() {
  const s = useSlices('picture', 'selection', 'pictureView', 'assets');
  const view = s.view && isTeamView(s.view) ? s.view : null;
  const container = useRef<HTMLDivElement>(null);
  const handle = useRef<MapHandle | null>(null);
  const [renderer, setRenderer] = useState<Renderer>('loading');
  const [fallbackWhy, setFallbackWhy] = useState('');
  const [hover, setHover] = useState('');
  const [bounds, setBounds] = useState<Bounds>([-180, -90, 180, 90]);

  const picture = s.picture;
  const rows = picture ? filteredRows(s, picture) : EMPTY;
  const selectedRow = picture && s.selected ? rowOf(picture, s.selected) : -1;
  const data: MapData = { picture, rows, sensors: view?.sensors ?? [], me: view?.nation, selectedRow };
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    let live = true;
    const el = container.current;
    if (!el) return;
    const callbacks: MapCallbacks = {
      onHover: (text) => live && setHover(text),
      onPick: (id) => selectTrack(s, id),
      onView: (b) => live && setBounds(b),
    };
    const useCanvas = async (why: string) => {
      handle.current?.destroy();
      handle.current = null;
      const { createCanvasMap } = await import('./canvasMap');
      if (!live) return;
      el.textContent = '';
      handle.current = createCanvasMap(el, callbacks);
      handle.current.update(latest.current);
      setFallbackWhy(why);
      setRenderer('canvas2d');
    };
    const start = async () => {
      if (!webgl2Available()) return useCanvas('WebGL is not available in this browser');
      try {
        const { createDeckMap } = await import('./deckMap');
        if (!live) return;
        handle.current = createDeckMap(el, callbacks, (why) => void useCanvas(`WebGL failed (${why})`));
        handle.current.update(latest.current);
        setRenderer('webgl');
      } catch (err) {
        await useCanvas(`the WebGL map could not start (${err instanceof Error ? err.message : String(err)})`);
      }
    };
    start().catch((err) => {
      setFallbackWhy(String(err));
      setRenderer('failed');
    });
    return () => {
      live = false;
      handle.current?.destroy();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    handle.current?.update(data);
  }, [picture, rows, selectedRow, view?.sensors, renderer]);

  const spaceBased = (view?.sensors ?? []).filter((x) => !hasGroundSite(x));
  const selectedText = picture && selectedRow >= 0 ? hoverText(picture, selectedRow) : '';
  return (
    <Panel id="map" title="Map">
      <div class="toolbar">
        <TrackSearch />
        {renderer === 'webgl' && (
          <span class="controls" role="group" aria-label="Zoom">
            <button type="button" class="small" data-testid="map-zoom-in" aria-label="Zoom in" onClick={() => handle.current?.zoom(2)}>
              +
            </button>
            <button type="button" class="small" data-testid="map-zoom-out" aria-label="Zoom out" onClick={() => handle.current?.zoom(0.5)}>
              −
            </button>
            <button type="button" class="small" data-testid="map-reset" onClick={() => handle.current?.reset()}>
              Whole world
            </button>
          </span>
        )}
      </div>
      <figure class="map">
        <div
          class="map-canvas"
          ref={container}
          role="img"
          aria-label={`World map with ${rows.length} tracks and our coalition's sensor sites; select a track in the table or with Find a track`}
          data-testid="world-map"
          data-renderer={renderer}
          data-tracks={rows.length}
          data-bounds={bounds.map((b) => b.toFixed(4)).join(',')}
        />
        {renderer === 'canvas2d' && (
          <p class="muted small" role="status" data-testid="map-fallback">
            {fallbackWhy}: the map is drawn on a plain canvas (no zoom).
          </p>
        )}
        {renderer === 'failed' && (
          <p class="form-error" role="alert" data-testid="map-fallback">
            The map could not be drawn: {fallbackWhy}
          </p>
        )}
        <figcaption>
          <span class="hover" data-testid="map-hover" aria-live="polite">
            {hover || (renderer === 'loading' ? 'Loading the map…' : 'Hover a marker for its name; click it to select the track.')}
          </span>
          <span class="legend">
            <span class="key sensor-own">● our sensor</span>
            <span class="key sensor-partner">● partner sensor</span>
            <span class="key source-owner">● owner</span>
            <span class="key source-own">● own</span>
            <span class="key source-shared">● shared</span>
            <span class="key source-fused">● fused</span>
            <span class="key source-catalog">● catalog</span>
          </span>
          <span class="selected-track" data-testid="map-selected" data-object-id={s.selected}>
            {selectedText ? `Selected: ${selectedText}` : ''}
            {selectedText && (
              <button type="button" class="link small" onClick={() => s.select('')}>
                {' '}
                clear
              </button>
            )}
          </span>
          {spaceBased.length > 0 && (
            <span class="muted small">Space-based sensors (not drawn): {spaceBased.map((x) => `${x.name} (${x.owner})`).join(', ')}</span>
          )}
        </figcaption>
      </figure>
    </Panel>
  );
}
