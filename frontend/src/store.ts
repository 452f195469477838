// The client state: what the server told us, plus connection and notice state, in versioned
// slices. Whoever changes a slice bumps its version; a panel re-renders only when a slice it
// reads moved (see useSlices in ui/common.tsx), so a chat message does not re-render the picture.
import type { Welcome } from './generated/protocol';
import type { Picture } from './picture/columns';
import type { ConnectionState, FeedEvent, Notice, View } from './types';

const FEED_LIMIT = 1000;

export const SLICES = [
  /** welcome, connection state, the view object itself (a new snapshot), load errors */
  'session',
  /** phase, move, scenario time, escalation level, title */
  'meta',
  /** view.pos: this seat's stream position */
  'pos',
  'presence',
  'notices',
  'inflight',
  'feed',
  'chat',
  /** the held picture (columns) and its load state */
  'picture',
  /** the view's picture notice (team) or pictures' URLs (control) */
  'pictureNotice',
  /** control: the ground truth or a nation's picture (columns) and its load state */
  'truth',
  /** the selected track (shared by the table, the map and the search box) */
  'selection',
  /** the picture table's filter and sort: the map draws the same rows */
  'pictureView',
  /** assets and sensors with their statuses */
  'assets',
  'injects',
  'sharing',
  'orders',
  'taskings',
  /** capacity requests, joint statements, RFIs and requests for assistance */
  'requests',
  'warnings',
  'assessments',
  'attributions',
  /** control's per-nation state (picture summaries) */
  'nations',
  'metrics',
  /** control: observations and the AAR/IP's ratings, strengths, AFIs and improvement items */
  'evaluation',
  /** team: what changed for the team and why (view.feed) */
  'why',
  /** team: escalation, spares, link protections, deterrence and the responses' notes */
  'responses',
] as const;
export type Slice = (typeof SLICES)[number];

export type PictureState =
  | { status: 'none' }
  | { status: 'loading'; move: number }
  | { status: 'ready' }
  | { status: 'error'; message: string };

export class Store {
  /** A replay's store (a seat's view at a past point): panels show it and offer no action. */
  readonly readOnly: boolean;
  welcome: Welcome | null = null;
  view: View | null = null;
  /** Our held picture as columns (teams); null until one is held. */
  picture: Picture | null = null;
  pictureState: PictureState = { status: 'none' };
  /** Control: the picture shown in the ground-truth panel ('truth' or a nation's) as columns. */
  truth: Picture | null = null;
  truthState: PictureState = { status: 'none' };
  /** Control: which picture the ground-truth panel shows: 'truth' or a played nation's id. */
  truthSource = 'truth';
  /** The selected track's object id ('' = none). */
  selected = '';
  /** Live events received on this page (newest last), capped. */
  feed: FeedEvent[] = [];
  connection: ConnectionState = 'connecting';
  /** Why we are not connected (close code / reason), for the header. */
  connectionDetail = '';
  /** Why the page cannot show the exercise (set until a snapshot loads). */
  loadError = '';
  notices: Notice[] = [];
  /** Seats online now, as far as this seat may know (the server's `presence`, projected per seat). */
  online: string[] = [];
  /** Command types currently awaiting ack/rejected (to disable buttons). */
  inFlight = new Map<string, string>();

  readonly versions: Record<Slice, number> = Object.fromEntries(SLICES.map((s) => [s, 0])) as Record<Slice, number>;
  private listeners = new Set<() => void>();
  private scheduled = false;
  private noticeId = 0;

  constructor(options: { readOnly?: boolean } = {}) {
    this.readOnly = options.readOnly ?? false;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Mark slices as changed; listeners run once for everything changed in this task. */
  bump(...slices: Slice[]): void {
    for (const s of slices) this.versions[s] += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  /** Everything may have changed (a new snapshot). */
  changedAll(): void {
    this.bump(...SLICES);
  }

  /** A signature of the given slices' versions (changes when any of them moved). */
  signature(slices: readonly Slice[]): string {
    let s = '';
    for (const name of slices) s += this.versions[name] + ',';
    return s;
  }

  pushFeed(event: FeedEvent): void {
    this.feed.push(event);
    if (this.feed.length > FEED_LIMIT) this.feed.splice(0, this.feed.length - FEED_LIMIT);
    this.bump('feed');
  }

  select(objectId: string): void {
    if (this.selected === objectId) return;
    this.selected = objectId;
    this.bump('selection');
  }

  setPicture(picture: Picture | null, state: PictureState): void {
    this.picture = picture;
    this.pictureState = state;
    this.bump('picture');
  }

  setPictureState(state: PictureState): void {
    this.pictureState = state;
    this.bump('picture');
  }

  setTruth(picture: Picture | null, state: PictureState): void {
    this.truth = picture;
    this.truthState = state;
    this.bump('truth');
  }

  setTruthState(state: PictureState): void {
    this.truthState = state;
    this.bump('truth');
  }

  notify(kind: Notice['kind'], text: string): Notice {
    const notice = { id: ++this.noticeId, kind, text };
    this.notices = [...this.notices.slice(-19), notice];
    this.bump('notices');
    return notice;
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.bump('notices');
  }

  isInFlight(commandType: string): boolean {
    for (const type of this.inFlight.values()) if (type === commandType) return true;
    return false;
  }
}

export const store = new Store();
