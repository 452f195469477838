import { useView, Empty, Panel } from '../common';

export function PictureSummary() {
  const view = useView('nations');
  const states = Object.entries(view.nations_state ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const total = view.objects?.length ?? 0;
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
                Held / {total}
              </th>
              <th scope="col" class="num">
                owner
              </th>
              <th scope="col" class="num">
                own
              </th>
              <th scope="col" class="num">
                shared
              </th>
              <th scope="col" class="num">
                fused
              </th>
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
              const summary = s.picture_summary;
              const rows = s.picture ?? [];
              const by = (src: string) => summary?.by_source[src] ?? rows.filter((t) => t.source === src).length;
              return (
                <tr key={nation} data-testid={`picture-summary-${nation}`}>
                  <th scope="row">{nation}</th>
                  <td class="num" data-testid={`picture-held-${nation}`}>
                    {summary?.held ?? rows.length}
                  </td>
                  <td class="num">{by('owner')}</td>
                  <td class="num">{by('own')}</td>
                  <td class="num">{by('shared')}</td>
                  <td class="num">{by('fused')}</td>
                  <td class="num">{s.warnings.length}</td>
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

export function SharingMatrix() {
  const states = useView('nations', 'sharing').nations_state ?? {};
  const from = Object.keys(states)
    .filter((n) => Object.keys(states[n]?.sharing ?? {}).length > 0)
    .sort();
  const to = Array.from(new Set(from.flatMap((n) => Object.keys(states[n]?.sharing ?? {})))).sort();
  return (
    <Panel id="sharing-matrix" title="Sharing matrix">
      {from.length === 0 ? (
        <Empty>No sharing policies.</Empty>
      ) : (
        <div class="scroll">
          <table class="data matrix" data-testid="sharing-matrix">
            <caption class="muted small">Row nation shares with column partner</caption>
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
              {from.map((n) => (
                <tr key={n}>
                  <th scope="row">{n}</th>
                  {to.map((p) => {
                    const level = n === p ? '' : (states[n]?.sharing[p] ?? '');
                    return (
                      <td key={p} class={level ? `level-${level}` : 'self'} data-testid={`sharing-cell-${n}-${p}`}>
                        {n === p ? '·' : level || '—'}
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
  const metrics = useView('metrics').metrics_by_move ?? {};
  const moves = Object.keys(metrics).sort((a, b) => Number(a) - Number(b));
  const areas = Array.from(
    new Set(moves.flatMap((m) => Object.values(metrics[m]?.capability ?? {}).flatMap((c) => Object.keys(c)))),
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
                const mm = metrics[m] ?? {};
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
