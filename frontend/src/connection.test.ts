// The websocket client against a scripted server: hello, snapshot parts, positions, resyncs,
// reconnects and resends (protocol v2).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection } from './connection';
import type { ProjectedEvent } from './generated/protocol';
import { PROTOCOL_VERSION, SUBPROTOCOL } from './protocol';
import { Store } from './store';
import type { TeamView } from './types';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/tutorial-streams.json', import.meta.url), 'utf8'));
const stream = recorded.streams['team:USA'] as { start: TeamView; events: { pos: number; event: ProjectedEvent }[] };

class FakeSocket {
  static OPEN = 1;
  static sockets: FakeSocket[] = [];
  readyState = 0;
  protocol = '';
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(
    public url: string,
    public protocols: string[],
  ) {
    FakeSocket.sockets.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.readyState = 3;
  }
  /** The server accepts the handshake. */
  accept(): void {
    this.readyState = FakeSocket.OPEN;
    this.protocol = SUBPROTOCOL;
    this.onopen?.();
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  types(): string[] {
    return this.sent.map((m) => String(m.type));
  }
}

const WELCOME = { type: 'welcome', protocol: PROTOCOL_VERSION, exercise_id: 'fixture1', viewer: 'team:USA', role: 'player', nation: 'USA', label: 'USA' };

/** A view's snapshot frames, cut into `parts` parts. */
function snapshot(view: TeamView, parts: number): Record<string, unknown>[] {
  const text = JSON.stringify(view);
  const size = Math.ceil(text.length / parts);
  return Array.from({ length: parts }, (_, k) => ({
    type: 'snapshot',
    pos: view.pos,
    part: k + 1,
    parts,
    data: text.slice(k * size, (k + 1) * size),
  }));
}

function event(k: number): Record<string, unknown> {
  const { pos, event } = stream.events[k]!;
  return { type: 'event', pos, event };
}

let store: Store;
let connection: Connection;

function socket(): FakeSocket {
  const last = FakeSocket.sockets[FakeSocket.sockets.length - 1];
  if (!last) throw new Error('no socket');
  return last;
}

function connect(): FakeSocket {
  connection.start();
  const ws = socket();
  ws.accept();
  ws.receive(WELCOME);
  return ws;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.sockets = [];
  const g = globalThis as Record<string, unknown>;
  g.window = globalThis;
  g.addEventListener = () => undefined;
  g.location = { protocol: 'http:', host: 'test' };
  g.WebSocket = FakeSocket;
  store = new Store();
  connection = new Connection(store, 'tok');
});

afterEach(() => {
  connection.stop();
  vi.useRealTimers();
});

describe('the websocket client', () => {
  it('offers the subprotocol and says hello with the version and no position', () => {
    const ws = connect();
    expect(ws.protocols).toEqual([SUBPROTOCOL, 'token.tok']);
    expect(ws.sent[0]).toEqual({ type: 'hello', protocol: 2, last_pos: null });
  });

  it('joins the parts of a snapshot and reads the view after the last', () => {
    const ws = connect();
    const [a, b, c] = snapshot(stream.start, 3);
    ws.receive(a);
    ws.receive(b);
    expect(store.view).toBeNull();
    ws.receive(c);
    expect(store.view?.exercise_id).toBe('fixture1');
    expect(connection.pos).toBe(0);
  });

  it('discards a snapshot whose part comes out of order or from another position, and resyncs', () => {
    const ws = connect();
    const [a, b, c] = snapshot(stream.start, 3);
    ws.receive(a);
    ws.receive(c);
    expect(ws.types()).toContain('resync');
    ws.receive(b);
    expect(store.view).toBeNull();
    ws.receive({ ...a, pos: 7 });
    ws.receive({ ...b, pos: 8 });
    expect(ws.types().filter((t) => t === 'resync')).toHaveLength(2);
    for (const part of snapshot(stream.start, 2)) ws.receive(part);
    expect(store.view).not.toBeNull();
  });

  it('applies contiguous events, drops duplicates and resyncs on a gap', () => {
    const ws = connect();
    for (const part of snapshot(stream.start, 1)) ws.receive(part);
    ws.receive(event(0));
    ws.receive(event(1));
    expect(connection.pos).toBe(2);
    expect(store.view?.phase).toBe('running');
    ws.receive(event(1)); // a duplicate
    expect(connection.pos).toBe(2);
    expect(ws.types()).not.toContain('resync');
    ws.receive(event(4)); // positions 3 and 4 never came
    expect(connection.pos).toBe(2);
    expect(ws.types()).toContain('resync');
    ws.receive(event(2)); // events wait for the snapshot the resync brings
    expect(connection.pos).toBe(2);
  });

  it('does not keep a partial snapshot across a reconnect, and resumes from its position', () => {
    let ws = connect();
    for (const part of snapshot(stream.start, 1)) ws.receive(part);
    ws.receive(event(0));
    const later = { ...stream.start, pos: 5 };
    const [a] = snapshot(later, 2);
    ws.receive(a);
    ws.drop();
    vi.advanceTimersByTime(1_000);
    ws = socket();
    ws.accept();
    expect(ws.sent[0]).toEqual({ type: 'hello', protocol: 2, last_pos: 1 });
    ws.receive(WELCOME);
    const [, b] = snapshot(later, 2);
    ws.receive(b); // the second half of the old socket's snapshot: discarded
    expect(connection.pos).toBe(1);
    expect(ws.types()).toContain('resync');
  });

  it('resends an unacknowledged command with its command_id after a reconnect', async () => {
    let ws = connect();
    for (const part of snapshot(stream.start, 1)) ws.receive(part);
    const sent = connection.send({ type: 'post_chat', channel: 'team', text: 'hi' }, 'c-1');
    expect(ws.sent.at(-1)).toMatchObject({ type: 'command', command_id: 'c-1' });
    ws.drop();
    vi.advanceTimersByTime(1_000);
    ws = socket();
    ws.accept();
    ws.receive(WELCOME);
    expect(ws.sent.filter((m) => m.type === 'command')).toEqual([
      { type: 'command', command_id: 'c-1', command: { type: 'post_chat', channel: 'team', text: 'hi' } },
    ]);
    ws.receive({ type: 'ack', command_id: 'c-1', pos: null, repeat: true });
    await expect(sent).resolves.toMatchObject({ command_id: 'c-1' });
  });

  it('a pong or ack past the held position resyncs only if the events do not follow', () => {
    const ws = connect();
    for (const part of snapshot(stream.start, 1)) ws.receive(part);
    ws.receive({ type: 'pong', pos: 1 });
    ws.receive(event(0)); // it was on its way
    vi.advanceTimersByTime(10_000);
    expect(ws.types()).not.toContain('resync');
    ws.receive({ type: 'ack', command_id: 'x', pos: 3 });
    vi.advanceTimersByTime(10_000);
    expect(ws.types()).toContain('resync');
  });

  it('reconnects and resumes from its position when the server restarts (4503)', () => {
    let ws = connect();
    for (const part of snapshot(stream.start, 1)) ws.receive(part);
    ws.receive(event(0));
    ws.drop(4503);
    expect(store.connection).toBe('reconnecting');
    expect(store.connectionDetail).toContain('restarting');
    vi.advanceTimersByTime(1_000);
    ws = socket();
    ws.accept();
    expect(ws.sent[0]).toEqual({ type: 'hello', protocol: 2, last_pos: 1 });
  });

  it('names a server that speaks another protocol version', () => {
    connection.start();
    const ws = socket();
    ws.accept();
    ws.receive({ ...WELCOME, protocol: 3 });
    expect(store.loadError).toContain('the server speaks protocol 3, this page speaks 2');
  });
});
