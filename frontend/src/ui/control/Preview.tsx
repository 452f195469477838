// Monte Carlo preview: what an inject (or the open move) would do, sampled N times, before release.
import { useMemo, useState } from 'preact/hooks';
import { fetchPreview } from '../../api';
import { mselOf } from '../../types';
import { Chart } from '../charts/Chart';
import { previewCharts } from '../charts/spec';
import { Empty, fmtNum, Panel, useControlView } from '../common';

type Dist = Record<string, number>;
type Stats = { mean: number; p05: number; p95: number };

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function Distribution(props: { title: string; dist: Dist; total: number; testid: string }) {
  const keys = Object.keys(props.dist).sort((a, b) => Number(a) - Number(b));
  return (
    <table class="data" data-testid={props.testid}>
      <caption>{props.title}</caption>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td class="num">{fmtNum((100 * (props.dist[k] ?? 0)) / Math.max(props.total, 1), 1)} %</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PreviewPanel() {
  const v = useControlView('meta', 'injects');
  const [injectId, setInjectId] = useState('');
  const [samples, setSamples] = useState(1000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [result, setResult] = useState<Record<string, unknown> | null>(null);
  const unreleased = mselOf(v).filter((e) => e.released_move == null || !e.resolved);
  const run = async () => {
    setBusy(true);
    setError('');
    try {
      setResult(await fetchPreview(injectId || null, samples));
    } catch (exc) {
      setError(String(exc));
    } finally {
      setBusy(false);
    }
  };
  const n = typeof result?.n_samples === 'number' ? result.n_samples : 0;
  const histograms = useMemo(() => (result ? previewCharts(result) : []), [result]);
  const targets = asRecord(result?.targets);
  const capability = asRecord(result?.capability);
  return (
    <Panel id="preview" title="Monte Carlo preview">
      <p class="muted small">Sample the outcome before releasing: nothing is recorded or changed.</p>
      <div class="toolbar">
        <label>
          Inject{' '}
          <select data-testid="preview-inject" value={injectId} onChange={(e) => setInjectId(e.currentTarget.value)}>
            <option value="">(the open move's injects)</option>
            {unreleased.map((e) => (
              <option key={e.id} value={e.id}>
                {e.id} — {e.title}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Samples{' '}
          <input
            type="number"
            min={1}
            max={10000}
            value={samples}
            data-testid="preview-samples"
            onInput={(e) => setSamples(Math.max(1, Math.min(10000, Number(e.currentTarget.value) || 1)))}
          />
        </label>{' '}
        <button type="button" class="primary small" data-testid="preview-run" disabled={busy} onClick={() => void run()}>
          {busy ? 'Sampling…' : 'Preview'}
        </button>
      </div>
      {error && <p class="error" data-testid="preview-error">{error}</p>}
      {result === null ? (
        <Empty>No preview yet.</Empty>
      ) : (
        <div data-testid="preview-result">
          <table class="data" data-testid="preview-targets">
            <caption>Targets ({n} samples)</caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col" class="num">P(success)</th>
                <th scope="col" class="num">Hit in samples</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(targets).map(([id, t]) => {
                const row = asRecord(t);
                return (
                  <tr key={id}>
                    <th scope="row">{id}</th>
                    <td class="num">{fmtNum(Number(row.p_success ?? 0), 3)}</td>
                    <td class="num">{fmtNum(100 * Number(row.hit_frequency ?? 0), 1)} %</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="chart-grid" data-testid="preview-histograms">
            {histograms.map((spec) => (
              <Chart key={`${spec.id}-${String(result.inject_id)}-${n}`} spec={spec} height={200} />
            ))}
          </div>
          <Distribution title="Targets hit" dist={asRecord(result.targets_hit) as Dist} total={n} testid="preview-hits" />
          <Distribution title="Escalation level" dist={asRecord(result.escalation_level) as Dist} total={n} testid="preview-escalation" />
          <table class="data" data-testid="preview-capability">
            <caption>Capability delivered (mean, 5th-95th percentile)</caption>
            <tbody>
              {Object.entries(capability).flatMap(([nation, areas]) =>
                Object.entries(asRecord(areas)).map(([area, s]) => {
                  const st = asRecord(s) as unknown as Stats;
                  return (
                    <tr key={`${nation}-${area}`}>
                      <th scope="row">
                        {nation} {area}
                      </th>
                      <td class="num">
                        {fmtNum(100 * st.mean, 1)} % ({fmtNum(100 * st.p05, 0)}–{fmtNum(100 * st.p95, 0)} %)
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
