// A chart of the report (spec.ts) as an Apache ECharts option. Pure: no DOM, no echarts runtime
// (type imports only), so the option each kind maps to is tested without a browser.
import type { BarSeriesOption, GraphSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ChartSpec, HistogramSeries, NetworkMove, XYSeries } from './spec';

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GraphSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
>;

/** Points on the x axis above which a line or bar chart gets a zoom slider under it. */
export const SLIDER_ABOVE = 24;

/** Line style of a sharing-network edge by its release level. */
export const EDGE_STYLE: Record<string, 'solid' | 'dashed' | 'dotted'> = { full: 'solid', delayed: 'dashed', degraded: 'dotted' };

/** A number as people read it: an integer whole, anything else to 3 significant digits, with
 *  thousands separated (tiny values as 1.2e-4). */
export function fmtValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) < 1e-3) return value.toExponential(1);
  return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** A histogram bin's label: the integer it centres on (edges k-0.5, k+0.5), or `lo–hi`. */
export function binLabel(lo: number, hi: number): string {
  const centre = (lo + hi) / 2;
  if (hi - lo === 1 && Number.isInteger(centre)) return String(centre);
  return `${fmtValue(lo)}–${fmtValue(hi)}`;
}

function axes(seriesCount: number): Pick<ChartOption, 'grid' | 'legend' | 'tooltip'> {
  const legend = seriesCount > 1;
  return {
    grid: { left: 56, right: 24, top: legend ? 36 : 16, bottom: 56, containLabel: true },
    legend: { show: legend, type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? fmtValue(v) : String(v ?? '—')) },
  };
}

function named(label: string, gap: number) {
  return { name: label, nameLocation: 'middle' as const, nameGap: gap };
}

function categories(series: XYSeries[]): string[] {
  const seen = new Set<string>();
  for (const s of series) for (const x of s.x) seen.add(String(x));
  return [...seen];
}

function xyOption(spec: ChartSpec & { kind: 'line' | 'bar' }): ChartOption {
  const numeric = spec.kind === 'line' && spec.series.every((s) => s.x.every((x) => typeof x === 'number'));
  const points = numeric
    ? new Set(spec.series.flatMap((s) => s.x)).size
    : categories(spec.series).length;
  const zoom: DataZoomComponentOption[] = [{ type: 'inside', xAxisIndex: 0 }];
  if (points > SLIDER_ABOVE) zoom.push({ type: 'slider', xAxisIndex: 0, height: 18, bottom: 4 });
  const labels = numeric ? [] : categories(spec.series);
  const series = spec.series.map((s) => {
    const data = numeric
      ? s.x.map((x, i) => [x as number, s.y[i] ?? null] as [number, number | null])
      : labels.map((label) => {
          const i = s.x.findIndex((x) => String(x) === label);
          return i < 0 ? null : (s.y[i] ?? null);
        });
    return spec.kind === 'line'
      ? ({ type: 'line', name: s.name, data, connectNulls: false, showSymbol: true } as LineSeriesOption)
      : ({ type: 'bar', name: s.name, data } as BarSeriesOption);
  });
  const integral = numeric && spec.series.every((s) => s.x.every((x) => Number.isInteger(x)));
  return {
    animation: false,
    ...axes(spec.series.length),
    xAxis: numeric
      ? { type: 'value', ...named(spec.x_label, 28), scale: true, ...(integral ? { minInterval: 1 } : {}) }
      : { type: 'category', ...named(spec.x_label, 28), data: labels },
    yAxis: { type: 'value', ...named(spec.y_label, 44) },
    dataZoom: zoom,
    series,
  };
}

function histogramOption(spec: ChartSpec & { kind: 'histogram' }): ChartOption {
  // Bins of every series on one category axis, in order of their lower edge.
  const bins = new Map<string, [number, number]>();
  for (const s of spec.series) {
    for (let i = 0; i < s.counts.length; i++) {
      const lo = s.bins[i] as number;
      const hi = s.bins[i + 1] as number;
      bins.set(`${lo}|${hi}`, [lo, hi]);
    }
  }
  const ordered = [...bins.entries()].sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]);
  const countIn = (s: HistogramSeries, lo: number, hi: number): number => {
    for (let i = 0; i < s.counts.length; i++) if (s.bins[i] === lo && s.bins[i + 1] === hi) return s.counts[i] as number;
    return 0;
  };
  return {
    animation: false,
    ...axes(spec.series.length),
    xAxis: { type: 'category', ...named(spec.x_label, 28), data: ordered.map(([, [lo, hi]]) => binLabel(lo, hi)) },
    yAxis: { type: 'value', ...named(spec.y_label, 44), minInterval: 1 },
    series: spec.series.map(
      (s): BarSeriesOption => ({
        type: 'bar',
        name: s.name,
        barCategoryGap: '4%',
        data: ordered.map(([, [lo, hi]]) => countIn(s, lo, hi)),
      }),
    ),
  };
}

function networkOption(move: NetworkMove | undefined): ChartOption {
  const nodes = move?.nodes ?? [];
  const edges = move?.edges ?? [];
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const data = (p as { data?: Record<string, unknown> }).data ?? {};
        if (typeof data.source === 'string') {
          return `${String(data.source)} → ${String(data.target)}: ${String(data.text)} (${String(data.level)}, ${String(data.marking)})`;
        }
        return String(data.name ?? '');
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'circular',
        circular: { rotateLabel: false },
        roam: true,
        autoCurveness: true,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        symbolSize: 28,
        label: { show: true, position: 'bottom' },
        edgeLabel: {
          show: edges.length <= 40,
          fontSize: 10,
          formatter: (p: unknown) => String((p as { data?: { text?: unknown } }).data?.text ?? ''),
        },
        data: nodes.map((n) => ({ id: n.id, name: n.label })),
        links: edges.map((e) => ({
          source: e.source,
          target: e.target,
          text: e.label,
          level: e.level,
          marking: e.marking,
          lineStyle: { type: EDGE_STYLE[e.level] ?? 'solid', width: 1.5 },
        })),
      },
    ],
  };
}

/** The ECharts option of a chart; a network shows its `moveIndex`-th move (default the last). */
export function chartOption(spec: ChartSpec, moveIndex?: number): ChartOption {
  switch (spec.kind) {
    case 'line':
    case 'bar':
      return xyOption(spec);
    case 'histogram':
      return histogramOption(spec);
    case 'network': {
      const index = moveIndex ?? spec.moves.length - 1;
      return networkOption(spec.moves[Math.max(0, Math.min(index, spec.moves.length - 1))]);
    }
  }
}
