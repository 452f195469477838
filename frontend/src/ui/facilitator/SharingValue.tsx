import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchSharingAnalysis, type SharingAnalysisView, type SharingFigures, type SharingValueTables } from '../../api';
import { store } from '../../app';
import type { RequestSharingAnalysis, SharingVariant } from '../../generated/protocol';
import { CommandError, Empty, Panel, useCommand, useSlices, useView } from '../common';

/** The figures shown per nation and move (aar/sharing_value.py SHOWN), with their column heads. */
const SHOWN: [string, string][] = [
  ['custody', 'Custody'],
  ['precise_custody', 'Precise'],
  ['assessed', 'Hostile injects assessed'],
  ['warned', 'Warned'],
  ['warning_hours', 'Warning (h)'],
  ['likelihood_pct', 'Likelihood (%)'],
  ['conjunction_warnings', 'Own conj. warnings'],
  ['warnings_received', 'Warnings received'],
  ['assessments_received', 'Assessments received'],
];
const HOURS = new Set(['warning_hours']);
const ANALYSIS_EVENTS = new Set([
  'sharing_analysis_requested',
  'sharing_analysis_progress',
  'sharing_analysis_completed',
  'sharing_analysis_failed',
]);

function fmt(name: string, value: number | null | undefined, signed = false): string {
  if (value === null || value === undefined) return '—';
  const digits = HOURS.has(name) ? 1 : 0;
  const rounded = Number(value.toFixed(digits)) + 0;
  const text = rounded.toFixed(digits);
  return signed && rounded > 0 ? `+${text}` : text;
}

function gains(value: Record<string, SharingFigures>, metrics: Record<string, string>): string {
  const parts = Object.keys(value)
    .sort()
    .map((nation) => {
      const shown = Object.entries(value[nation] ?? {})
        .filter(([, v]) => v)
        .map(([k, v]) => `${metrics[k] ?? k} ${fmt(k, v, true)}`);
      return shown.length ? `${nation}: ${shown.join(', ')}` : '';
    })
    .filter(Boolean);
  return parts.join('; ') || 'nothing measurable';
}

/** The value of sharing: start an analysis, follow its progress, read its deltas. */
export function SharingValue() {
  const view = useView('meta');
  useSlices('feed');
  const [data, setData] = useState<SharingAnalysisView | null>(null);
  const [error, setError] = useState('');
  const [kinds, setKinds] = useState<Record<string, boolean>>({ all_full: true, none: true, no_review: true });
  const [nation, setNation] = useState('');
  const [perRelease, setPerRelease] = useState(true);
  const [busy, run, commandError] = useCommand();
  const seen = useRef(0);

  const refresh = async () => {
    try {
      setData(await fetchSharingAnalysis());
      setError('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  useEffect(() => {
    void refresh();
  }, []);
  // An analysis event arrived live: fetch the statuses and tables again.
  const fresh = store.feed.filter((e) => ANALYSIS_EVENTS.has(e.event.type) && e.pos > seen.current);
  useEffect(() => {
    if (!fresh.length) return;
    seen.current = Math.max(...fresh.map((e) => e.pos));
    void refresh();
  });
  const running = (data?.analyses ?? []).filter((a) => a.phase === 'requested' || a.phase === 'running');
  useEffect(() => {
    if (!running.length) return;
    const timer = window.setInterval(() => void refresh(), 1500);
    return () => window.clearInterval(timer);
  }, [running.length]);

  const played = view.nations.filter((n) => n.played).map((n) => n.id);
  const start = async () => {
    const variants: SharingVariant[] = Object.entries(kinds)
      .filter(([k, on]) => on && !k.startsWith('nation:'))
      .map(([kind]) => ({ kind: kind as SharingVariant['kind'] }));
    if (nation && kinds['nation:withhold']) variants.push({ kind: 'withhold', nation });
    if (nation && kinds['nation:open']) variants.push({ kind: 'open', nation });
    const command: RequestSharingAnalysis = { type: 'request_sharing_analysis', variants, per_release: perRelease };
    if (await run(command)) void refresh();
  };
  const toggle = (key: string) => setKinds({ ...kinds, [key]: !kinds[key] });
  const box = (key: string, label: string) => (
    <label class="inline">
      <input type="checkbox" data-testid={`sharing-variant-${key.replace(':', '-')}`} checked={!!kinds[key]} onChange={() => toggle(key)} />
      {label}
    </label>
  );
  const last = data?.analyses[data.analyses.length - 1];
  return (
    <Panel id="sharing-value" title="Value of sharing" wide>
      <p class="muted small">
        Re-adjudicates the exercise with the same seeds under other sharing: every order, inject and decision held as played, only
        releases change. Players might have acted differently; these are what the same decisions would have met.
      </p>
      <fieldset disabled={busy || view.phase === 'setup'} class="controls">
        <legend class="sr-only">Variants</legend>
        {box('all_full', 'everyone shares everything in full')}
        {box('none', 'nobody shares')}
        {box('no_review', 'no disclosure review')}
        <label class="inline">
          Nation
          <select data-testid="sharing-nation" value={nation} onChange={(e) => setNation(e.currentTarget.value)}>
            <option value="">(none)</option>
            {played.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {box('nation:withhold', 'its releases withheld')}
        {box('nation:open', 'it releases everything')}
        <label class="inline">
          <input type="checkbox" data-testid="sharing-per-release" checked={perRelease} onChange={() => setPerRelease(!perRelease)} />
          what each release bought
        </label>
        <button type="button" class="primary" data-testid="sharing-run" onClick={() => void start()}>
          {busy ? 'Requesting…' : 'Run analysis'}
        </button>
      </fieldset>
      <CommandError error={commandError} testId="sharing-error" />
      {error && (
        <p class="form-error" role="alert" data-testid="sharing-load-error">
          {error}
        </p>
      )}
      {last && (
        <p data-testid="sharing-progress" data-phase={last.phase} data-done={last.done} data-total={last.total} role="status">
          Analysis {last.analysis_id}: {last.phase}
          {last.phase === 'running' || last.phase === 'requested' ? (
            <>
              {' '}
              <progress max={last.total || 1} value={last.done} /> {last.done} / {last.total || '…'} moves re-adjudicated
              {last.step ? ` — ${last.step}` : ''}
            </>
          ) : null}
          {last.phase === 'failed' ? ` — ${last.reason}` : ''}
        </p>
      )}
      {data?.latest ? <Tables latest={data.latest} /> : <Empty>No analysis recorded yet.</Empty>}
    </Panel>
  );
}

function Tables(props: { latest: SharingValueTables }) {
  const latest = props.latest;
  const compared = latest.variants.filter((v) => ['all_full', 'none', 'no_review', 'withhold', 'open'].includes(v.kind));
  const [key, setKey] = useState(compared.find((v) => v.kind === 'none')?.key ?? compared[0]?.key ?? '');
  const chosen = latest.outcomes[key] ? key : (compared[0]?.key ?? '');
  const outcome = latest.outcomes[chosen] ?? {};
  const delta = latest.deltas[chosen] ?? {};
  const moves = Object.keys(outcome).sort((a, b) => Number(a) - Number(b));
  return (
    <div class="stack">
      <p data-testid="sharing-exact" data-exact={String(latest.exact)}>
        As played reproduces the recorded adjudication {latest.exact ? 'exactly' : `NOT exactly (${latest.mismatch})`}; log to seq{' '}
        {latest.through_seq}.
      </p>
      <label>
        Variant{' '}
        <select data-testid="sharing-variant-select" value={chosen} onChange={(e) => setKey(e.currentTarget.value)}>
          {compared.map((v) => (
            <option key={v.key} value={v.key}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <div class="scroll">
        <table class="data" data-testid="sharing-table">
          <caption class="muted small">Per move and nation: the variant's figure (its difference from as played)</caption>
          <thead>
            <tr>
              <th scope="col">Move</th>
              <th scope="col">Nation</th>
              {SHOWN.map(([k, label]) => (
                <th key={k} scope="col" class="num" title={latest.metrics[k]}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {moves.flatMap((m) =>
              latest.nations.map((n, i) => (
                <tr key={`${m}-${n}`} data-testid={`sharing-row-${m}-${n}`} class={i === 0 ? 'group-start' : ''}>
                  <td>{i === 0 ? m : ''}</td>
                  <th scope="row">{n}</th>
                  {SHOWN.map(([k]) => {
                    const d = delta[m]?.[n]?.[k];
                    return (
                      <td key={k} class={`num ${d ? (d > 0 ? 'good' : 'bad') : ''}`} data-metric={k} data-delta={d ?? ''}>
                        {fmt(k, outcome[m]?.[n]?.[k])} ({fmt(k, d, true)})
                      </td>
                    );
                  })}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <table class="data" data-testid="sharing-totals">
        <caption class="muted small">Totals over the moves, variant minus as played</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Nation</th>
            {SHOWN.map(([k, label]) => (
              <th key={k} scope="col" class="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {compared.flatMap((v) =>
            latest.nations.map((n, i) => (
              <tr key={`${v.key}-${n}`} data-testid={`sharing-total-${v.key}-${n}`} class={i === 0 ? 'group-start' : ''}>
                <td>{i === 0 ? v.label : ''}</td>
                <th scope="row">{n}</th>
                {SHOWN.map(([k]) => (
                  <td key={k} class="num" data-metric={k}>
                    {fmt(k, latest.totals[v.key]?.[n]?.[k], true)}
                  </td>
                ))}
              </tr>
            )),
          )}
        </tbody>
      </table>
      <table class="data" data-testid="sharing-bought">
        <caption class="muted small">What each release bought (as played minus without it) and what withholding cost</caption>
        <tbody>
          {latest.bought.map((b) => (
            <tr key={b.product_id ?? `all-${b.nation}`}>
              <th scope="row">{b.product_id ? `${b.nation ?? ''} ${b.kind ?? ''} (${b.product_id}, move ${b.move ?? '?'})` : `all of ${b.nation}'s releases`}</th>
              <td>{gains(b.value, latest.metrics)}</td>
            </tr>
          ))}
          {latest.withholding_cost.map((w) => (
            <tr key={w.variant}>
              <th scope="row">withheld, against “{w.label}”</th>
              <td>{gains(w.cost, latest.metrics)}</td>
            </tr>
          ))}
          {latest.review_cost && (
            <tr>
              <th scope="row">the disclosure review</th>
              <td>{gains(latest.review_cost, latest.metrics)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
