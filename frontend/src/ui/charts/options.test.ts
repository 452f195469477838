import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binLabel, chartOption, EDGE_STYLE, fmtValue, type ChartOption } from './options';
import { integerHistogram, parseChart, parseCharts, previewCharts, type ChartSpec } from './spec';

/** report.charts of the contract, one chart of each kind (fixtures/aar-charts.json). */
function fixture(): ChartSpec[] {
  const report = JSON.parse(readFileSync(new URL('../../../fixtures/aar-charts.json', import.meta.url), 'utf8'));
  return parseCharts(report).map((parsed) => {
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.chart;
  });
}

function chart(id: string): ChartSpec {
  const found = fixture().find((c) => c.id === id);
  if (!found) throw new Error(`no chart ${id} in the fixture`);
  return found;
}

type Loose = Record<string, any>;
const series = (option: ChartOption): Loose[] => option.series as Loose[];
const axis = (option: ChartOption, which: 'xAxis' | 'yAxis'): Loose => option[which] as Loose;

describe('chart options', () => {
  it('a line chart has one line per series, its points as (x, y) and the axis labels', () => {
    const option = chartOption(chart('capability-satcom'));
    expect(series(option).map((s) => [s.type, s.name])).toEqual([
      ['line', 'USA'],
      ['line', 'GBR'],
      ['line', 'JPN'],
    ]);
    expect(series(option)[1]!.data).toEqual([
      [1, 1.0],
      [2, 0.5],
      [3, null],
      [4, 1.0],
    ]);
    expect(axis(option, 'xAxis')).toMatchObject({ type: 'value', name: 'move', minInterval: 1 });
    expect(axis(option, 'yAxis')).toMatchObject({ type: 'value', name: 'share of required service' });
    expect(option.dataZoom).toEqual([{ type: 'inside', xAxisIndex: 0 }]);
    expect((option.legend as Loose).show).toBe(true);
  });

  it('a long line gets a zoom slider', () => {
    const x = Array.from({ length: 30 }, (_, i) => i + 1);
    const parsed = parseChart({ id: 'long', title: 'Long', kind: 'line', x_label: 'move', y_label: 'n', series: [{ name: 'a', x, y: x }], moves: [] });
    if (!parsed.ok) throw new Error(parsed.error);
    expect((chartOption(parsed.chart).dataZoom as Loose[]).map((z) => z.type)).toEqual(['inside', 'slider']);
  });

  it('a bar chart puts every series on one category axis, a missing category as no bar', () => {
    const option = chartOption(chart('custody-move-4'));
    expect(axis(option, 'xAxis')).toMatchObject({ type: 'category', name: 'nation', data: ['USA', 'GBR', 'JPN'] });
    expect(axis(option, 'yAxis').name).toBe('objects');
    expect(series(option).map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', 'custody', [27, 21, 18]],
      ['bar', 'precise custody', [19, null, 7]],
    ]);
  });

  it('a histogram is one bar series per series over the union of its bins', () => {
    const option = chartOption(chart('warning-time'));
    expect(axis(option, 'xAxis')).toMatchObject({ type: 'category', name: 'hours of warning', data: ['0–6', '6–12', '12–18', '18–24'] });
    expect(axis(option, 'yAxis')).toMatchObject({ name: 'assessments', minInterval: 1 });
    expect(series(option).map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', 'warned', [3, 1, 0, 2]],
      ['bar', 'shared warning', [1, 4, 0, 0]],
    ]);
  });

  it('a network is a graph of the chosen move (default the last), edges styled by level', () => {
    const spec = chart('sharing-network');
    const last = series(chartOption(spec))[0]!;
    expect(last.type).toBe('graph');
    expect(last.data).toEqual([
      { id: 'USA', name: 'United States' },
      { id: 'GBR', name: 'United Kingdom' },
      { id: 'JPN', name: 'Japan' },
    ]);
    expect(last.links.map((l: Loose) => [l.source, l.target, l.text, l.marking, l.lineStyle.type])).toEqual([
      ['USA', 'GBR', 'tracks', 'REL GBR', EDGE_STYLE.full],
      ['JPN', 'USA', 'warnings', 'REL USA', 'dashed'],
      ['GBR', 'JPN', 'tracks (GEO)', 'REL ALL-PARTICIPANTS', 'dotted'],
    ]);
    const first = series(chartOption(spec, 0))[0]!;
    expect(first.links).toHaveLength(1);
    expect(series(chartOption(spec, 9))[0]!.links).toHaveLength(3); // clamped to the last move
    expect(chartOption(spec).xAxis).toBeUndefined();
  });
});

describe('reading report.charts', () => {
  it('names the chart and what breaks the contract', () => {
    const bad = (raw: unknown) => {
      const parsed = parseChart(raw);
      return parsed.ok ? 'ok' : parsed.error;
    };
    const base = { id: 'c1', title: 'T', x_label: 'x', y_label: 'y', moves: [] };
    expect(bad({ ...base, kind: 'pie', series: [] })).toBe('Chart c1 has kind "pie", not one of line, bar, histogram, network');
    expect(bad({ ...base, kind: 'histogram', series: [{ name: 'h', bins: [0, 1], counts: [1, 2] }] })).toBe(
      "Chart c1 histogram series 'h' has 2 bin edges for 2 counts (needs one more edge than counts)",
    );
    expect(bad({ ...base, kind: 'line', series: [{ name: 's', x: [1, 2], y: [1] }] })).toBe("Chart c1 series 's' has 2 x values and 1 y values");
    expect(
      bad({ ...base, kind: 'network', series: [], moves: [{ move: 1, nodes: [{ id: 'USA', label: 'USA' }], edges: [{ source: 'USA', target: 'FRA' }] }] }),
    ).toBe("Chart c1 move 1: edge 0 names node 'FRA', which is not among the nodes");
    expect(parseCharts({ title: 'a report without charts' })).toEqual([]);
  });
});

describe('Monte Carlo preview histograms', () => {
  it('an integer distribution gets a bin per integer, gaps as zero', () => {
    expect(integerHistogram('s', { '3': 200, '1': 800 })).toEqual({ name: 's', bins: [0.5, 1.5, 2.5, 3.5], counts: [800, 0, 200] });
    const [hits, levels] = previewCharts({ n_samples: 1000, targets_hit: { '0': 150, '1': 850 }, escalation_level: { '1': 150, '3': 850 } });
    expect([hits!.title, levels!.title]).toEqual(['Targets hit (1000 samples)', 'Escalation level (1000 samples)']);
    const option = chartOption(levels!);
    expect(axis(option, 'xAxis').data).toEqual(['1', '2', '3']);
    expect(series(option)[0]!.data).toEqual([150, 0, 850]);
    expect(axis(chartOption(hits!), 'xAxis').name).toBe('targets hit');
    expect((option.legend as Loose).show).toBe(false); // one series: no legend
  });

  it('numbers read as people write them', () => {
    expect([fmtValue(109.45227744249483), fmtValue(1314), fmtValue(0.00012), fmtValue(0)]).toEqual(['109', '1,314', '1.2e-4', '0']);
    expect([binLabel(-0.5, 0.5), binLabel(0, 6), binLabel(0.25, 0.5)]).toEqual(['0', '0–6', '0.25–0.5']);
  });
});
