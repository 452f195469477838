// The JSON boundary: the only place where untyped server data becomes typed values.
import type { ServerMessage } from './generated/protocol';
import type { FeedEvent, View } from './types';

const SERVER_TYPES = new Set(['welcome', 'snapshot', 'event', 'ack', 'rejected', 'error', 'pong', 'presence']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse one websocket frame; null when it is not a server message we understand. */
export function parseServerMessage(text: unknown): ServerMessage | null {
  if (typeof text !== 'string') return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || typeof data.type !== 'string' || !SERVER_TYPES.has(data.type)) return null;
  if (data.type === 'presence') {
    // Seats online as the server projects them for this seat: a list of viewer ids.
    if (!Array.isArray(data.online)) return null;
    data.online = data.online.filter((v): v is string => typeof v === 'string');
  }
  return data as unknown as ServerMessage;
}

/** A snapshot's view: checked for the keys every view has, then trusted. */
export function asView(raw: Record<string, unknown>): View | null {
  if (typeof raw.exercise_id !== 'string' || typeof raw.move !== 'number' || typeof raw.phase !== 'string') {
    return null;
  }
  const view = raw as unknown as View;
  view.nations ??= [];
  view.attributions ??= [];
  view.objectives ??= [];
  return view;
}

export function asEvent(raw: Record<string, unknown>): FeedEvent | null {
  if (typeof raw.seq !== 'number' || typeof raw.type !== 'string' || !isObject(raw.body)) return null;
  return raw as unknown as FeedEvent;
}

/** Typed field access on an event body (a JSON object). */
export function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return typeof v === 'string' ? v : v == null ? '' : String(v);
}
export function num(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  return typeof v === 'number' ? v : Number(v ?? NaN);
}
export function bool(body: Record<string, unknown>, key: string): boolean {
  return body[key] === true;
}
export function field<T>(body: Record<string, unknown>, key: string): T {
  return body[key] as T;
}
