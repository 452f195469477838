// The fold of the response events into a team's view (protocol/views_responses.py): escalation,
// spares, link protections, deterrence and the notes that say why each outcome happened.
import type { TeamEvent, TeamView } from './types';

type ResponseEvent = Extract<
  TeamEvent,
  {
    type:
      | 'ground_segment_acted'
      | 'spare_activated'
      | 'spare_arrived'
      | 'dime_taken'
      | 'evasion_resolved'
      | 'response_failed'
      | 'escalation_changed';
  }
>;

/** Apply one response event; false when the view has no responses card (resync). */
export function applyResponseEvent(view: TeamView, event: ResponseEvent): boolean {
  const card = view.responses;
  if (!card) return false;
  if (event.type === 'escalation_changed') {
    const b = event.body;
    card.escalation = { level: b.level, name: b.name, score: b.score, reasons: [...(b.reasons ?? [])], credibility: { ...(b.credibility ?? {}) } };
    return true;
  }
  card.notes.push({ nation: event.type === 'dime_taken' ? null : noteNation(event), move: event.move, kind: event.type, text: event.body.explanation });
  switch (event.type) {
    case 'ground_segment_acted': {
      const b = event.body;
      if (b.succeeded && b.from_move != null && b.until_move != null) {
        card.protections.push({ asset_id: b.asset_id, owner: b.owner, action: b.action, from_move: b.from_move, until_move: b.until_move });
      }
      return true;
    }
    case 'dime_taken': {
      const b = event.body;
      if (b.until_move != null) {
        card.deterrence.push({
          nation: b.nation,
          instrument: b.instrument,
          target_nation: b.target_nation,
          factor: b.deterrence_factor,
          from_move: b.from_move,
          until_move: b.until_move,
        });
      }
      return true;
    }
    case 'spare_activated': {
      const spare = card.spares.find((s) => s.id === event.body.spare_id);
      if (spare) {
        spare.status = 'activated';
        spare.arrives_move = event.body.arrives_move;
      }
      return true;
    }
    case 'spare_arrived': {
      const b = event.body;
      const spare = card.spares.find((s) => s.id === b.spare_id);
      if (spare) spare.status = 'arrived';
      if (!view.assets.some((a) => a.id === b.spare_id)) {
        view.assets.push({
          id: b.spare_id,
          name: b.name,
          owner: b.owner,
          kind: b.kind,
          mission: b.mission ?? null,
          propellant_dv_m_per_s: b.propellant_dv_m_per_s,
          anti_jam: false,
          status: 'nominal',
          status_until_move: null,
        });
      }
      return true;
    }
    default:
      return true;
  }
}

function noteNation(event: ResponseEvent): string {
  const b = event.body as { owner?: string; nation?: string };
  return b.owner ?? b.nation ?? '';
}
