// Shapes of the snapshot `view` and of projected events, as produced by
// wargame/domain/views.py (_state_view, _team_view, _control_view, _event_view).
// The protocol schema types `view` and `event` as open objects, so these are hand-written;
// they are applied to the JSON at one boundary (see parse.ts).

export type Phase = 'setup' | 'running' | 'paused' | 'ended';
export type AssetStatus = 'nominal' | 'degraded' | 'disabled' | 'destroyed';
export type TrackSource = 'owner' | 'own' | 'shared' | 'fused';
export type Role = 'player' | 'white_cell' | 'facilitator' | 'observer';

export interface NationInfo {
  id: string;
  name: string;
  side: 'blue' | 'red' | 'commercial';
  played: boolean;
  groups: string[];
}

export interface Objective {
  id: string;
  text: string;
  capability: string | null;
}

export interface Attribution {
  nation: string;
  inject_id: string;
  accused: string;
  likelihood: string;
  statement?: string;
  move?: string;
}

export interface PlayerInject {
  id: string;
  serial: number;
  title: string;
  type: string;
  sender: string;
  channel: string;
  text: string;
  releasability: string;
  /** The named nations of a `REL` marking. */
  releasable_to?: string[];
  released_move?: number | null;
}

export interface MselEntry extends PlayerInject {
  move: number;
  offset_hours: number;
  trigger: 'time' | 'manual';
  contingency: boolean;
  params: Record<string, unknown>;
  target: string | null;
  actor: string | null;
  recipients: string[];
  controller_notes: string;
  expected_actions: string[];
  objectives: string[];
  released_move: number | null;
  resolved: boolean;
  adhoc: boolean;
}

export interface ObjectCard {
  name: string;
  owner: string | null;
  kind: string;
  mission: string | null;
}

/** A status an effect gives an asset or a sensor, as its owner's team (or control) sees it. */
export interface StatusFields {
  status: AssetStatus;
  status_until_move: number | null;
}

/** What only control sees of an asset's or sensor's status. */
export interface ControlStatusFields {
  cause: string | null;
  /** Whether the white cell may restore it from its status (restore_asset); absent = true. */
  status_reversible?: boolean;
  /** Nations told of its status changes since it was last nominal. */
  status_observers?: string[];
  /** What the owner's team believes while an effect it did not notice makes the truth differ. */
  owner_belief?: { status: AssetStatus; until_move: number | null } | null;
}

export interface OwnAsset extends ObjectCard, StatusFields {
  id: string;
  propellant_dv_m_per_s: number;
  anti_jam: boolean;
}

export interface ControlAsset extends OwnAsset, ControlStatusFields {}

/**
 * A coalition sensor (team view) or any scenario sensor (control view). The status fields are
 * present on a team's own sensors and on every sensor in a control view; the control ones only
 * in a control view.
 */
export interface SensorInfo extends Partial<StatusFields>, Partial<ControlStatusFields> {
  id: string;
  name: string;
  owner: string;
  model: string;
  lat_deg: number;
  lon_deg: number;
}

/** A sensor whose status we see (our own, or any for control). */
export type OwnSensor = SensorInfo & StatusFields;

/** A sensor in a control view: its status with cause, reversibility, observers, owner belief. */
export type ControlSensor = OwnSensor & ControlStatusFields;

/** Anything that carries a status the white cell may restore or disclose: an asset or a sensor. */
export interface StatusSubject extends StatusFields, Partial<ControlStatusFields> {
  id: string;
  name: string;
  owner: string | null;
}

export interface Track {
  object_id: string;
  sigma_km: number;
  source: TrackSource;
  contributors: string[];
  observed_at: string | null;
  lat_deg: number;
  lon_deg: number;
  alt_km: number;
  regime: string;
}

export type PictureRow = Track & Partial<ObjectCard>;

export interface ManoeuvreOrderBody {
  kind: 'manoeuvre';
  asset_id: string;
  /** Along-track component; the radial and cross-track ones are absent when 0. */
  dv_m_per_s: number;
  dv_radial_m_per_s?: number;
  dv_cross_track_m_per_s?: number;
  purpose: string;
}
export interface AntiJamOrderBody {
  kind: 'anti_jam';
  asset_id: string;
  enabled: boolean;
}
export interface TaskingOrderBody {
  kind: 'tasking_request';
  partner: string;
  sensor_id: string;
  object_id: string;
}
export interface AttributionOrderBody {
  kind: 'public_attribution';
  inject_id: string;
  accused: string;
  likelihood: string;
}
export type OrderBody = ManoeuvreOrderBody | AntiJamOrderBody | TaskingOrderBody | AttributionOrderBody;

export interface SubmittedOrder {
  order_id: string;
  nation: string;
  move: number;
  order: OrderBody;
  reason: string;
}

export interface TaskingRequest {
  request_id: string;
  requester: string;
  partner: string;
  sensor_id: string;
  object_id: string;
  move: number;
  status: 'pending' | 'accepted' | 'declined';
  answer_reason: string;
}

export interface WarningRow {
  kind: 'conjunction' | 'close_approach';
  nation: string;
  asset_id: string;
  other_id: string;
  move: number;
  miss_km: number;
  pc: number | null;
}

export interface ChatMessage {
  message_id: string;
  channel: string;
  sender: string;
  text: string;
  at: string;
}

export interface Rules {
  attribution_levels: string[];
  max_manoeuvre_dv_m_per_s: number;
  sharing_levels: string[];
}

/** A nation's own warning and attribution assessment of a hostile event (threat_assessed). */
export interface Assessment {
  nation: string;
  inject_id: string;
  warned: boolean;
  warning_time_h: number | null;
  likelihood_pct: number;
  likelihood_label: string;
  confidence: string;
  evidence: string[];
}

/** Held tracks of one nation, counted by source (control views carry counts, not rows). */
export interface PictureSummary {
  held: number;
  by_source: Record<string, number>;
}

export interface NationState {
  sharing: Record<string, string>;
  orders: SubmittedOrder[];
  picture?: Track[];
  picture_summary?: PictureSummary;
  warnings: WarningRow[];
}

export interface MoveMetrics {
  capability?: Record<string, Record<string, number>>;
  custody?: Record<string, number>;
  /** Objects held at or below the ruleset's precise_sigma_km (absent in older logs). */
  precise_custody?: Record<string, number>;
  shared_products?: Record<string, Record<string, string>>;
  escalation_level?: number;
  collisions?: string[][];
}

/** Everything any seat's view may hold; role-specific keys are optional. */
export interface View {
  exercise_id: string;
  title: string;
  phase: Phase;
  move: number;
  /** The move being adjudicated (0: the first pictures); orders wait until the next opens. */
  closing_move?: number | null;
  moves: number;
  scenario_time: string;
  start_time: string;
  move_length_hours: number;
  seq: number;
  viewer: string;
  nations: NationInfo[];
  attributions: Attribution[];
  objectives: Objective[];
  injects?: PlayerInject[];
  // player
  nation?: string;
  assets?: (OwnAsset | ControlAsset)[];
  sensors?: SensorInfo[];
  /** Protocol v1: our picture's rows (moved into columns by picture/load.ts on arrival). */
  picture?: PictureRow[];
  /** Protocol v2: the move whose picture to fetch from /api/picture (null: none held yet). */
  picture_move?: number | null;
  sharing?: Record<string, string>;
  inbound_sharing?: Record<string, string>;
  orders?: SubmittedOrder[];
  taskings?: TaskingRequest[];
  warnings?: WarningRow[];
  assessments?: Assessment[];
  chat?: ChatMessage[];
  rules?: Rules;
  objects?: { id: string; name: string; owner?: string | null }[];
  // control
  scenario_id?: string;
  escalation_level?: number;
  msel?: MselEntry[];
  nations_state?: Record<string, NationState>;
  metrics_by_move?: Record<string, MoveMetrics>;
  inject_types?: string[];
  /** Inject types whose effect may target a sensor (adhoc_inject target). */
  sensor_inject_types?: string[];
  last_hash?: string;
}

/** A projected event (player envelope; control adds audience and hash). */
export interface FeedEvent {
  seq: number;
  at: string;
  scenario_time: string;
  move: number;
  actor: string;
  type: string;
  body: Record<string, unknown>;
  audience?: string[];
  hash?: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'invalid' | 'closed';

export interface Notice {
  id: number;
  kind: 'rejected' | 'error' | 'info';
  text: string;
}
