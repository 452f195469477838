// Apply one event to a control view (white cell, facilitator, evaluator: ground truth), as evolve and
// views_state.control_view would. Background objects enter `assets` at their first change; an
// event about one this view does not list asks for a resync (the snapshot names it).
import { forwardCard, productCard, reopen, taskingAnswered, taskingRequested, upsert } from './cards';
import { applyEvaluation } from './evaluation';
import { applyRequestEvent } from './requests';
import { markingLabel } from './labels';
import type { ControlEvent, ControlView, MselEntry, NationControlCard, StatusSubject, Warning } from './types';
import type { AssetStatusChanged, ProjectedEvent } from './generated/protocol';

/** A control snapshot lists each nation's warnings of the latest moves only
 *  (views_state.RECENT_WARNING_MOVES), with the count of all. */
export const RECENT_WARNING_MOVES = 2;
/** views.TRUTH_URL */
const truthUrl = (move: number) => `/api/picture?move=${move}&truth=1`;

/** A datetime as pydantic writes it in JSON ('Z', not '+00:00'): control's chat `at`. */
function jsonTime(iso: string): string {
  return iso.endsWith('+00:00') ? iso.slice(0, -6) + 'Z' : iso;
}

export function applyControlEvent(view: ControlView, raw: ProjectedEvent): boolean {
  const event = raw as unknown as ControlEvent;
  const nation = (id: string): NationControlCard | undefined => view.nations_state[id];
  switch (event.type) {
    case 'move_advanced': {
      const move = event.body.move;
      reopen(view);
      view.move = move;
      for (const card of Object.values(view.nations_state)) {
        if (!card) continue;
        card.orders = [];
        card.warnings = card.warnings.filter((w) => w.move > move - RECENT_WARNING_MOVES);
      }
      return true;
    }
    case 'inject_released': {
      const { inject, adhoc } = event.body;
      const before = (view.msel as unknown as MselEntry[]).find((e) => e.id === inject.id);
      const entry = {
        ...inject,
        released_move: event.move,
        resolved: false,
        adhoc: adhoc ?? false,
        marking: markingLabel({ releasability: inject.releasability ?? 'NOFORN', releasable_to: inject.releasable_to ?? [] }),
        held: false,
        skipped: false,
        forced: null,
        planned_move: before?.planned_move ?? null,
        planned_offset_hours: before?.planned_offset_hours ?? null,
        edited: before?.edited ?? [],
      } as MselEntry;
      upsert(view.msel as unknown as MselEntry[], entry, (e) => e.id === entry.id);
      return true;
    }
    case 'inject_outcome_forced':
    case 'inject_skipped':
    case 'inject_held':
    case 'inject_hold_lifted':
    case 'inject_retimed':
    case 'inject_edited': {
      const entry = (view.msel as unknown as MselEntry[]).find((e) => e.id === event.body.inject_id);
      if (!entry) return false;
      const b = event.body;
      if (b.type === 'inject_outcome_forced') entry.forced = b.outcome;
      else if (b.type === 'inject_skipped') entry.skipped = true;
      else if (b.type === 'inject_held') entry.held = true;
      else if (b.type === 'inject_hold_lifted') entry.held = false;
      else if (b.type === 'inject_retimed') {
        if (entry.planned_move == null) Object.assign(entry, { planned_move: b.previous_move, planned_offset_hours: b.previous_offset_hours });
        Object.assign(entry, { move: b.move, offset_hours: b.offset_hours });
      } else {
        Object.assign(entry, b.changes);
        entry.edited = [...new Set([...(entry.edited ?? []), ...Object.keys(b.changes)])].sort();
      }
      return true;
    }
    case 'debris_removed': {
      const gone = new Set(event.body.fragment_ids);
      view.assets = view.assets.filter((a) => !gone.has(a.id));
      return true;
    }
    case 'inject_resolved': {
      const entry = (view.msel as unknown as MselEntry[]).find((e) => e.id === event.body.inject_id);
      if (!entry) return false;
      entry.resolved = true;
      return true;
    }
    case 'sharing_policy_set': {
      const card = nation(event.body.nation);
      if (!card) return false;
      card.sharing[event.body.partner] = event.body.level;
      return true;
    }
    case 'product_released': {
      const card = nation(event.body.nation);
      if (!card) return false;
      card.products.push(productCard(event.body, event.move));
      return true;
    }
    case 'product_withdrawn': {
      const card = nation(event.body.nation);
      if (!card) return false;
      card.products = card.products.filter((p) => p.product_id !== event.body.product_id);
      return true;
    }
    case 'inject_forwarded':
      view.forwards.push(forwardCard(event.body, event.move));
      return true;
    case 'order_submitted': {
      const { order_id, order, reason } = event.body;
      const card = nation(event.body.nation);
      if (!card) return false;
      const submitted = { order_id, nation: event.body.nation, move: event.move, order, reason: reason ?? '' };
      upsert(card.orders, submitted, (o) => o.order_id === order_id);
      return true;
    }
    case 'order_cancelled': {
      const card = nation(event.body.nation);
      if (!card) return false;
      card.orders = card.orders.filter((o) => o.order_id !== event.body.order_id);
      return true;
    }
    case 'tasking_requested':
      taskingRequested(view.taskings, event.body, event.move);
      return true;
    case 'tasking_answered':
      return taskingAnswered(view.taskings, event.body);
    case 'chat_posted': {
      const { message_id, channel, sender, text } = event.body;
      const line = { message_id, channel, sender, text, at: jsonTime(event.scenario_time), audience: [...(raw.audience ?? [])] };
      upsert(view.chat, line, (m) => m.message_id === message_id);
      return true;
    }
    case 'observation_recorded':
    case 'observation_edited':
    case 'observation_retracted':
    case 'rating_set':
    case 'strength_set':
    case 'afi_set':
    case 'improvement_item_set':
    case 'evaluation_item_removed':
      return applyEvaluation(view.evaluation, raw, raw.seq ?? view.seq);
    case 'manoeuvre_executed': {
      const asset = view.assets.find((a) => a.id === event.body.asset_id);
      if (!asset) return false;
      asset.propellant_dv_m_per_s = event.body.propellant_dv_m_per_s;
      return true;
    }
    case 'anti_jam_set': {
      const asset = view.assets.find((a) => a.id === event.body.asset_id);
      if (!asset) return false;
      asset.anti_jam = event.body.enabled;
      return true;
    }
    case 'asset_status_changed': {
      const subject = statusSubject(view, event.body.asset_id);
      if (!subject) return false;
      applyStatusChange(subject, event.body);
      return true;
    }
    case 'status_disclosed': {
      const subject = statusSubject(view, event.body.asset_id);
      if (!subject) return false;
      subject.owner_belief = null;
      return true;
    }
    case 'picture_updated': {
      const { nation: id, move, picture, url } = event.body;
      const card = nation(id);
      if (!card || !picture) return true; // an older log's rows: control keeps no rows
      const by_source = { ...(picture.by_source ?? {}) } as Record<string, number>;
      card.picture = { nation: id, move, held: picture.held, by_source, precise: picture.precise ?? null, url: url ?? '' };
      card.picture_summary = { held: picture.held, by_source: { ...by_source } };
      view.truth_url = truthUrl(picture.pictures.move);
      return true;
    }
    case 'conjunction_warning':
    case 'close_approach_detected': {
      const b = event.body;
      const warning: Warning = {
        kind: event.type === 'conjunction_warning' ? 'conjunction' : 'close_approach',
        nation: b.nation,
        asset_id: b.asset_id,
        other_id: b.other_id,
        move: event.move,
        miss_km: event.type === 'conjunction_warning' ? event.body.miss_km : event.body.range_km,
        pc: event.type === 'conjunction_warning' ? event.body.pc : null,
        shared_by: null,
        ...(event.type === 'conjunction_warning' && event.body.id ? { id: event.body.id, tca: event.body.tca } : {}),
      };
      return (
        addTo(nation(b.nation), (card) => card.warnings.push(warning), true) &&
        Object.entries(b.shared_with ?? {}).every(([partner, marking]) =>
          addTo(nation(partner), (card) => card.warnings.push({ ...warning, shared_by: b.nation, marking: marking ?? null }), true),
        )
      );
    }
    case 'threat_assessed': {
      const b = event.body;
      const own = {
        inject_id: b.inject_id,
        move: event.move,
        warned: b.warned,
        warning_time_h: b.warning_time_h ?? null,
        likelihood_pct: b.likelihood_pct,
        likelihood_label: b.likelihood_label,
        confidence: b.confidence,
        evidence: b.evidence ?? [],
        shared_by: null,
      };
      return (
        addTo(nation(b.nation), (card) => card.assessments.push(own), false) &&
        Object.entries(b.shared_with ?? {}).every(([partner, marking]) =>
          addTo(nation(partner), (card) => card.assessments.push({ ...own, shared_by: b.nation, marking: marking ?? null }), false),
        )
      );
    }
    case 'debris_created': {
      const ids = event.body.fragments.ids ?? [];
      for (const id of ids) {
        view.assets.push({
          name: id, owner: null, kind: 'debris', mission: null, id, status: 'nominal', status_until_move: null, cause: null,
          status_reversible: true, status_observers: [], owner_belief: null, propellant_dv_m_per_s: 0, anti_jam: false,
          parent: event.body.parent_id,
        });
      }
      view.objects_total += ids.length;
      return true;
    }
    case 'spare_arrived': {
      const b = event.body;
      view.assets.push({
        name: b.name, owner: b.owner, kind: b.kind, mission: b.mission ?? null, id: b.spare_id, status: 'nominal',
        status_until_move: null, cause: null, status_reversible: true, status_observers: [], owner_belief: null,
        propellant_dv_m_per_s: b.propellant_dv_m_per_s, anti_jam: false, parent: null,
      });
      view.objects_total += 1;
      return true;
    }
    case 'ground_segment_acted':
    case 'spare_activated':
    case 'dime_taken':
    case 'evasion_resolved':
    case 'response_failed':
    case 'escalation_changed':
      return true; // control reads the responses in the log; its level comes with move_adjudicated
    case 'counterspace_fired': // the order is in nations_state until the move advances; the inject is its own event
    case 'sharing_analysis_requested':
    case 'sharing_analysis_progress':
    case 'sharing_analysis_completed':
    case 'sharing_analysis_failed':
      return true; // not in the control view: the Value of sharing panel reads /api/sharing-analysis
    case 'team_notified':
      return true; // a team's feed line: control reads the events it explains
    case 'move_adjudicated': {
      const b = event.body;
      view.escalation_level = b.escalation_level;
      view.metrics_by_move[String(b.move)] = {
        capability: b.capability as Record<string, Record<string, number>>,
        custody: b.custody as Record<string, number>,
        precise_custody: (b.precise_custody ?? {}) as Record<string, number>,
        shared_products: b.shared_products as Record<string, Record<string, string>>,
        escalation_level: b.escalation_level,
        collisions: (b.collisions ?? []).map((pair) => pair.map(String)),
      };
      return true;
    }
    default:
      return applyRequestEvent(view.requests, raw, null);
  }
}

/** Add to a nation's card (counting a warning); false when the view has no such nation. */
function addTo(card: NationControlCard | undefined, add: (card: NationControlCard) => void, warning: boolean): boolean {
  if (!card) return false;
  add(card);
  if (warning) card.warnings_total += 1;
  return true;
}

/** The asset, or else the sensor, with this id (an asset this view does not list: undefined). */
function statusSubject(view: ControlView, id: string): StatusSubject | undefined {
  return view.assets.find((a) => a.id === id) ?? view.sensors.find((s) => s.id === id);
}

/** asset_status_changed in ground truth: cause, reversibility, observers and the owner's belief
 *  (domain/evolve.py _with_status and _owner_belief). */
function applyStatusChange(subject: StatusSubject, b: AssetStatusChanged): void {
  const recovered = b.status === 'nominal';
  const until = recovered ? null : (b.until_move ?? null);
  const before = subject.owner_belief ?? { status: subject.status, until_move: subject.status_until_move ?? null };
  subject.status = b.status;
  subject.status_until_move = until;
  subject.cause = recovered ? null : b.cause;
  subject.status_reversible = recovered || (b.reversible !== false && b.status !== 'destroyed');
  const seen = recovered ? [] : (subject.status_observers ?? []);
  subject.status_observers = recovered ? [] : [...seen, ...(b.observers ?? []).filter((n) => !seen.includes(n))];
  const noticed = b.noticed_by_owner !== false;
  const same = before.status === b.status && (before.until_move ?? null) === until;
  subject.owner_belief = noticed || same ? null : { status: before.status, until_move: before.until_move ?? null };
}
