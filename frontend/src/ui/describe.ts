// One-line human descriptions of projected events, for feeds and the timeline.
import { describeEvaluation, EVALUATION_EVENTS } from '../evaluation';
import { bool, field, num, str } from '../parse';
import type { ProjectedEvent } from '../generated/protocol';
import { markingLabel } from '../labels';
import type { Marking, Order } from '../types';

/** A manoeuvre's Δv: the along-track value alone, or its three RTN components and their norm. */
export function describeDv(along: number, radial = 0, cross = 0): string {
  if (!radial && !cross) return `${along} m/s`;
  const norm = Math.hypot(along, radial, cross);
  return `${along} m/s along-track, ${radial} m/s radial, ${cross} m/s cross-track (|Δv| ${norm.toFixed(2)} m/s)`;
}

export function describeOrder(order: Order | undefined): string {
  if (!order) return 'order';
  switch (order.kind) {
    case 'manoeuvre':
      return `manoeuvre ${order.asset_id} by ${describeDv(order.dv_m_per_s, order.dv_radial_m_per_s, order.dv_cross_track_m_per_s)} (${order.purpose ?? 'collision_avoidance'})`;
    case 'anti_jam':
      return `anti-jam ${order.enabled ? 'ON' : 'OFF'} on ${order.asset_id}`;
    case 'tasking_request':
      return `ask ${order.partner} to task ${order.sensor_id} on ${order.object_id}`;
    case 'public_attribution':
      return `publicly attribute ${order.inject_id} to ${order.accused} (${order.likelihood})`;
    case 'counterspace':
      return `fire ${order.weapon_id} at ${order.target}`;
    case 'safe_mode':
      return `${order.enter ? 'put' : 'bring'} ${order.asset_id} ${order.enter ? 'into' : 'out of'} safe mode`;
    case 'ground_segment':
      return `${order.action.replace(/_/g, ' ')} for ${order.asset_id}`;
    case 'reconstitute':
      return `activate spare ${order.spare_id}`;
    case 'dime':
      return `${order.instrument.replace(/_/g, ' ')} against ${order.target_nation}${order.text ? `: “${order.text}”` : ''}`;
  }
}

export function describeEvent(e: ProjectedEvent): string {
  const b = e.body;
  if (EVALUATION_EVENTS.has(e.type)) return describeEvaluation(e.type, b);
  switch (e.type) {
    case 'exercise_created':
      return `Exercise created: ${str(b, 'title')}`;
    case 'exercise_started':
      return `Exercise started — move ${num(b, 'move')}`;
    case 'exercise_paused':
      return `Exercise paused${str(b, 'reason') ? ': ' + str(b, 'reason') : ''}`;
    case 'exercise_resumed':
      return 'Exercise resumed';
    case 'exercise_ended':
      return `Exercise ended after move ${num(b, 'move')}`;
    case 'move_advanced':
      return `Move ${num(b, 'move')} opened`;
    case 'move_closing':
      return num(b, 'move') === 0 ? 'Computing the first pictures' : `Move ${num(b, 'move')} closed for adjudication`;
    case 'move_reopened':
      return `Move ${num(b, 'move')} reopened: ${str(b, 'reason')}`;
    case 'inject_released': {
      const inject = field<Record<string, unknown> | undefined>(b, 'inject') ?? {};
      return `${bool(b, 'adhoc') ? 'Ad-hoc inject' : 'Inject'} released: ${str(inject, 'title')} [${str(inject, 'id')}]`;
    }
    case 'inject_resolved':
      return `Inject ${str(b, 'inject_id')} resolved: ${str(b, 'outcome')} (p=${num(b, 'p_success').toFixed(2)}, ${
        bool(b, 'succeeded') ? 'succeeded' : 'failed'
      })`;
    case 'sharing_policy_set':
      return `${str(b, 'nation')} now shares with ${str(b, 'partner')}: ${str(b, 'level')}`;
    case 'order_submitted':
      return `${str(b, 'nation')} order ${str(b, 'order_id')}: ${describeOrder(field<Order>(b, 'order'))}${
        str(b, 'reason') ? ' — “' + str(b, 'reason') + '”' : ''
      }`;
    case 'order_cancelled':
      return `${str(b, 'nation')} cancelled order ${str(b, 'order_id')}`;
    case 'tasking_requested':
      return `${str(b, 'requester')} asks ${str(b, 'partner')} to task ${str(b, 'sensor_id')} on ${str(b, 'object_id')}`;
    case 'tasking_answered':
      return `${str(b, 'partner')} ${bool(b, 'accepted') ? 'accepted' : 'declined'} tasking ${str(b, 'request_id')} from ${str(
        b,
        'requester',
      )}${str(b, 'reason') ? ' — ' + str(b, 'reason') : ''}`;
    case 'attribution_published':
      return `${str(b, 'nation')} publicly attributes ${str(b, 'inject_id')} to ${str(b, 'accused')} (${str(b, 'likelihood')})`;
    case 'chat_posted':
      return `[${str(b, 'channel')}] ${str(b, 'sender')}: ${str(b, 'text')}`;
    case 'manoeuvre_executed':
      return `${str(b, 'asset_id')} manoeuvred ${describeDv(
        num(b, 'dv_m_per_s'),
        Number(b.dv_radial_m_per_s ?? 0),
        Number(b.dv_cross_track_m_per_s ?? 0),
      )} (${num(b, 'propellant_dv_m_per_s').toFixed(1)} m/s left)`;
    case 'anti_jam_set':
      return `${str(b, 'asset_id')} anti-jam ${bool(b, 'enabled') ? 'ON' : 'OFF'}`;
    case 'asset_status_changed':
      return `${str(b, 'asset_id')} (${str(b, 'owner') || 'no owner'}) is now ${str(b, 'status')}${
        str(b, 'cause') ? ' — ' + str(b, 'cause') : ''
      }${b.reversible === false ? ' (irreversible)' : ''}${b.noticed_by_owner === false ? ' (owner not told)' : ''}`;
    case 'status_disclosed':
      return `${str(b, 'owner')} told that ${str(b, 'asset_id')} is ${str(b, 'status')}: ${str(b, 'reason')}`;
    case 'picture_updated': {
      const ref = field<{ held?: number } | undefined>(b, 'picture');
      const held = ref?.held ?? (typeof b.held === 'number' ? b.held : (field<unknown[] | undefined>(b, 'tracks') ?? []).length);
      return `${str(b, 'nation')} picture after move ${num(b, 'move')}: ${held} tracks`;
    }
    case 'product_released': {
      const product = field<{ kind?: string } | undefined>(b, 'product');
      const recipients = field<string[] | undefined>(b, 'recipients') ?? [];
      return `${str(b, 'nation')} released ${product?.kind ?? 'a product'} (${str(b, 'level')}, ${markingLabel(field<Marking>(b, 'marking'))}) to ${recipients.join(', ') || 'nobody'}`;
    }
    case 'product_withdrawn':
      return `${str(b, 'nation')} withdrew product ${str(b, 'product_id')}`;
    case 'inject_forwarded':
      return `${str(b, 'nation')} forwarded ${str(b, 'inject_id')} “${str(b, 'title')}” (${markingLabel(field<Marking>(b, 'marking'))}) to ${(field<string[] | undefined>(b, 'recipients') ?? []).join(', ')}`;
    case 'counterspace_fired':
      return `${str(b, 'nation')} fired ${str(b, 'weapon_name')} at ${str(b, 'target')} (${num(b, 'uses_left')} uses left)`;
    case 'radiation_belt_formed':
      return `A nuclear detonation (${str(b, 'inject_id')}) pumped a radiation belt: unhardened LEO satellites degrade until move ${num(b, 'until_move')}`;
    case 'debris_created':
      return `Breakup of ${str(b, 'parent_id')} (${str(b, 'cause')}): ${(field<{ ids?: string[] } | undefined>(b, 'fragments')?.ids ?? []).length} tracked fragments`;
    case 'threat_assessed':
      return `${str(b, 'nation')} assessed ${str(b, 'inject_id')}: ${str(b, 'likelihood_label')} (${num(b, 'likelihood_pct').toFixed(0)} %), ${str(b, 'confidence')} confidence${bool(b, 'warned') ? ', warned' : ', no warning'}`;
    case 'conjunction_warning':
      return `Conjunction warning ${str(b, 'asset_id')} × ${str(b, 'other_id')}: miss ${num(b, 'miss_km').toFixed(2)} km, Pc ${num(
        b,
        'pc',
      ).toExponential(1)}${bool(b, 'action_threshold_exceeded') ? ' — ACTION THRESHOLD EXCEEDED' : ''}`;
    case 'close_approach_detected':
      return `Close approach ${str(b, 'asset_id')} × ${str(b, 'other_id')}: ${num(b, 'range_km').toFixed(1)} km`;
    case 'move_adjudicated':
      return `Move ${num(b, 'move')} adjudicated — escalation level ${num(b, 'escalation_level')}`;
    case 'sharing_analysis_requested':
      return `Value-of-sharing analysis ${str(b, 'analysis_id')} requested (log to seq ${num(b, 'through_seq')})`;
    case 'sharing_analysis_progress':
      return `Value-of-sharing analysis ${str(b, 'analysis_id')}: ${num(b, 'done')} of ${num(b, 'total')} moves (${str(b, 'step')})`;
    case 'sharing_analysis_completed':
      return `Value-of-sharing analysis ${str(b, 'analysis_id')} done`;
    case 'sharing_analysis_failed':
      return `Value-of-sharing analysis ${str(b, 'analysis_id')} failed: ${str(b, 'reason')}`;
    case 'ground_segment_acted':
    case 'spare_activated':
    case 'spare_arrived':
    case 'dime_taken':
    case 'evasion_resolved':
    case 'response_failed':
      return str(b, 'explanation');
    case 'escalation_changed':
      return `Escalation level ${num(b, 'level')} (${str(b, 'name')}), score ${num(b, 'score')}${
        (field<string[] | undefined>(b, 'reasons') ?? []).length ? ': ' + (field<string[]>(b, 'reasons') ?? []).join('; ') : ''
      }`;
    default:
      return describeRequest(e) ?? e.type;
  }
}

/** Requests between teams (requests.ts folds them), in words; null for any other event. */
export function describeRequest(e: ProjectedEvent): string | null {
  const b = e.body;
  const reason = (key = 'reason') => (str(b, key) ? ' — ' + str(b, key) : '');
  const to = () => str(b, 'to') || 'the white cell';
  switch (e.type) {
    case 'capacity_requested':
      return `${str(b, 'requester')} asks ${str(b, 'provider')} for ${num(b, 'units')} ${str(b, 'area')} units for ${num(b, 'moves')} move(s)${reason()}`;
    case 'capacity_answered':
      return num(b, 'units') > 0
        ? `${str(b, 'provider')} lends ${str(b, 'requester')} ${num(b, 'units')} of ${num(b, 'requested')} ${str(b, 'area')} units, moves ${num(b, 'from_move')}–${num(b, 'until_move')}${reason()}`
        : `${str(b, 'provider')} declined ${str(b, 'requester')}'s ${str(b, 'area')} request${reason()}`;
    case 'statement_drafted':
      return `${str(b, 'drafter')} drafted a joint statement with ${(field<string[] | undefined>(b, 'cosigners') ?? []).join(', ')}: “${str(b, 'text')}”`;
    case 'statement_amended':
      return `${str(b, 'drafter')} amended its joint statement (v${num(b, 'version')}): “${str(b, 'text')}”`;
    case 'statement_answered':
      return `${str(b, 'nation')} ${bool(b, 'consent') ? 'consented to' : 'refused'} ${str(b, 'drafter')}'s statement (v${num(b, 'version')})${reason()}`;
    case 'statement_issued':
      return `Joint statement issued by ${[str(b, 'drafter'), ...(field<string[] | undefined>(b, 'cosigners') ?? [])].join(', ')}: “${str(b, 'text')}”`;
    case 'request_sent':
      return `${str(b, 'requester')} ${str(b, 'kind') === 'rfi' ? 'RFI' : 'asks for assistance'} to ${to()}: ${str(b, 'text')}`;
    case 'request_answered':
      return `${str(b, 'requester')}'s ${str(b, 'kind')} ${bool(b, 'approved') ? 'approved' : 'denied'}${reason('answer')}`;
    case 'request_lapsed':
      return `${str(b, 'requester')}'s ${str(b, 'kind')} request to ${to()} lapsed unanswered at the close of move ${num(b, 'move')}`;
    default:
      return null;
  }
}
