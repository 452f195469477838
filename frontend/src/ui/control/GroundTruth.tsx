// Control's summaries of every nation: held pictures, who releases what to whom, and the metrics
// recorded at each adjudication.
import { Empty, Panel, useControlView } from '../common';
import { MarkingChip } from '../Marking';
import type { MoveMetrics } from '../../types';

export function PictureSummary() {
  const view = useControlView('nations');
  const states = Object.entries(view.nations_state).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Panel id="pictures" title="Nations' pictures">
      {states.length === 0 ? (
        <Empty>No nation state.</Empty>
      ) : (
        <table class="data" data-testid="picture-summary">
          <thead>
            <tr>
              <th scope="col">Nation</th>
              <th scope="col" class="num">
                Held / {view.objects_total}
              </th>
              {['owner', 'own', 'shared', 'fused', 'catalog'].map((src) => (
                <th key={src} scope="col" class="num">
                  {src}
                </th>
              ))}
              <th scope="col" class="num">
                Warnings
              </th>
              <th scope="col" class="num">
                Open orders
              </th>
            </tr>
          </thead>
          <tbody>
            {states.map(([nation, s]) => {
              if (!s) return null;
              const summary = s.picture_summary;
              return (
                <tr key={nation} data-testid={`picture-summary-${nation}`}>
                  <th scope="row">{nation}</th>
                  <td class="num" data-testid={`picture-held-${nation}`}>
                    {summary?.held ?? '—'}
                  </td>
                  {['owner', 'own', 'shared', 'fused', 'catalog'].map((src) => (
                    <td key={src} class="num">
                      {summary ? (summary.by_source[src] ?? 0) : '—'}
                    </td>
                  ))}
                  <td class="num" title="all moves (the latest moves' are listed)">
                    {s.warnings_total}
                  </td>
                  <td class="num" title={s.orders.map((o) => o.order_id).join(', ')}>
                    {s.orders.length}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** Who releases what to whom: each nation's products by recipient (and, in logs recorded before
 *  products, the sharing level it set per partner). */
export function SharingMatrix() {
  const view = useControlView('nations', 'sharing');
  const states = view.nations_state;
  const nations = Object.keys(states).sort();
  const to = view.nations.filter((n) => n.played).map((n) => n.id);
  const released = nations.filter((n) => (states[n]?.products.length ?? 0) > 0 || Object.values(states[n]?.sharing ?? {}).some((l) => l && l !== 'withhold'));
  return (
    <Panel id="sharing-matrix" title="Sharing matrix">
      {released.length === 0 ? (
        <Empty>No nation releases anything yet.</Empty>
      ) : (
        <div class="scroll">
          <table class="data matrix" data-testid="sharing-matrix">
            <caption class="muted small">Row nation releases to column partner (product, level, marking; from which move)</caption>
            <thead>
              <tr>
                <th scope="col">From \ to</th>
                {to.map((p) => (
                  <th key={p} scope="col">
                    {p}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {released.map((n) => (
                <tr key={n}>
                  <th scope="row">{n}</th>
                  {to.map((p) => {
                    const card = states[n];
                    const products = (card?.products ?? []).filter((x) => x.recipients.includes(p));
                    const legacy = card?.sharing[p];
                    const empty = products.length === 0 && (!legacy || legacy === 'withhold');
                    return (
                      <td key={p} class={n === p ? 'self' : empty ? '' : 'level-full'} data-testid={`sharing-cell-${n}-${p}`}>
                        {n === p
                          ? '·'
                          : empty
                            ? '—'
                            : [
                                ...products.map((x) => (
                                  <div key={x.product_id} class="small">
                                    {x.label} {x.level} <MarkingChip label={x.marking_label} /> m{x.effective[p] ?? x.released_move}
                                  </div>
                                )),
                                ...(legacy && legacy !== 'withhold' ? [<div key="legacy" class="small">{legacy}</div>] : []),
                              ]}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

export function MetricsPanel() {
  const metrics = useControlView('metrics').metrics_by_move;
  const moves = Object.keys(metrics).sort((a, b) => Number(a) - Number(b));
  const areas = Array.from(
    new Set(moves.flatMap((m) => Object.values(metrics[m]?.capability ?? {}).flatMap((c) => Object.keys(c ?? {})))),
  ).sort();
  return (
    <Panel id="metrics" title="Metrics by move" wide>
      {moves.length === 0 ? (
        <Empty>No move adjudicated yet.</Empty>
      ) : (
        <div class="scroll">
          <table class="data" data-testid="metrics-table">
            <caption class="muted small">Capability delivered (share of required service) per mission area</caption>
            <thead>
              <tr>
                <th scope="col">Move</th>
                <th scope="col">Nation</th>
                {areas.map((a) => (
                  <th key={a} scope="col" class="num">
                    {a}
                  </th>
                ))}
                <th scope="col" class="num" title="Objects held in the nation's fused picture">
                  Custody
                </th>
                <th scope="col" class="num" title="Objects held at conjunction-grade precision (ruleset custody.precise_sigma_km)">
                  Precise
                </th>
                <th scope="col" class="num">
                  Escalation
                </th>
              </tr>
            </thead>
            <tbody>
              {moves.flatMap((m) => {
                const mm: Partial<MoveMetrics> = metrics[m] ?? {};
                const nations = Object.keys(mm.capability ?? mm.custody ?? {}).sort();
                return nations.map((n, i) => (
                  <tr key={`${m}-${n}`} data-testid={`metrics-row-${m}-${n}`} class={i === 0 ? 'group-start' : ''}>
                    <td>{i === 0 ? m : ''}</td>
                    <th scope="row">{n}</th>
                    {areas.map((a) => {
                      const value = mm.capability?.[n]?.[a];
                      return (
                        <td key={a} class={`num ${value === undefined ? '' : value < 0.5 ? 'bad' : value < 0.9 ? 'warn' : 'good'}`}>
                          {value === undefined ? '—' : `${Math.round(value * 100)}%`}
                        </td>
                      );
                    })}
                    <td class="num">{mm.custody?.[n] ?? '—'}</td>
                    <td class="num" data-testid={`metrics-precise-${m}-${n}`}>{mm.precise_custody?.[n] ?? '—'}</td>
                    <td class="num">{i === 0 ? (mm.escalation_level ?? '—') : ''}</td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
