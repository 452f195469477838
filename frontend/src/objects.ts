// Space objects a seat knows by id and name: the assets its view lists, then the rows of the
// picture it holds (a team: its own picture; control: the ground truth, which lists every object
// in play, the background catalog too). Nothing is copied out of the picture's columns.
import { rowOf, labelAt, type Picture } from './picture/columns';
import { searchTracks } from './picture/query';
import type { Store } from './store';
import type { View } from './types';
import { isControlView, isTeamView } from './types';

export interface ObjectEntry {
  id: string;
  name: string;
  owner?: string | null;
}

/** The named objects of the view: a team's assets, control's named and changed objects. */
function assetsOf(view: View): ObjectEntry[] {
  if (isTeamView(view) || isControlView(view)) return view.assets.map((a) => ({ id: a.id, name: a.name ?? a.id, owner: a.owner }));
  return [];
}

/** The picture whose rows name objects for this seat (control: only the ground truth). */
function pictureOf(store: Store, view: View): Picture | null {
  if (isTeamView(view)) return store.picture;
  if (isControlView(view) && store.truth?.kind === 'truth') return store.truth;
  return null;
}

function rowEntry(picture: Picture, i: number): ObjectEntry {
  const id = picture.objectId[i] ?? '';
  return { id, name: picture.name[i] ?? id, owner: labelAt(picture, 'owner', i) || null };
}

const assetIndexes = new WeakMap<object, Map<string, ObjectEntry>>();

/** The object with this id, as the seat knows it (undefined: it knows no such object). */
export function findObject(store: Store, view: View, id: string): ObjectEntry | undefined {
  const list = isTeamView(view) || isControlView(view) ? view.assets : null;
  if (list) {
    let index = assetIndexes.get(list);
    if (!index) {
      index = new Map(assetsOf(view).map((o) => [o.id, o] as const));
      assetIndexes.set(list, index);
    }
    const found = index.get(id);
    if (found) return found;
  }
  const picture = pictureOf(store, view);
  const row = picture ? rowOf(picture, id) : -1;
  return picture && row >= 0 ? rowEntry(picture, row) : undefined;
}

/** Objects whose id or name contains the text, the view's assets first; at most `limit`. */
export function searchObjects(store: Store, view: View, text: string, limit = 12): ObjectEntry[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const out = assetsOf(view).filter((o) => o.id.toLowerCase().includes(q) || o.name.toLowerCase().includes(q));
  const seen = new Set(out.map((o) => o.id));
  const picture = pictureOf(store, view);
  if (picture) {
    for (const i of searchTracks(picture, q, limit)) {
      const entry = rowEntry(picture, i);
      if (!seen.has(entry.id)) out.push(entry);
    }
  }
  return out.slice(0, limit);
}
