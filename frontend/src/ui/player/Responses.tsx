// The team's responses panel: the escalation level everyone sees and why it moved, the team's
// spares and ground-segment protections and the deterrence in force (the team feed says what each
// response did and why).
import { Empty, Panel, useTeamView } from '../common';

export function ResponsesPanel() {
  const v = useTeamView('responses', 'meta');
  const card = v.responses;
  if (!card) return null;
  const e = card.escalation;
  return (
    <Panel id="responses" title="Escalation and responses">
      <p data-testid="escalation">
        Escalation level <strong data-testid="escalation-level">{e.level}</strong> — <span data-testid="escalation-name">{e.name}</span>{' '}
        <span class="muted">(score {e.score.toFixed(2)})</span>
      </p>
      {e.reasons.length > 0 && (
        <ul class="list" data-testid="escalation-reasons">
          {e.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      <p class="muted small" data-testid="credibility">
        Credibility:{' '}
        {Object.entries(e.credibility)
          .map(([n, c]) => `${n} ${(c ?? 1).toFixed(2)}`)
          .join(' · ')}
      </p>
      <h3>Spares</h3>
      {card.spares.length === 0 ? (
        <Empty>No spares.</Empty>
      ) : (
        <ul class="list" data-testid="spares">
          {card.spares.map((s) => (
            <li key={s.id} data-testid={`spare-${s.id}`}>
              {s.name}: {s.status}
              {s.status === 'activated' && s.arrives_move != null ? `, in play from move ${s.arrives_move}` : ''}
            </li>
          ))}
        </ul>
      )}
      {card.protections.length > 0 && (
        <>
          <h3>Ground segment</h3>
          <ul class="list" data-testid="protections">
            {card.protections.map((p, i) => (
              <li key={i}>
                {p.asset_id}: {p.action.replace(/_/g, ' ')}, moves {p.from_move}–{p.until_move}
              </li>
            ))}
          </ul>
        </>
      )}
      {card.deterrence.length > 0 && (
        <>
          <h3>Deterrence</h3>
          <ul class="list" data-testid="deterrence">
            {card.deterrence.map((d, i) => (
              <li key={i}>
                {d.nation} {d.instrument.replace(/_/g, ' ')}: {d.target_nation}'s attacks ×{d.factor} in moves {d.from_move}–{d.until_move}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
