// The JSON boundary: the only place where untyped server data becomes typed values.
import type { ProjectedEvent, ServerMessage } from './generated/protocol';
import type { View } from './types';

const SERVER_TYPES = new Set(['welcome', 'snapshot', 'event', 'ack', 'rejected', 'error', 'pong', 'presence']);
const VIEW_KINDS = new Set(['team', 'control', 'observer']);

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
  if (data.type === 'snapshot' && (typeof data.pos !== 'number' || typeof data.part !== 'number' || typeof data.parts !== 'number' || typeof data.data !== 'string')) {
    return null;
  }
  if (data.type === 'event' && (typeof data.pos !== 'number' || !isObject(data.event))) return null;
  return data as unknown as ServerMessage;
}

/** A snapshot's view (its parts' text joined): checked for the keys every view has, then trusted. */
export function parseView(text: string): View | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(raw) || typeof raw.exercise_id !== 'string' || typeof raw.move !== 'number' || typeof raw.phase !== 'string') {
    return null;
  }
  if (typeof raw.kind !== 'string' || !VIEW_KINDS.has(raw.kind) || typeof raw.pos !== 'number') return null;
  return raw as unknown as View;
}

export function asEvent(raw: unknown): ProjectedEvent | null {
  if (!isObject(raw) || typeof raw.type !== 'string' || typeof raw.move !== 'number' || !isObject(raw.body)) return null;
  return raw as unknown as ProjectedEvent;
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
