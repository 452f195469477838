// Wire types come from the protocol schema (src/generated/protocol.ts, written by `npm run gen`
// from the Python models); this module names the ones the UI uses and adds only what the UI
// itself holds (connection state, notices, a received event with its stream position).
import type {
  AssetStatus,
  ControlEventBodies,
  ControlView,
  Inject,
  ObserverView,
  ProjectedEvent,
  TeamEventBodies,
  TeamView,
  View,
} from './generated/protocol';

export type {
  AntiJamOrder,
  Assessment,
  AssetStatus,
  AttributionCard,
  ChatLine,
  ControlAsset,
  ControlChat,
  ControlSensor,
  ControlView,
  ForwardCard,
  Marking,
  MoveMetrics,
  NationCard,
  NationControlCard,
  ObserverView,
  OwnAsset,
  PictureNotice,
  PlayerInject,
  ProductCard,
  ProductSpec,
  SensorCard,
  SubmittedOrder,
  TaskingRequest,
  TeamRules,
  TeamView,
  View,
  Warning,
} from './generated/protocol';

export type Phase = View['phase'];
export type Role = 'player' | 'white_cell' | 'facilitator' | 'evaluator' | 'observer';
export type Order = TeamView['orders'][number]['order'];

/** An MSEL entry in a control view: the scenario's inject with its release state. */
export type MselEntry = Inject & {
  released_move: number | null;
  resolved: boolean;
  adhoc: boolean;
  marking: string;
  /** Held by the white cell (hold_inject), skipped (skip_inject), or an outcome it forced. */
  held?: boolean;
  skipped?: boolean;
  forced?: 'hit' | 'miss' | null;
  /** Its move and offset before the white cell first retimed it (retime_inject); null: never retimed. */
  planned_move?: number | null;
  planned_offset_hours?: number | null;
  /** The fields the white cell edited (edit_inject), sorted. */
  edited?: string[];
};

/** The envelope of a projected event without its type and body. */
export type EventHeader = Omit<ProjectedEvent, 'type' | 'body'>;

type Discriminated<Bodies> = { [K in keyof Bodies]: EventHeader & { type: K; body: Bodies[K] } }[keyof Bodies];

/** An event as a team or the observer receives it (body by type). */
export type TeamEvent = Discriminated<TeamEventBodies>;
/** An event as the white cell, a facilitator or an evaluator receives it (body by type). */
export type ControlEvent = Discriminated<ControlEventBodies>;

/** An event received on this page, with its position in this seat's stream (control: its seq). */
export interface FeedEvent {
  pos: number;
  event: ProjectedEvent;
}

/** Anything that carries a status the white cell may restore or disclose: an asset or a sensor. */
export interface StatusSubject {
  id: string;
  name: string | null;
  owner: string | null;
  status: AssetStatus;
  status_until_move?: number | null;
  cause?: string | null;
  status_reversible?: boolean;
  status_observers?: string[];
  owner_belief?: { status: AssetStatus; until_move?: number | null } | null;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'invalid' | 'closed';

export interface Notice {
  id: number;
  kind: 'rejected' | 'error' | 'info';
  text: string;
}

export function isControlView(view: View): view is ControlView {
  return view.kind === 'control';
}

export function isTeamView(view: View): view is TeamView {
  return view.kind === 'team';
}

export function isObserverView(view: View): view is ObserverView {
  return view.kind === 'observer';
}

/** The MSEL of a control view, typed (the schema declares its entries as open objects). */
export function mselOf(view: ControlView): MselEntry[] {
  return view.msel as unknown as MselEntry[];
}
