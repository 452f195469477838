// The websocket client: authentication by subprotocol, hello with last_seq, the seq/gap/duplicate
// rules of the delivery contract, heartbeat, reconnect with backoff, and command resend.
import { applyEvent } from './apply';
import type { Ack, ClientMessage, CommandMessage, Rejected, ServerMessage } from './generated/protocol';
import { asEvent, asView, parseServerMessage } from './parse';
import type { Store } from './store';

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
      this.store.changed();
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
      ws = new WebSocket(this.url(), ['wargame.v1', 'token.' + this.token]);
    } catch (err) {
      this.store.connectionDetail = String(err);
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    this.setState(this.attempt === 0 && this.lastSeq === null ? 'connecting' : 'reconnecting');
    ws.onopen = () => {
      this.lastFrameAt = Date.now();
      this.awaitingSnapshot = false;
      this.raw({ type: 'hello', protocol: 1, last_seq: this.lastSeq });
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
        return;
      }
      this.store.connectionDetail = e.code ? `closed (${e.code}${e.reason ? ': ' + e.reason : ''})` : 'closed';
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
      this.store.changed();
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
        }
        store.welcome = message;
        this.welcomed = true;
        this.attempt = 0;
        store.connectionDetail = '';
        this.setState('connected');
        // Resend actions that were never acknowledged, with their original command_id.
        for (const p of this.pending.values()) this.raw(p.message);
        store.changed();
        return;
      }
      case 'snapshot': {
        const view = asView(message.view);
        if (!view) {
          store.notify('error', 'The server sent a snapshot this page cannot read.');
          return;
        }
        store.view = view;
        this.lastSeq = message.seq;
        this.awaitingSnapshot = false;
        store.changed();
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
        store.pushFeed(event);
        const applied = applyEvent(store.view, event);
        store.view.seq = message.seq;
        if (!applied) this.resync();
        store.changed();
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
        store.notify('error', `Error (${message.code}): ${message.message}${details ? ' — ' + details : ''}`);
        return;
      }
      case 'pong':
        // pong.seq counts events this seat may not see, so it is no evidence of a gap.
        return;
      case 'presence':
        this.online = message.online;
        store.online = message.online;
        store.changed();
        return;
    }
  }

  private settle(commandId: string): void {
    this.pending.delete(commandId);
    this.store.inFlight.delete(commandId);
    this.store.changed();
  }
}
