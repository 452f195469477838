// The charts an AAR report carries (`report.charts`, wargame/aar/charts.py), read and checked.
// A chart that breaks the contract becomes an error naming the chart and what is wrong.

export type ChartKind = 'line' | 'bar' | 'histogram' | 'network';
export const CHART_KINDS: readonly ChartKind[] = ['line', 'bar', 'histogram', 'network'];

export type XValue = number | string;

export interface XYSeries {
  name: string;
  x: XValue[];
  y: (number | null)[];
}

export interface HistogramSeries {
  name: string;
  /** Bin edges, one more than the counts. */
  bins: number[];
  counts: number[];
}

export interface NetworkNode {
  id: string;
  label: string;
}

export interface NetworkEdge {
  source: string;
  target: string;
  label: string;
  level: string;
  marking: string;
}

export interface NetworkMove {
  move: number;
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

interface ChartBase {
  id: string;
  title: string;
  x_label: string;
  y_label: string;
}

export type ChartSpec =
  | (ChartBase & { kind: 'line' | 'bar'; series: XYSeries[]; moves: unknown[] })
  | (ChartBase & { kind: 'histogram'; series: HistogramSeries[]; moves: unknown[] })
  | (ChartBase & { kind: 'network'; series: unknown[]; moves: NetworkMove[] });

export type Parsed = { ok: true; chart: ChartSpec } | { ok: false; id: string; error: string };

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

class Bad extends Error {}

function need(ok: boolean, message: string): void {
  if (!ok) throw new Bad(message);
}

function xySeries(raw: unknown, k: number): XYSeries {
  need(isObj(raw), `series ${k} is not an object`);
  const s = raw as Obj;
  const name = isStr(s.name) ? s.name : `series ${k}`;
  need(Array.isArray(s.x) && Array.isArray(s.y), `series '${name}' needs x and y lists`);
  const x = s.x as unknown[];
  const y = s.y as unknown[];
  need(x.length === y.length, `series '${name}' has ${x.length} x values and ${y.length} y values`);
  need(x.every((v) => isNum(v) || isStr(v)), `series '${name}' has an x value that is neither a number nor a text`);
  need(y.every((v) => v === null || isNum(v)), `series '${name}' has a y value that is not a number`);
  return { name, x: x as XValue[], y: y as (number | null)[] };
}

function histogramSeries(raw: unknown, k: number): HistogramSeries {
  need(isObj(raw), `series ${k} is not an object`);
  const s = raw as Obj;
  const name = isStr(s.name) ? s.name : `series ${k}`;
  need(Array.isArray(s.bins) && Array.isArray(s.counts), `histogram series '${name}' needs bins and counts`);
  const bins = s.bins as unknown[];
  const counts = s.counts as unknown[];
  need(bins.every(isNum) && counts.every(isNum), `histogram series '${name}' has a bin edge or count that is not a number`);
  need(bins.length === counts.length + 1, `histogram series '${name}' has ${bins.length} bin edges for ${counts.length} counts (needs one more edge than counts)`);
  const edges = bins as number[];
  need(edges.every((e, i) => i === 0 || e > (edges[i - 1] as number)), `histogram series '${name}' has bin edges that do not increase`);
  return { name, bins: edges, counts: counts as number[] };
}

function networkMove(raw: unknown, k: number): NetworkMove {
  need(isObj(raw), `move entry ${k} is not an object`);
  const m = raw as Obj;
  need(isNum(m.move), `move entry ${k} has no move number`);
  need(Array.isArray(m.nodes) && Array.isArray(m.edges), `move ${String(m.move)} needs nodes and edges`);
  const nodes = (m.nodes as unknown[]).map((n, i) => {
    need(isObj(n) && isStr(n.id), `move ${String(m.move)}: node ${i} has no id`);
    const node = n as Obj;
    return { id: node.id as string, label: isStr(node.label) ? node.label : (node.id as string) };
  });
  const ids = new Set(nodes.map((n) => n.id));
  const edges = (m.edges as unknown[]).map((e, i) => {
    need(isObj(e) && isStr(e.source) && isStr(e.target), `move ${String(m.move)}: edge ${i} needs a source and a target`);
    const edge = e as Obj;
    for (const end of [edge.source, edge.target] as string[]) {
      need(ids.has(end), `move ${String(m.move)}: edge ${i} names node '${end}', which is not among the nodes`);
    }
    const text = (v: unknown) => (isStr(v) ? v : '');
    return {
      source: edge.source as string,
      target: edge.target as string,
      label: text(edge.label),
      level: text(edge.level),
      marking: text(edge.marking),
    };
  });
  return { move: m.move as number, nodes, edges };
}

/** One chart of `report.charts`, checked against the contract. */
export function parseChart(raw: unknown, position = 0): Parsed {
  const id = isObj(raw) && isStr(raw.id) ? raw.id : `chart ${position}`;
  try {
    need(isObj(raw), 'is not an object');
    const c = raw as Obj;
    need(isStr(c.id) && c.id !== '', 'has no id');
    need(isStr(c.title), 'has no title');
    need(isStr(c.kind) && (CHART_KINDS as readonly string[]).includes(c.kind), `has kind ${JSON.stringify(c.kind)}, not one of ${CHART_KINDS.join(', ')}`);
    const base = { id, title: c.title as string, x_label: isStr(c.x_label) ? c.x_label : '', y_label: isStr(c.y_label) ? c.y_label : '' };
    const series = Array.isArray(c.series) ? (c.series as unknown[]) : [];
    const moves = Array.isArray(c.moves) ? (c.moves as unknown[]) : [];
    const kind = c.kind as ChartKind;
    if (kind === 'network') {
      need(moves.length > 0, 'is a network without moves');
      return { ok: true, chart: { ...base, kind, series, moves: moves.map(networkMove) } };
    }
    need(Array.isArray(c.series), 'has no series list');
    if (kind === 'histogram') return { ok: true, chart: { ...base, kind, series: series.map(histogramSeries), moves } };
    return { ok: true, chart: { ...base, kind, series: series.map(xySeries), moves } };
  } catch (err) {
    if (err instanceof Bad) return { ok: false, id, error: `Chart ${id} ${err.message}` };
    throw err;
  }
}

/** Every chart of a report (none when it carries no `charts`). */
export function parseCharts(report: unknown): Parsed[] {
  const charts = isObj(report) ? report.charts : undefined;
  if (charts === undefined || charts === null) return [];
  if (!Array.isArray(charts)) return [{ ok: false, id: 'charts', error: 'The report\'s charts are not a list' }];
  return charts.map((c, i) => parseChart(c, i));
}

/**
 * A distribution of integer outcomes (`{"0": 812, "1": 188}`: outcome -> samples) as a histogram
 * series: one bin per integer from the least to the greatest outcome, edges half-way between.
 */
export function integerHistogram(name: string, dist: Record<string, unknown>): HistogramSeries {
  const entries = Object.entries(dist)
    .map(([k, v]) => [Number(k), Number(v)] as const)
    .filter(([k, v]) => Number.isInteger(k) && Number.isFinite(v));
  if (entries.length === 0) return { name, bins: [], counts: [] };
  const lo = Math.min(...entries.map(([k]) => k));
  const hi = Math.max(...entries.map(([k]) => k));
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const [k, v] of entries) counts[k - lo] = (counts[k - lo] ?? 0) + v;
  const bins = Array.from({ length: counts.length + 1 }, (_, i) => lo - 0.5 + i);
  return { name, bins, counts };
}

/** The Monte Carlo preview's outcome distributions (GET /api/preview) as histograms. */
export function previewCharts(result: Record<string, unknown>): ChartSpec[] {
  const dist = (key: string): Record<string, unknown> => {
    const value = result[key];
    return isObj(value) ? value : {};
  };
  const n = isNum(result.n_samples) ? result.n_samples : 0;
  const charts: ChartSpec[] = [];
  const hits = integerHistogram('samples', dist('targets_hit'));
  if (hits.counts.length) {
    charts.push({ id: 'preview-hits', title: `Targets hit (${n} samples)`, kind: 'histogram', x_label: 'targets hit', y_label: 'samples', series: [hits], moves: [] });
  }
  const levels = integerHistogram('samples', dist('escalation_level'));
  if (levels.counts.length) {
    charts.push({ id: 'preview-escalation', title: `Escalation level (${n} samples)`, kind: 'histogram', x_label: 'escalation level', y_label: 'samples', series: [levels], moves: [] });
  }
  return charts;
}
