// Where a team's picture comes from: JSON rows in a snapshot or event (protocol v1), or the binary
// resource GET /api/picture?move=M (protocol v2), decoded into columns. Failures say why.
import { fetchPicture } from '../api';
import { objectIndex } from '../objects';
import type { Store } from '../store';
import type { View } from '../types';
import { labelAt, rowOf, type Picture } from './columns';
import { decodePicture } from './decode';
import { pictureFromJson, type JsonTrack, type ObjectCard } from './fromJson';

let request = 0;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Cards for bare event tracks: the previous picture's, then our assets', then the object list. */
function cardLookup(store: Store, view: View): (id: string) => ObjectCard | undefined {
  const previous = store.picture;
  const assets = new Map((view.assets ?? []).map((a) => [a.id, a] as const));
  const objects = objectIndex(view);
  return (id) => {
    if (previous) {
      const i = rowOf(previous, id);
      if (i >= 0) {
        return {
          name: previous.name[i] ?? id,
          owner: labelAt(previous, 'owner', i),
          kind: labelAt(previous, 'kind', i),
          mission: labelAt(previous, 'mission', i),
        };
      }
    }
    const asset = assets.get(id);
    if (asset) return asset;
    const object = objects.get(id);
    return object ? { name: object.name, owner: object.owner ?? null } : undefined;
  };
}

function setJson(store: Store, view: View, tracks: JsonTrack[], move: number, epoch: string): void {
  request += 1; // a pending binary fetch is superseded
  try {
    const picture = pictureFromJson(tracks, { nation: view.nation ?? null, move, epoch, card: cardLookup(store, view) });
    store.setPicture(picture, { status: 'ready' });
  } catch (err) {
    store.setPictureState({ status: 'error', message: `The picture could not be read: ${describe(err)}` });
  }
}

/** Fetch and decode our picture after `move` (latest when null). */
export async function loadBinaryPicture(store: Store, move: number | null): Promise<void> {
  const mine = ++request;
  store.setPictureState({ status: 'loading', move: move ?? -1 });
  let picture: Picture;
  try {
    picture = decodePicture(await fetchPicture(move));
    if (picture.kind !== 'picture') throw new Error(`the server sent a ${picture.kind} resource, not a picture`);
  } catch (err) {
    if (mine !== request) return;
    store.setPictureState({
      status: 'error',
      message: `The picture${move === null ? '' : ` after move ${move}`} failed to load: ${describe(err)}`,
    });
    return;
  }
  if (mine !== request) return;
  store.setPicture(picture, { status: 'ready' });
}

/**
 * A snapshot arrived: take its picture out of the view (rows into columns), or fetch the
 * binary one it names (`picture_move`, protocol v2). Control views hold no picture rows.
 */
export function pictureFromSnapshot(store: Store, view: View): void {
  const raw = view.picture as unknown;
  delete view.picture;
  if (Array.isArray(raw)) {
    if (raw.length === 0 && view.picture_move == null) {
      request += 1;
      store.setPicture(null, { status: 'none' });
      return;
    }
    setJson(store, view, raw as JsonTrack[], Math.max(0, view.move - 1), view.scenario_time);
    return;
  }
  if (typeof view.picture_move === 'number') {
    void loadBinaryPicture(store, view.picture_move);
    return;
  }
  request += 1;
  store.setPicture(null, { status: 'none' });
}

/** A `picture_updated` event for our nation: rows inline (v1), or a move to fetch (v2). */
export function pictureFromEvent(store: Store, view: View, body: Record<string, unknown>, scenarioTime: string): void {
  const move = typeof body.move === 'number' ? body.move : null;
  if (Array.isArray(body.tracks)) {
    setJson(store, view, body.tracks as JsonTrack[], move ?? view.move, scenarioTime || view.scenario_time);
    return;
  }
  void loadBinaryPicture(store, move);
}
