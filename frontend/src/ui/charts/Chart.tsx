// One chart of a report (or of the Monte Carlo preview), drawn by ECharts on a canvas. The chart
// runtime loads on first use, in a chunk of its own.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MountedChart } from './runtime';
import type { ChartSpec } from './spec';

let runtime: Promise<typeof import('./runtime')> | null = null;
function loadRuntime(): Promise<typeof import('./runtime')> {
  runtime ??= import('./runtime');
  return runtime;
}

export function Chart(props: { spec: ChartSpec; height?: number }) {
  const { spec } = props;
  const el = useRef<HTMLDivElement>(null);
  const mounted = useRef<MountedChart | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [error, setError] = useState('');
  const moves = spec.kind === 'network' ? spec.moves : [];
  const [moveIndex, setMoveIndex] = useState(Math.max(0, moves.length - 1));

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    loadRuntime()
      .then(({ mountChart }) => {
        if (cancelled || !el.current) return;
        mounted.current = mountChart(el.current);
        mounted.current.show(spec, moveIndex);
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => mounted.current?.resize());
          observer.observe(el.current);
        }
        setState('ready');
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setError(err instanceof Error ? err.message : String(err));
        setState('failed');
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      mounted.current?.dispose();
      mounted.current = null;
    };
  }, []);

  useEffect(() => {
    mounted.current?.show(spec, moveIndex);
  }, [spec, moveIndex]);

  const move = moves[moveIndex];
  return (
    <figure class="chart" data-testid={`chart-${spec.id}`} data-kind={spec.kind} data-state={state}>
      <figcaption>{spec.title}</figcaption>
      {spec.kind === 'network' && moves.length > 0 && (
        <label class="small chart-move">
          Move{' '}
          <input
            type="range"
            min={0}
            max={moves.length - 1}
            step={1}
            value={moveIndex}
            data-testid={`chart-${spec.id}-move`}
            aria-valuetext={`move ${move?.move ?? ''}`}
            onInput={(e) => setMoveIndex(Number(e.currentTarget.value))}
          />{' '}
          <output data-testid={`chart-${spec.id}-move-label`}>
            {move?.move ?? ''} ({move?.edges.length ?? 0} release{move?.edges.length === 1 ? '' : 's'})
          </output>
        </label>
      )}
      <div ref={el} class="chart-canvas" style={{ height: `${props.height ?? 280}px` }} role="img" aria-label={spec.title} />
      {spec.kind === 'network' && (
        <p class="muted small">Arrows point from the releasing nation; solid: full, dashed: delayed, dotted: degraded.</p>
      )}
      {state === 'failed' && (
        <p class="error" data-testid={`chart-${spec.id}-error`}>
          The chart could not be drawn: {error}
        </p>
      )}
    </figure>
  );
}
