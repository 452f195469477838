// Apply one projected event to the seat's snapshot view in place, as the server's fold would
// (domain/evolve.py through protocol/views_state.py): applying every event a seat receives to its
// first snapshot gives its fresh snapshot (checked against recorded games: apply.fixture.test.ts).
// Returns false when the event cannot be applied here; the caller then asks for a resync.
import { applyControlEvent } from './applyControl';
import { forwardCard, productCard, reopen, taskingAnswered, taskingRequested, upsert } from './cards';
import { applyRequestEvent, issuedStatement, REQUEST_EVENT_TYPES } from './requests';
import { applyResponseEvent } from './applyResponses';
import type { ProjectedEvent } from './generated/protocol';
import { applyTempo } from './tempo';
import type { Slice } from './store';
import type { AssetStatus, ControlView, ProductCard, TeamEvent, TeamView, View } from './types';
import { isControlView, isTeamView } from './types';

export { isControlView };

/** The store slices an event of this type may change (besides `feed`, `pos` and `meta` time). */
const EVENT_SLICES: Record<string, Slice[]> = {
  exercise_started: ['meta', 'assets'],
  exercise_paused: ['meta'],
  exercise_resumed: ['meta'],
  exercise_ended: ['meta'],
  move_closing: ['meta'],
  move_reopened: ['meta'],
  move_advanced: ['meta', 'orders', 'nations', 'assets', 'warnings'],
  inject_released: ['injects'],
  inject_resolved: ['injects'],
  sharing_policy_set: ['sharing', 'nations'],
  product_released: ['sharing', 'nations'],
  product_withdrawn: ['sharing', 'nations'],
  inject_forwarded: ['injects', 'sharing'],
  order_submitted: ['orders', 'nations'],
  order_cancelled: ['orders', 'nations'],
  counterspace_fired: ['orders'],
  radiation_belt_formed: [],
  tasking_requested: ['taskings'],
  tasking_answered: ['taskings'],
  team_notified: ['why'],
  attribution_published: ['attributions'],
  chat_posted: ['chat'],
  observation_recorded: ['evaluation'],
  observation_edited: ['evaluation'],
  observation_retracted: ['evaluation'],
  rating_set: ['evaluation'],
  strength_set: ['evaluation'],
  afi_set: ['evaluation'],
  improvement_item_set: ['evaluation'],
  evaluation_item_removed: ['evaluation'],
  manoeuvre_executed: ['assets'],
  anti_jam_set: ['assets'],
  asset_status_changed: ['assets'],
  status_disclosed: ['assets'],
  threat_assessed: ['assessments', 'nations'],
  picture_updated: ['nations', 'pictureNotice'],
  conjunction_warning: ['warnings', 'nations'],
  close_approach_detected: ['warnings', 'nations'],
  debris_created: ['assets'],
  move_adjudicated: ['metrics', 'meta'],
  sharing_analysis_requested: [],
  sharing_analysis_progress: [],
  sharing_analysis_completed: [],
  sharing_analysis_failed: [],
  ...Object.fromEntries(REQUEST_EVENT_TYPES.map((t) => [t, ['requests'] as Slice[]])),
  move_clock_set: ['meta'],
  deadline_warning: ['meta'],
  deadline_passed: ['meta'],
  ground_segment_acted: ['responses'],
  spare_activated: ['responses'],
  spare_arrived: ['responses', 'assets'],
  dime_taken: ['responses'],
  evasion_resolved: ['responses'],
  response_failed: ['responses'],
  escalation_changed: ['responses', 'meta'],
};

export function slicesOf(eventType: string): Slice[] {
  return EVENT_SLICES[eventType] ?? ['session'];
}

/** Apply the event at stream position `pos`; false: it cannot be applied (resync). */
export function applyEvent(view: View, event: ProjectedEvent, pos: number): boolean {
  view.pos = pos;
  view.scenario_time = event.scenario_time || view.scenario_time;
  if (isControlView(view)) {
    // Control's head moves with every event, those every seat applies the same way included.
    if (typeof event.seq === 'number') view.seq = event.seq;
    if (typeof event.hash === 'string') view.last_hash = event.hash;
  }
  if (applyTempo(view, event)) return true;
  if (applyCommon(view, event)) return true;
  if (isControlView(view)) return applyControlEvent(view, event);
  return applyPlayerEvent(view, event as unknown as TeamEvent);
}

/** Events every seat applies the same way; false when the type is not one of them. */
function applyCommon(view: View, event: ProjectedEvent): boolean {
  const b = event.body;
  switch (event.type) {
    case 'exercise_started':
      view.phase = 'running';
      view.move = event.move;
      reopen(view); // the first pictures are in: the closing of move 0 is over
      return true;
    case 'exercise_paused':
      view.phase = 'paused';
      return true;
    case 'exercise_resumed':
      view.phase = 'running';
      return true;
    case 'exercise_ended':
      view.phase = 'ended';
      reopen(view);
      return true;
    case 'move_closing':
      view.closing_move = typeof b.move === 'number' ? b.move : view.move;
      return true;
    case 'move_reopened':
      reopen(view);
      return true;
    case 'radiation_belt_formed': // public news for the feed; the statuses follow as their own events
      return true;
    case 'attribution_published':
      view.attributions.push({
        nation: String(b.nation),
        inject_id: String(b.inject_id),
        accused: String(b.accused),
        likelihood: String(b.likelihood),
        statement: String(b.statement ?? ''),
        move: String(event.move),
      });
      return true;
    default:
      return false;
  }
}

/** A status held on a card: a sensor card leaves `status_until_move` out when there is none. */
function setStatus(subject: TeamView['assets'][number] | TeamView['sensors'][number], status: AssetStatus, until: number | null): void {
  subject.status = status;
  if (until === null && !('propellant_dv_m_per_s' in subject)) delete subject.status_until_move;
  else subject.status_until_move = until;
}

/** The move opened: sealed orders were adjudicated; a believed status that ran its course reads
 *  nominal (views_state.status_known_to_owner). */
function openMove(view: TeamView, move: number): void {
  reopen(view);
  view.move = move;
  view.orders = [];
  for (const subject of [...view.assets, ...view.sensors.filter((s) => s.owner === view.nation)]) {
    if (subject.status_until_move != null && subject.status_until_move < move) setStatus(subject, 'nominal', null);
  }
}

function applyPlayerEvent(view: View, event: TeamEvent): boolean {
  if (event.type === 'move_advanced') {
    if (isTeamView(view)) openMove(view, event.body.move);
    else {
      view.move = event.body.move;
      reopen(view);
    }
    return true;
  }
  if (event.type === 'inject_released') {
    if (isControlView(view)) return false;
    const row = { ...event.body.inject, released_move: event.move };
    upsert(view.injects, row, (i) => i.id === row.id);
    return true;
  }
  if (event.type === 'statement_issued' && !isTeamView(view) && !isControlView(view)) {
    view.statements.push(issuedStatement(event.body as unknown as Record<string, unknown>, event.move));
    return true;
  }
  if (!isTeamView(view)) return false; // an observer receives nothing else
  return applyTeamEvent(view, event);
}

function applyTeamEvent(view: TeamView, event: TeamEvent): boolean {
  const me = view.nation;
  switch (event.type) {
    case 'product_released': {
      const card = productCard(event.body, event.move);
      if (card.nation === me) view.products.push(card);
      else insertByNation(view, view.received, card);
      return true;
    }
    case 'product_withdrawn': {
      const { nation, product_id } = event.body;
      const same = (p: ProductCard) => p.nation === nation && p.product_id === product_id;
      view.products = view.products.filter((p) => !same(p));
      view.received = view.received.filter((p) => !same(p));
      return true;
    }
    case 'inject_forwarded':
      view.forwards.push(forwardCard(event.body, event.move));
      return true;
    case 'order_submitted': {
      const { order_id, nation, order, reason } = event.body;
      upsert(view.orders, { order_id, nation, move: event.move, order, reason: reason ?? '' }, (o) => o.order_id === order_id);
      return true;
    }
    case 'order_cancelled':
      view.orders = view.orders.filter((o) => o.order_id !== event.body.order_id);
      return true;
    case 'counterspace_fired': {
      const weapon = view.arsenal?.find((w) => w.id === event.body.weapon_id);
      if (weapon) weapon.fired = weapon.magazine - event.body.uses_left;
      return true;
    }
    case 'tasking_requested':
      taskingRequested(view.taskings, event.body, event.move);
      return true;
    case 'tasking_answered':
      return taskingAnswered(view.taskings, event.body);
    case 'team_notified': {
      const { topic, subject, text } = event.body;
      view.feed.push({ move: event.move, topic, subject, text });
      return true;
    }
    case 'chat_posted': {
      const { message_id, channel, sender, text } = event.body;
      upsert(view.chat, { message_id, channel, sender, text, at: event.scenario_time }, (m) => m.message_id === message_id);
      return true;
    }
    case 'manoeuvre_executed': {
      const asset = view.assets.find((a) => a.id === event.body.asset_id);
      if (asset) asset.propellant_dv_m_per_s = event.body.propellant_dv_m_per_s;
      return true;
    }
    case 'anti_jam_set': {
      const asset = view.assets.find((a) => a.id === event.body.asset_id);
      if (asset) asset.anti_jam = event.body.enabled;
      return true;
    }
    case 'asset_status_changed':
    case 'status_disclosed': {
      const b = event.body;
      if (b.owner !== me) return true; // another nation's object we saw change: the feed shows it
      const subject = view.assets.find((a) => a.id === b.asset_id) ?? view.sensors.find((s) => s.id === b.asset_id);
      if (!subject) return false;
      setStatus(subject, b.status, b.status === 'nominal' ? null : 'until_move' in b ? (b.until_move ?? null) : null);
      return true;
    }
    case 'picture_updated':
      if ('url' in event.body) {
        view.picture = event.body;
        view.picture_move = event.body.move;
      }
      return true; // an older log's rows are loaded into columns by picture/load.ts
    case 'conjunction_warning':
    case 'close_approach_detected': {
      const b = event.body;
      const conj = event.type === 'conjunction_warning';
      view.warnings.push({
        kind: conj ? 'conjunction' : 'close_approach',
        nation: b.nation,
        asset_id: b.asset_id,
        other_id: b.other_id,
        move: event.move,
        miss_km: event.type === 'conjunction_warning' ? event.body.miss_km : event.body.range_km,
        pc: event.type === 'conjunction_warning' ? event.body.pc : null,
        shared_by: b.shared_by ?? null,
        ...(b.shared_by ? { marking: b.marking ?? null } : {}),
        ...(event.type === 'conjunction_warning' && event.body.id ? { id: event.body.id, tca: event.body.tca } : {}),
      });
      return true;
    }
    case 'threat_assessed': {
      const b = event.body;
      view.assessments.push({
        inject_id: b.inject_id,
        move: event.move,
        warned: b.warned,
        warning_time_h: b.warning_time_h ?? null,
        likelihood_pct: b.likelihood_pct,
        likelihood_label: b.likelihood_label,
        confidence: b.confidence,
        evidence: b.evidence ?? [],
        shared_by: b.shared_by ?? null,
        ...(b.shared_by ? { marking: b.marking ?? null } : {}),
      });
      return true;
    }
    case 'sharing_policy_set':
      return true; // logs recorded before products: the team view keeps no policy table
    case 'ground_segment_acted':
    case 'spare_activated':
    case 'spare_arrived':
    case 'dime_taken':
    case 'evasion_resolved':
    case 'response_failed':
    case 'escalation_changed':
      return applyResponseEvent(view, event);
    default:
      return applyRequestEvent(view.requests, event as unknown as ProjectedEvent, me);
  }
}

/** Received products are listed by releasing nation in scenario order, then in release order. */
function insertByNation(view: TeamView | ControlView, list: ProductCard[], card: ProductCard): void {
  const order = new Map(view.nations.map((n, i) => [n.id, i] as const));
  const rank = order.get(card.nation) ?? view.nations.length;
  const at = list.findIndex((p) => (order.get(p.nation) ?? view.nations.length) > rank);
  if (at < 0) list.push(card);
  else list.splice(at, 0, card);
}
