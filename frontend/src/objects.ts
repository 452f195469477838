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
