// Threat assessments: our own, from our fused picture's evidence, and those partners shared with
// us through their assessments products (who shared it, at which marking).
import { MarkingChip } from '../Marking';
import { Empty, fmtNum, nationLabel, Panel, useTeamView } from '../common';

export function AssessmentsPanel() {
  const v = useTeamView('assessments');
  const rows = [...v.assessments].reverse();
  return (
    <Panel id="assessments" title="Threat assessments">
      {rows.length === 0 ? (
        <Empty>No hostile event has been assessed yet.</Empty>
      ) : (
        <table class="data" data-testid="assessments-table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Source</th>
              <th scope="col">Warned</th>
              <th scope="col" class="num">Warning h</th>
              <th scope="col">Likelihood (ICD 203)</th>
              <th scope="col">Confidence</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a, i) => (
              <tr
                key={`${a.inject_id}-${a.shared_by ?? ''}-${i}`}
                data-testid={a.shared_by ? `assessment-${a.inject_id}-${a.shared_by}` : `assessment-${a.inject_id}`}
                class={a.shared_by ? 'shared' : ''}
              >
                <th scope="row">
                  {a.inject_id} <span class="muted small">move {a.move}</span>
                </th>
                <td>
                  {a.shared_by ? (
                    <>
                      shared by {nationLabel(v, a.shared_by)} <MarkingChip marking={a.marking} />
                    </>
                  ) : (
                    'ours'
                  )}
                </td>
                <td>{a.warned ? 'yes' : 'no'}</td>
                <td class="num">{a.warning_time_h == null ? '—' : fmtNum(a.warning_time_h, 1)}</td>
                <td>
                  {a.likelihood_label} ({fmtNum(a.likelihood_pct, 0)} %)
                </td>
                <td>{a.confidence}</td>
                <td class="small">{a.evidence?.length ? a.evidence.join('; ') : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
