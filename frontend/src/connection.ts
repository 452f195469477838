// The websocket client: authentication by subprotocol, hello with last_seq, the seq/gap/duplicate
// rules of the delivery contract, heartbeat, reconnect with backoff, and command resend.
import { applyEvent, isControlView, slicesOf } from './apply';
import type { Ack, ClientMessage, CommandMessage, Rejected, ServerMessage } from './generated/protocol';
import { asEvent, asView, parseServerMessage } from './parse';
import { pictureFromEvent, pictureFromSnapshot } from './picture/load';
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
  4403: 'This seat may not join this exercise.',
  4429: 'This link is open in too many windows. Close one, then reload this page.',
};
const SUBPROTOCOL = 'wargame.v1';
const PROTOCOL = 1;
/** Waiting this long for the first snapshot after the welcome, the page says so. */
const SNAPSHOT_PATIENCE_MS = 20_000;

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
    default:
      return `closed (${code}${reason ? ': ' + reason : ''})`;
  }
}

/**
 * The feed keeps events for the white cell's feed and the facilitator's timeline; a team's
 * picture rows (tens of thousands) are not kept there, only their count.
 */
function slimForFeed(event: FeedEvent): FeedEvent {
  const tracks = event.body.tracks;
  if (event.type !== 'picture_updated' || !Array.isArray(tracks)) return event;
  const { tracks: _dropped, ...rest } = event.body;
  return { ...event, body: { ...rest, summary: { held: tracks.length } } };
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
  private lastSeq: number | null = null;
  private awaitingSnapshot = false;
  private pending = new Map<string, Pending>();
  private attempt = 0;
  private reconnectTimer: number | undefined;
  private pingTimer: number | undefined;
  private snapshotTimer: number | undefined;
  private lastFrameAt = 0;
  private stopped = false;
  private welcomed = false;
  /** Extra listeners for live events (the facilitator timeline). */
  private eventListeners = new Set<(kind: 'snapshot' | 'event', seq: number) => void>();
  /** Seats online now, as far as this seat may know (from the server's heartbeat presence). */
  online: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly token: string,
  ) {}

  get seq(): number | null {
    return this.lastSeq;
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
    this.ws?.close(1000, 'bye');
  }

  onEvent(listener: (kind: 'snapshot' | 'event', seq: number) => void): () => void {
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
      // otherwise it goes out after the next hello
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
    this.setState(this.attempt === 0 && this.lastSeq === null ? 'connecting' : 'reconnecting');
    ws.onopen = () => {
      this.lastFrameAt = Date.now();
      this.awaitingSnapshot = false;
      if (ws.protocol && ws.protocol !== SUBPROTOCOL) {
        this.fatal(`Protocol mismatch: the server speaks ${ws.protocol}, this page speaks ${SUBPROTOCOL}. Reload the page; if this persists, the page and the server are from different releases.`);
        ws.close(1000, 'protocol mismatch');
        return;
      }
      this.raw({ type: 'hello', protocol: PROTOCOL, last_seq: this.lastSeq });
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
      this.store.loadError = this.welcomed
        ? `The server accepted this seat but has not sent the exercise after ${seconds} s. It may be too large for this server to send, or the server is busy adjudicating; this page keeps waiting.`
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

  private resync(): void {
    if (this.awaitingSnapshot) return;
    this.awaitingSnapshot = true;
    this.raw({ type: 'resync' });
  }

  private handle(message: ServerMessage): void {
    const store = this.store;
    switch (message.type) {
      case 'welcome': {
        const previous = store.welcome;
        if (previous && previous.exercise_id !== message.exercise_id) {
          // A different exercise behind the same link: start over.
          this.lastSeq = null;
          store.view = null;
          store.feed = [];
          store.setPicture(null, { status: 'none' });
        }
        if (typeof message.protocol === 'number' && message.protocol !== PROTOCOL) {
          this.fatal(`Protocol mismatch: the server speaks protocol ${message.protocol}, this page speaks ${PROTOCOL}. Reload the page; if this persists, the page and the server are from different releases.`);
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
      case 'snapshot': {
        const view = asView(message.view);
        if (!view) {
          const why = 'The server sent a snapshot this page cannot read (no exercise id, move or phase).';
          if (!store.view) {
            store.loadError = why;
            store.bump('session');
          }
          store.notify('error', why);
          return;
        }
        window.clearTimeout(this.snapshotTimer);
        if (!isControlView(view)) pictureFromSnapshot(store, view);
        store.view = view;
        store.loadError = '';
        this.lastSeq = message.seq;
        this.awaitingSnapshot = false;
        store.changedAll();
        for (const listener of this.eventListeners) listener('snapshot', message.seq);
        return;
      }
      case 'event': {
        if (this.awaitingSnapshot) return;
        if (this.lastSeq !== null && message.seq <= this.lastSeq) return; // duplicate
        if (message.prev_seq !== this.lastSeq || !store.view) {
          this.resync(); // gap: we missed something
          return;
        }
        const event = asEvent(message.event);
        if (!event) {
          this.resync();
          return;
        }
        this.lastSeq = message.seq;
        const view = store.view;
        store.pushFeed(slimForFeed(event));
        const time = view.scenario_time;
        const applied = applyEvent(view, event);
        view.seq = message.seq;
        store.bump('seq', ...slicesOf(event.type));
        if (view.scenario_time !== time) store.bump('meta');
        if (event.type === 'picture_updated' && !isControlView(view) && event.body.nation === view.nation) {
          pictureFromEvent(store, view, event.body, event.scenario_time);
        }
        if (!applied) this.resync();
        for (const listener of this.eventListeners) listener('event', message.seq);
        return;
      }
      case 'ack': {
        const p = this.pending.get(message.command_id);
        this.settle(message.command_id);
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
        // pong.seq counts events this seat may not see, so it is no evidence of a gap.
        return;
      case 'presence':
        this.online = message.online;
        store.online = message.online;
        store.bump('presence');
        return;
    }
  }

  private settle(commandId: string): void {
    this.pending.delete(commandId);
    this.store.inFlight.delete(commandId);
    this.store.bump('inflight');
  }
}
