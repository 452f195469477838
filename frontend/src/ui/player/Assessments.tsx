// Our own warning and attribution assessments of hostile events, from our fused picture's evidence.
import { useView, Empty, fmtNum, Panel } from '../common';

export function AssessmentsPanel() {
  const rows = [...(useView('assessments').assessments ?? [])].reverse();
  return (
    <Panel id="assessments" title="Threat assessments (our evidence)">
      {rows.length === 0 ? (
        <Empty>No hostile event has been assessed yet.</Empty>
      ) : (
        <table class="data" data-testid="assessments-table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Warned</th>
              <th scope="col" class="num">Warning h</th>
              <th scope="col">Likelihood (ICD 203)</th>
              <th scope="col">Confidence</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a, i) => (
              <tr key={`${a.inject_id}-${i}`} data-testid={`assessment-${a.inject_id}`}>
                <th scope="row">{a.inject_id}</th>
                <td>{a.warned ? 'yes' : 'no'}</td>
                <td class="num">{a.warning_time_h == null ? '—' : fmtNum(a.warning_time_h, 1)}</td>
                <td>
                  {a.likelihood_label} ({fmtNum(a.likelihood_pct, 0)} %)
                </td>
                <td>{a.confidence}</td>
                <td class="small">{a.evidence.length ? a.evidence.join('; ') : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
