import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchReport } from '../../api';
import { Chart } from '../charts/Chart';
import { parseCharts, type Parsed } from '../charts/spec';
import { Empty, Panel, useView } from '../common';

/**
 * The charts of the after-action report (`report.charts`, wargame/aar/charts.py): capability,
 * custody, warning times, escalation, histograms and the sharing network per move. Fetched with
 * the report (GET /api/aar?format=json) when the page opens and after each move.
 */
export function ChartsPanel() {
  const view = useView('meta');
  const [charts, setCharts] = useState<Parsed[] | null>(null);
  const [status, setStatus] = useState('Loading the report…');
  const request = useRef(0);

  const load = async () => {
    const mine = ++request.current;
    setStatus('Loading the report…');
    try {
      const parsed = parseCharts(await fetchReport());
      if (mine !== request.current) return;
      setCharts(parsed);
      setStatus(`after move ${view.move}`);
    } catch (err) {
      if (mine !== request.current) return;
      setStatus(`Could not load the report: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  useEffect(() => {
    void load();
  }, [view.move, view.phase]);

  const drawn = (charts ?? []).filter((c): c is Extract<Parsed, { ok: true }> => c.ok);
  const broken = (charts ?? []).filter((c): c is Extract<Parsed, { ok: false }> => !c.ok);
  return (
    <Panel id="charts" title="Charts" wide>
      <div class="toolbar">
        <button type="button" data-testid="charts-reload" onClick={() => void load()}>
          Refresh
        </button>
        <span class="muted small" data-testid="charts-status" data-count={drawn.length}>
          {charts ? `${drawn.length} chart${drawn.length === 1 ? '' : 's'}` : ''} · {status}
        </span>
      </div>
      {broken.map((c) => (
        <p key={c.id} class="error" data-testid={`chart-${c.id}-error`}>
          {c.error}
        </p>
      ))}
      {charts !== null && drawn.length === 0 && broken.length === 0 && <Empty>This report has no charts.</Empty>}
      <div class="chart-grid">
        {drawn.map((c) => (
          <Chart key={c.chart.id} spec={c.chart} />
        ))}
      </div>
    </Panel>
  );
}
