// Apply one projected event to the current view in place.
// Returns false when the event cannot be applied here; the caller then asks for a resync.
import { bool, field, num, str } from './parse';
import type { Slice } from './store';
import type {
  Assessment,
  AssetStatus,
  Attribution,
  ChatMessage,
  FeedEvent,
  MselEntry,
  MoveMetrics,
  NationState,
  OrderBody,
  OwnAsset,
  OwnSensor,
  PictureSummary as PictureSummaryT,
  PlayerInject,
  SensorInfo,
  StatusSubject,
  View,
  WarningRow,
} from './types';

export function isControlView(view: View): boolean {
  return view.viewer === 'white_cell' || view.viewer === 'facilitator';
}

function nationState(view: View, nation: string): NationState | null {
  return view.nations_state?.[nation] ?? null;
}

function upsert<T>(list: T[], item: T, same: (a: T) => boolean): void {
  const i = list.findIndex(same);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

/** The store slices an event of this type may change (besides `feed`, `seq` and `meta` time). */
const EVENT_SLICES: Record<string, Slice[]> = {
  exercise_started: ['meta', 'assets'],
  exercise_paused: ['meta'],
  exercise_resumed: ['meta'],
  exercise_ended: ['meta'],
  move_advanced: ['meta', 'orders', 'nations', 'assets'],
  move_closing: ['meta'],
  move_reopened: ['meta'],
  inject_released: ['injects'],
  inject_resolved: ['injects'],
  sharing_policy_set: ['sharing', 'nations'],
  order_submitted: ['orders', 'nations'],
  order_cancelled: ['orders', 'nations'],
  tasking_requested: ['taskings'],
  tasking_answered: ['taskings'],
  attribution_published: ['attributions'],
  chat_posted: ['chat'],
  observation_recorded: [],
  manoeuvre_executed: ['assets'],
  anti_jam_set: ['assets'],
  asset_status_changed: ['assets'],
  status_disclosed: ['assets'],
  threat_assessed: ['assessments'],
  picture_updated: ['nations'],
  conjunction_warning: ['warnings', 'nations'],
  close_approach_detected: ['warnings', 'nations'],
  move_adjudicated: ['metrics', 'meta'],
};

export function slicesOf(eventType: string): Slice[] {
  return EVENT_SLICES[eventType] ?? ['session'];
}

export function applyEvent(view: View, event: FeedEvent): boolean {
  const b = event.body;
  const control = isControlView(view);
  view.scenario_time = event.scenario_time || view.scenario_time;
  switch (event.type) {
    case 'exercise_started':
      view.phase = 'running';
      view.closing_move = null;
      view.move = num(b, 'move');
      view.scenario_time = str(b, 'scenario_time') || view.scenario_time;
      return true;
    case 'exercise_paused':
      view.phase = 'paused';
      return true;
    case 'exercise_resumed':
      view.phase = 'running';
      return true;
    case 'exercise_ended':
      view.phase = 'ended';
      view.closing_move = null;
      return true;
    case 'move_closing':
      view.closing_move = num(b, 'move');
      return true;
    case 'move_reopened':
      view.closing_move = null;
      return true;
    case 'move_advanced':
      view.closing_move = null;
      view.move = num(b, 'move');
      view.scenario_time = str(b, 'scenario_time') || view.scenario_time;
      if (view.orders) view.orders = [];
      for (const ns of Object.values(view.nations_state ?? {})) ns.orders = [];
      // A team's believed status that has run its course reads nominal (as views.py does).
      if (!control) {
        for (const subject of statusSubjects(view, control)) expireBelief(subject, view.move);
      }
      return true;
    case 'inject_released':
      return applyInject(view, event, control);
    case 'inject_resolved': {
      const entry = view.msel?.find((e) => e.id === str(b, 'inject_id'));
      if (entry) entry.resolved = true;
      return true;
    }
    case 'sharing_policy_set': {
      const nation = str(b, 'nation');
      const partner = str(b, 'partner');
      const level = str(b, 'level');
      if (control) {
        const ns = nationState(view, nation);
        if (!ns) return false;
        ns.sharing[partner] = level;
        return true;
      }
      if (nation === view.nation && view.sharing) view.sharing[partner] = level;
      if (partner === view.nation && view.inbound_sharing) view.inbound_sharing[nation] = level;
      return true;
    }
    case 'order_submitted': {
      const nation = str(b, 'nation');
      const order = {
        order_id: str(b, 'order_id'),
        nation,
        move: view.move,
        order: field<OrderBody>(b, 'order'),
        reason: str(b, 'reason'),
      };
      const list = control ? nationState(view, nation)?.orders : view.orders;
      if (!list) return false;
      upsert(list, order, (o) => o.order_id === order.order_id);
      return true;
    }
    case 'order_cancelled': {
      const nation = str(b, 'nation');
      const id = str(b, 'order_id');
      if (control) {
        const ns = nationState(view, nation);
        if (!ns) return false;
        ns.orders = ns.orders.filter((o) => o.order_id !== id);
      } else if (view.orders) {
        view.orders = view.orders.filter((o) => o.order_id !== id);
      }
      return true;
    }
    case 'tasking_requested': {
      if (!view.taskings) return false;
      const request = {
        request_id: str(b, 'request_id'),
        requester: str(b, 'requester'),
        partner: str(b, 'partner'),
        sensor_id: str(b, 'sensor_id'),
        object_id: str(b, 'object_id'),
        move: view.move,
        status: 'pending' as const,
        answer_reason: '',
      };
      upsert(view.taskings, request, (t) => t.request_id === request.request_id);
      return true;
    }
    case 'tasking_answered': {
      const request = view.taskings?.find((t) => t.request_id === str(b, 'request_id'));
      if (!request) return false;
      request.status = bool(b, 'accepted') ? 'accepted' : 'declined';
      request.answer_reason = str(b, 'reason');
      return true;
    }
    case 'attribution_published': {
      const record: Attribution = {
        nation: str(b, 'nation'),
        inject_id: str(b, 'inject_id'),
        accused: str(b, 'accused'),
        likelihood: str(b, 'likelihood'),
        statement: str(b, 'statement'),
        move: String(view.move),
      };
      view.attributions.push(record);
      return true;
    }
    case 'chat_posted': {
      view.chat ??= [];
      const message: ChatMessage = {
        message_id: str(b, 'message_id'),
        channel: str(b, 'channel'),
        sender: str(b, 'sender'),
        text: str(b, 'text'),
        at: event.scenario_time,
      };
      upsert(view.chat, message, (m) => m.message_id === message.message_id);
      return true;
    }
    case 'observation_recorded':
      return true; // no state in the view; shown in the feed/timeline
    case 'manoeuvre_executed': {
      const asset = findAsset(view, str(b, 'asset_id'));
      if (asset) asset.propellant_dv_m_per_s = num(b, 'propellant_dv_m_per_s');
      return true;
    }
    case 'anti_jam_set': {
      const asset = findAsset(view, str(b, 'asset_id'));
      if (asset) asset.anti_jam = bool(b, 'enabled');
      return true;
    }
    case 'asset_status_changed': {
      // An asset or (same event, sensor id) a sensor.
      const subject = findStatusSubject(view, str(b, 'asset_id'), control);
      if (!subject) return true; // another nation's asset or sensor we observed: feed only
      applyStatusChange(subject, b, control);
      return true;
    }
    case 'status_disclosed': {
      const subject = findStatusSubject(view, str(b, 'asset_id'), control);
      if (subject) applyDisclosure(subject, b, control);
      return true;
    }
    case 'threat_assessed': {
      if (control) return true;
      view.assessments = [...(view.assessments ?? []), b as unknown as Assessment];
      return true;
    }
    case 'picture_updated':
      // A team's own picture is loaded into columns by picture/load.ts, not into the view.
      if (control) return applyPictureSummary(view, str(b, 'nation'), field<PictureSummaryT>(b, 'summary'));
      return true;
    case 'conjunction_warning':
    case 'close_approach_detected': {
      const conj = event.type === 'conjunction_warning';
      const warning: WarningRow = {
        kind: conj ? 'conjunction' : 'close_approach',
        nation: str(b, 'nation'),
        asset_id: str(b, 'asset_id'),
        other_id: str(b, 'other_id'),
        move: view.move,
        miss_km: conj ? num(b, 'miss_km') : num(b, 'range_km'),
        pc: conj ? num(b, 'pc') : null,
      };
      const list = control ? nationState(view, warning.nation)?.warnings : view.warnings;
      if (!list) return false;
      list.push(warning);
      return true;
    }
    case 'move_adjudicated': {
      if (!control) return false;
      const move = num(b, 'move');
      view.escalation_level = num(b, 'escalation_level');
      const metrics: MoveMetrics = {
        capability: field(b, 'capability'),
        custody: field(b, 'custody'),
        precise_custody: field(b, 'precise_custody'),
        shared_products: field(b, 'shared_products'),
        escalation_level: view.escalation_level,
        collisions: field<string[][] | undefined>(b, 'collisions') ?? [],
      };
      view.metrics_by_move = { ...(view.metrics_by_move ?? {}), [String(move)]: metrics };
      return true;
    }
    default:
      return false;
  }
}

function findAsset(view: View, id: string): OwnAsset | undefined {
  return view.assets?.find((a) => a.id === id);
}

/** Whether this view holds the sensor's status: control every sensor, a team its own. */
function seesSensorStatus(view: View, sensor: SensorInfo, control: boolean): boolean {
  return control || sensor.owner === view.nation;
}

/** A sensor whose status the view holds, its status fields filled in (nominal when absent). */
function sensorSubject(sensor: SensorInfo): StatusSubject {
  sensor.status ??= 'nominal';
  sensor.status_until_move ??= null;
  return sensor as OwnSensor;
}

/** Every asset and sensor whose status this view holds. */
function statusSubjects(view: View, control: boolean): StatusSubject[] {
  const sensors = (view.sensors ?? []).filter((s) => seesSensorStatus(view, s, control)).map(sensorSubject);
  return [...(view.assets ?? []), ...sensors];
}

/** The asset, or else the sensor, with this id whose status this view holds. */
function findStatusSubject(view: View, id: string, control: boolean): StatusSubject | undefined {
  const asset = findAsset(view, id);
  if (asset) return asset;
  const sensor = view.sensors?.find((s) => s.id === id);
  return sensor && seesSensorStatus(view, sensor, control) ? sensorSubject(sensor) : undefined;
}

/** asset_status_changed on an asset or a sensor (control also: cause, reversibility, observers, belief). */
function applyStatusChange(subject: StatusSubject, b: Record<string, unknown>, control: boolean): void {
  const status = str(b, 'status') as AssetStatus;
  const recovered = status === 'nominal';
  // What the owner believed before (control), kept while it has not noticed, as evolve does.
  const before = subject.owner_belief ?? { status: subject.status, until_move: subject.status_until_move };
  subject.status = status;
  subject.status_until_move = recovered ? null : (field<number | null>(b, 'until_move') ?? null);
  if (!control) return;
  subject.cause = recovered ? null : str(b, 'cause') || null;
  // `reversible` is left out of the event when true.
  subject.status_reversible = recovered || (b.reversible !== false && status !== 'destroyed');
  const seen = recovered ? [] : (subject.status_observers ?? []);
  const observers = field<string[] | undefined>(b, 'observers') ?? [];
  subject.status_observers = [...seen, ...observers.filter((n) => !seen.includes(n))];
  // `noticed_by_owner` is left out of the event when true.
  const matches = before.status === subject.status && before.until_move === subject.status_until_move;
  subject.owner_belief = b.noticed_by_owner === false && !matches ? before : null;
}

/** status_disclosed: control forgets the owner's belief; the owner's team learns the truth. */
function applyDisclosure(subject: StatusSubject, b: Record<string, unknown>, control: boolean): void {
  if (control) {
    subject.owner_belief = null;
  } else {
    subject.status = str(b, 'status') as AssetStatus;
    subject.status_until_move = field<number | null>(b, 'until_move') ?? null;
  }
}

/** A team's believed status whose end move has passed reads nominal. */
function expireBelief(subject: StatusSubject, move: number): void {
  if (subject.status_until_move !== null && subject.status_until_move < move) {
    subject.status = 'nominal';
    subject.status_until_move = null;
  }
}

function applyInject(view: View, event: FeedEvent, control: boolean): boolean {
  const inject = field<Record<string, unknown> | undefined>(event.body, 'inject');
  if (!inject || typeof inject.id !== 'string') return false;
  const adhoc = bool(event.body, 'adhoc');
  if (control) {
    if (!view.msel) return false;
    const existing = view.msel.find((e) => e.id === inject.id);
    const entry = {
      ...(existing ?? {}),
      ...(inject as unknown as MselEntry),
      released_move: view.move,
      resolved: existing?.resolved ?? false,
      adhoc: existing?.adhoc || adhoc,
    } as MselEntry;
    upsert(view.msel, entry, (e) => e.id === entry.id);
    return true;
  }
  view.injects ??= [];
  const row: PlayerInject = { ...(inject as unknown as PlayerInject), released_move: view.move };
  upsert(view.injects, row, (i) => i.id === row.id);
  return true;
}

function applyPictureSummary(view: View, nation: string, summary: PictureSummaryT | undefined): boolean {
  const ns = nationState(view, nation);
  if (!ns || !summary) return false;
  ns.picture_summary = summary;
  return true;
}
