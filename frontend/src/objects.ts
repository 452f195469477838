// Lookups of scenario objects by id, built once per object list (the catalog may hold 50,000).
import type { View } from './types';

export interface ObjectEntry {
  id: string;
  name: string;
  owner?: string | null;
}

const indexes = new WeakMap<object, Map<string, ObjectEntry>>();

/** The view's object list by id (built on first use, then cached for that list). */
export function objectIndex(view: View): Map<string, ObjectEntry> {
  const list = view.objects ?? [];
  let index = indexes.get(list);
  if (!index) {
    index = new Map(list.map((o) => [o.id, o] as const));
    indexes.set(list, index);
  }
  return index;
}

/** Objects a white cell or team usually means first: the played and adversary assets. */
export function assetIds(view: View): Set<string> {
  return new Set((view.assets ?? []).map((a) => a.id));
}

const lowered = new WeakMap<object, { ids: string[]; names: string[] }>();

/** Objects whose id or name contains the text, prefix matches first; at most `limit`. */
export function searchObjects(view: View, text: string, limit = 12): ObjectEntry[] {
  const q = text.trim().toLowerCase();
  const list = view.objects ?? [];
  if (!q) return [];
  let low = lowered.get(list);
  if (!low) {
    low = { ids: list.map((o) => o.id.toLowerCase()), names: list.map((o) => o.name.toLowerCase()) };
    lowered.set(list, low);
  }
  const prefix: ObjectEntry[] = [];
  const inside: ObjectEntry[] = [];
  for (let i = 0; i < list.length && prefix.length < limit; i++) {
    const id = low.ids[i] ?? '';
    const name = low.names[i] ?? '';
    if (id.startsWith(q) || name.startsWith(q)) prefix.push(list[i]!);
    else if (inside.length < limit && (id.includes(q) || name.includes(q))) inside.push(list[i]!);
  }
  return [...prefix, ...inside].slice(0, limit);
}
