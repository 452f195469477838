// The websocket client (protocol v2): authentication by subprotocol, hello with last_pos,
// snapshots reassembled from their parts, this seat's contiguous stream positions (a gap asks for a
// resync, a duplicate is dropped), heartbeat, reconnect with backoff, and command resend.
import { applyEvent, slicesOf } from './apply';
import { tempoNotice } from './tempo';
import type { Ack, ClientMessage, CommandMessage, ProjectedEvent, Rejected, ServerMessage, Snapshot } from './generated/protocol';
import { asEvent, parseServerMessage, parseView } from './parse';
import { forgetPictures, pictureFromEvent, pictureFromSnapshot } from './picture/load';
import { PROTOCOL_VERSION, SUBPROTOCOL } from './protocol';
import type { Store } from './store';
import type { FeedEvent } from './types';

export type Command = CommandMessage['command'];

const PING_MS = 15_000;
const SILENCE_MS = 45_000; // no frame (not even a pong) for this long: the socket is dead
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/**
 * Close codes after which reconnecting cannot help. (4008 means this page fell too far behind,
 * and 4408 that its hello came too late; it reconnects like any other drop and says hello.)
 */
const FATAL_CODES: Record<number, string> = {
  4401: 'This link is not valid or was revoked.',
  4403: 'This page is not served from an address the server allows (WARGAME_ALLOWED_HOSTS).',
  4422: "This exercise's log failed its integrity check, so the server will not load it. Tell the exercise control (wargame exercise verify).",
  4429: 'This link is open in too many windows. Close one, then reload this page.',
};
/** Waiting this long for the first snapshot after the welcome, the page says so. */
const SNAPSHOT_PATIENCE_MS = 20_000;
/**
 * A pong or an ack naming a position past the last one held: the events may still be on their
 * way (the news reaches this socket after the answer). Still short of it after this long, the
 * page missed something and asks for a resync.
 */
const CATCH_UP_GRACE_MS = 4_000;

/** Why a socket closed, in words a player can act on. */
export function describeClose(code: number, reason: string): string {
  switch (code) {
    case 1006:
      return 'the connection to the server was lost or refused (is the server running and reachable?)';
    case 1009:
      return 'the server tried to send a message larger than the connection allows (1 MiB): this server cannot deliver this exercise to the page';
    case 1011:
      return 'the server failed while handling this page';
    case 1013:
      return 'the server is overloaded; try again shortly';
    case 4008:
      return 'this page fell too far behind the live events';
    case 4503:
      return 'the server is restarting; reconnecting to another one';
    default:
      return `closed (${code}${reason ? ': ' + reason : ''})`;
  }
}

/**
 * The feed keeps events for the white cell's feed and the facilitator's timeline; the picture rows
 * of an older log's picture_updated (tens of thousands) are not kept there, only their count.
 */
function slimForFeed(pos: number, event: ProjectedEvent): FeedEvent {
  const tracks = event.body.tracks;
  if (event.type !== 'picture_updated' || !Array.isArray(tracks)) return { pos, event };
  const { tracks: _dropped, ...rest } = event.body;
  return { pos, event: { ...event, body: { ...rest, held: tracks.length } } };
}

/** A snapshot being received part by part (parts 1..parts of one position, in order). */
interface Assembly {
  pos: number;
  parts: number;
  chunks: string[];
}

export class CommandRejected extends Error {
  constructor(public readonly rejection: Rejected) {
    super(`${rejection.code}: ${rejection.message}`);
  }
}

interface Pending {
  message: CommandMessage;
  resolve: (ack: Ack) => void;
  reject: (err: Error) => void;
}

export function newCommandId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return 'c-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
}

export class Connection {
  private ws: WebSocket | null = null;
  /** The position of this seat's stream the page holds (its snapshot's, then each event's). */
  private lastPos: number | null = null;
  /** A resync was asked for: events wait for the snapshot it brings. */
  private awaitingSnapshot = false;
  /** The snapshot arriving part by part (never kept across sockets). */
  private assembly: Assembly | null = null;
  /** A position the server said this seat's stream reached (pong, ack), and since when. */
  private expected: { pos: number; since: number } | null = null;
  private pending = new Map<string, Pending>();
  private attempt = 0;
  private reconnectTimer: number | undefined;
  private pingTimer: number | undefined;
  private snapshotTimer: number | undefined;
  private catchUpTimer: number | undefined;
  private lastFrameAt = 0;
  private stopped = false;
  private welcomed = false;
  /** Extra listeners for live events (the facilitator timeline). */
  private eventListeners = new Set<(kind: 'snapshot' | 'event', pos: number) => void>();
  /** Seats online now, as far as this seat may know (from the server's heartbeat presence). */
  online: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly token: string,
  ) {}

  get pos(): number | null {
    return this.lastPos;
  }

  start(): void {
    this.stopped = false;
    this.open();
    window.addEventListener('online', () => this.reconnectNow());
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.reconnectTimer);
    window.clearInterval(this.pingTimer);
    window.clearTimeout(this.snapshotTimer);
    window.clearTimeout(this.catchUpTimer);
    this.ws?.close(1000, 'bye');
  }

  onEvent(listener: (kind: 'snapshot' | 'event', pos: number) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Send a user action. The command_id is fresh per action and reused if the action is resent
   * after a reconnect, so the server applies it at most once. Resolves on ack, rejects on rejected.
   */
  send(command: Command, commandId: string = newCommandId()): Promise<Ack> {
    const message: CommandMessage = { type: 'command', command_id: commandId, command };
    return new Promise<Ack>((resolve, reject) => {
      this.pending.set(commandId, { message, resolve, reject });
      this.store.inFlight.set(commandId, command.type);
      this.store.bump('inflight');
      if (this.store.connection === 'connected') this.raw(message);
      // otherwise it goes out after the next welcome
    });
  }

  private raw(message: ClientMessage): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private url(): string {
    return (location.protocol === 'https:' ? 'wss' : 'ws') + '://' + location.host + '/ws/exercise/';
  }

  private open(): void {
    window.clearTimeout(this.reconnectTimer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url(), [SUBPROTOCOL, 'token.' + this.token]);
    } catch (err) {
      this.store.connectionDetail = `cannot open a connection to ${location.host}: ${String(err)}`;
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    this.assembly = null; // a snapshot cut short by the drop is asked for again by the hello
    this.expected = null;
    this.setState(this.attempt === 0 && this.lastPos === null ? 'connecting' : 'reconnecting');
    ws.onopen = () => {
      this.lastFrameAt = Date.now();
      this.awaitingSnapshot = false;
      if (ws.protocol && ws.protocol !== SUBPROTOCOL) {
        this.fatal(`Protocol mismatch: the server speaks ${ws.protocol}, this page speaks ${SUBPROTOCOL}. Reload the page; if this persists, the page and the server are from different releases.`);
        ws.close(1000, 'protocol mismatch');
        return;
      }
      this.raw({ type: 'hello', protocol: PROTOCOL_VERSION, last_pos: this.lastPos });
      this.watchSnapshot();
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.heartbeat(), PING_MS);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (ws !== this.ws) return;
      this.lastFrameAt = Date.now();
      const message = parseServerMessage(e.data);
      if (message) this.handle(message);
    };
    ws.onclose = (e: CloseEvent) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.assembly = null;
      window.clearInterval(this.pingTimer);
      const fatal = FATAL_CODES[e.code];
      if (fatal) {
        this.stopped = true;
        this.store.connectionDetail = fatal;
        this.setState('invalid');
        for (const p of this.pending.values()) p.reject(new Error(fatal));
        this.pending.clear();
        this.store.inFlight.clear();
        this.store.bump('inflight');
        return;
      }
      if (this.stopped) return;
      this.store.connectionDetail = e.code ? describeClose(e.code, e.reason) : 'closed';
      if (!this.store.view) {
        this.store.loadError = this.welcomed
          ? `The server accepted this seat but the exercise did not arrive: ${this.store.connectionDetail}.`
          : `Cannot reach the exercise server at ${location.host}: ${this.store.connectionDetail}.`;
        this.store.bump('session');
      }
      if (!this.welcomed && this.attempt >= 2) void this.checkToken();
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  /**
   * A server that refuses the handshake before accepting it yields close code 1006, not 4401.
   * After repeated failures, ask the HTTP API whether the token itself is refused.
   */
  private async checkToken(): Promise<void> {
    try {
      const res = await fetch('/api/log?after=0&limit=1', {
        headers: { Authorization: 'Bearer ' + this.token },
      });
      if (res.status === 401 && !this.welcomed) {
        this.stop();
        this.store.connectionDetail = FATAL_CODES[4401] ?? '';
        this.setState('invalid');
      }
    } catch {
      /* offline: keep retrying */
    }
  }

  /** Stop for good with a reason the page shows (protocol mismatch). */
  private fatal(message: string): void {
    this.stopped = true;
    window.clearTimeout(this.reconnectTimer);
    window.clearInterval(this.pingTimer);
    this.store.connectionDetail = message;
    this.store.loadError = message;
    this.store.connection = 'closed';
    this.store.bump('session');
  }

  /** After the hello, a page still without its snapshot after a while says so (and keeps waiting). */
  private watchSnapshot(): void {
    window.clearTimeout(this.snapshotTimer);
    if (this.store.view) return;
    const since = Date.now();
    this.snapshotTimer = window.setTimeout(() => {
      if (this.store.view || this.stopped) return;
      const seconds = Math.round((Date.now() - since) / 1000);
      const parts = this.assembly ? ` (${this.assembly.chunks.length} of its ${this.assembly.parts} parts arrived)` : '';
      this.store.loadError = this.welcomed
        ? `The server accepted this seat but has not sent the exercise after ${seconds} s${parts}. The server may be busy adjudicating; this page keeps waiting.`
        : `The server has not answered this seat after ${seconds} s; this page keeps waiting.`;
      this.store.bump('session');
    }, SNAPSHOT_PATIENCE_MS);
  }

  private heartbeat(): void {
    if (Date.now() - this.lastFrameAt > SILENCE_MS) {
      // Presence comes from heartbeats: a silent socket is treated as dead.
      this.store.connectionDetail = 'no heartbeat from the server';
      const dead = this.ws;
      this.ws = null;
      this.assembly = null;
      dead?.close(4000, 'heartbeat timeout');
      this.scheduleReconnect();
      return;
    }
    this.raw({ type: 'ping' });
  }

  private reconnectNow(): void {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    this.attempt = 0;
    this.open();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    const delay = Math.min(BACKOFF_MAX_MS, base * (0.75 + Math.random() * 0.5));
    this.attempt += 1;
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => this.open(), delay);
  }

  private setState(state: Store['connection']): void {
    if (this.store.connection !== state) {
      this.store.connection = state;
      this.store.bump('session');
    }
  }

  /** Ask for a fresh snapshot (once until it arrives, unless `again`: the last one broke). */
  private resync(again = false): void {
    if (this.awaitingSnapshot && !again) return;
    this.awaitingSnapshot = true;
    this.assembly = null;
    this.expected = null;
    this.raw({ type: 'resync' });
  }

  /** The server says this seat's stream reached `pos`: if the page does not catch up within a
   *  grace period, it missed something. */
  private expect(pos: number | null | undefined): void {
    if (typeof pos !== 'number' || pos <= (this.lastPos ?? 0)) return;
    if (this.expected && this.expected.pos >= pos) return;
    this.expected = { pos, since: Date.now() };
    window.clearTimeout(this.catchUpTimer);
    this.catchUpTimer = window.setTimeout(() => {
      const wanted = this.expected;
      if (!wanted || this.awaitingSnapshot || this.assembly) return;
      if ((this.lastPos ?? 0) < wanted.pos) this.resync();
      this.expected = null;
    }, CATCH_UP_GRACE_MS);
  }

  private handle(message: ServerMessage): void {
    const store = this.store;
    switch (message.type) {
      case 'welcome': {
        const previous = store.welcome;
        if (previous && previous.exercise_id !== message.exercise_id) {
          // A different exercise behind the same link: start over.
          this.lastPos = null;
          store.view = null;
          store.feed = [];
          forgetPictures(this.store);
          store.setPicture(null, { status: 'none' });
          store.setTruth(null, { status: 'none' });
        }
        if (typeof message.protocol === 'number' && message.protocol !== PROTOCOL_VERSION) {
          this.fatal(`Protocol mismatch: the server speaks protocol ${message.protocol}, this page speaks ${PROTOCOL_VERSION}. Reload the page; if this persists, the page and the server are from different releases.`);
          this.ws?.close(1000, 'protocol mismatch');
          return;
        }
        store.welcome = message;
        this.welcomed = true;
        this.attempt = 0;
        store.connectionDetail = '';
        this.setState('connected');
        // Resend actions that were never acknowledged, with their original command_id.
        for (const p of this.pending.values()) this.raw(p.message);
        store.bump('session');
        return;
      }
      case 'snapshot':
        this.snapshotPart(message);
        return;
      case 'event': {
        if (this.awaitingSnapshot || this.assembly || !store.view || this.lastPos === null) return;
        if (message.pos <= this.lastPos) return; // a duplicate
        if (message.pos !== this.lastPos + 1) {
          this.resync(); // a gap: this page missed something
          return;
        }
        const event = asEvent(message.event);
        if (!event) {
          this.resync();
          return;
        }
        this.applyLive(message.pos, event);
        return;
      }
      case 'ack': {
        const p = this.pending.get(message.command_id);
        this.settle(message.command_id);
        this.expect(message.pos);
        p?.resolve(message);
        return;
      }
      case 'rejected': {
        const p = this.pending.get(message.command_id);
        this.settle(message.command_id);
        store.notify('rejected', `Rejected (${message.code}): ${message.message}`);
        p?.reject(new CommandRejected(message));
        return;
      }
      case 'error': {
        const details = (message.details ?? []).map((d) => `${d.loc}: ${d.message}`).join('; ');
        const text = `Error (${message.code}): ${message.message}${details ? ' — ' + details : ''}`;
        if (!store.view) {
          // Before the first snapshot, a server error is why the page cannot load.
          store.loadError = `The server refused to load the exercise: ${text}`;
          store.bump('session');
        }
        store.notify('error', text);
        return;
      }
      case 'pong':
        this.expect(message.pos);
        return;
      case 'presence':
        this.online = message.online;
        store.online = message.online;
        store.bump('presence');
        return;
    }
  }

  /** One part of a snapshot: parts 1..parts of one position arrive in order; anything else is
   *  discarded and a fresh snapshot asked for. The view is read once the last part is in. */
  private snapshotPart(message: Snapshot): void {
    const store = this.store;
    let assembly = this.assembly;
    if (message.part === 1) {
      assembly = { pos: message.pos, parts: message.parts, chunks: [] };
    } else if (!assembly || assembly.pos !== message.pos || assembly.parts !== message.parts || message.part !== assembly.chunks.length + 1) {
      // The rest of a snapshot already discarded, while a fresh one is asked for: nothing to do.
      if (!assembly && this.awaitingSnapshot) return;
      this.resync(true);
      return;
    }
    assembly.chunks.push(message.data);
    this.assembly = assembly;
    if (assembly.chunks.length < assembly.parts) return;
    this.assembly = null;
    const view = parseView(assembly.chunks.join(''));
    if (!view || view.pos !== assembly.pos) {
      const why = 'The server sent a snapshot this page cannot read (no exercise id, move, phase or position).';
      if (!store.view) {
        store.loadError = why;
        store.bump('session');
      }
      store.notify('error', why);
      return;
    }
    window.clearTimeout(this.snapshotTimer);
    store.view = view;
    store.loadError = '';
    this.lastPos = view.pos;
    this.awaitingSnapshot = false;
    if (this.expected && this.expected.pos <= view.pos) this.expected = null;
    pictureFromSnapshot(store, view);
    store.changedAll();
    for (const listener of this.eventListeners) listener('snapshot', view.pos);
  }

  private applyLive(pos: number, event: ProjectedEvent): void {
    const store = this.store;
    const view = store.view;
    if (!view) return;
    this.lastPos = pos;
    if (this.expected && this.expected.pos <= pos) this.expected = null;
    store.pushFeed(slimForFeed(pos, event));
    const time = view.scenario_time;
    const applied = applyEvent(view, event, pos);
    store.bump('pos', ...slicesOf(event.type));
    if (view.scenario_time !== time) store.bump('meta');
    if (event.type === 'picture_updated') pictureFromEvent(store, view, event);
    const notice = tempoNotice(event);
    if (notice) store.notify('info', notice);
    if (!applied) this.resync();
    for (const listener of this.eventListeners) listener('event', pos);
  }

  private settle(commandId: string): void {
    this.pending.delete(commandId);
    this.store.inFlight.delete(commandId);
    this.store.bump('inflight');
  }
}
