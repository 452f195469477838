// Where pictures come from: the binary resource `wargame.picture/1` a view names (a team's picture
// notice `url`; control's `truth_url` and each nation's picture `url`), fetched with the seat token
// and decoded into columns; or the JSON rows of an older log's picture_updated. Failures say why.
import { fetchPicture } from '../api';
import type { ProjectedEvent } from '../generated/protocol';
import type { PictureState, Store } from '../store';
import type { ControlView, PictureNotice, TeamView, View } from '../types';
import { isControlView, isTeamView } from '../types';
import { labelAt, rowOf, type Picture, type PictureKind } from './columns';
import { decodePicture } from './decode';
import { pictureFromJson, type JsonTrack, type ObjectCard } from './fromJson';

/** A slot of a store a picture loads into: the team's own picture, or control's panel; `wanted`
 *  is the URL each slot of that store holds or is loading (a newer request supersedes an older). */
interface Slot {
  set(picture: Picture | null, state: PictureState): void;
  state(state: PictureState): void;
  wanted: Map<string, string>;
}

const wantedBy = new WeakMap<Store, Map<string, string>>();

function wantedOf(store: Store): Map<string, string> {
  let wanted = wantedBy.get(store);
  if (!wanted) {
    wanted = new Map();
    wantedBy.set(store, wanted);
  }
  return wanted;
}

const slots = {
  team: (store: Store): Slot => ({
    set: (p, s) => store.setPicture(p, s),
    state: (s) => store.setPictureState(s),
    wanted: wantedOf(store),
  }),
  control: (store: Store): Slot => ({
    set: (p, s) => store.setTruth(p, s),
    state: (s) => store.setTruthState(s),
    wanted: wantedOf(store),
  }),
};

/** Forget what was loaded (another exercise behind the same link: its URLs name other pictures). */
export function forgetPictures(store: Store): void {
  wantedOf(store).clear();
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Delays before fetching a picture again after a failure (a dropped connection, a server busy
 *  adjudicating); after the last the error stays on screen until the view names a picture again. */
const RETRY_MS = [1_000, 3_000, 8_000];

/** Fetch and decode the picture at `url` into a slot (nothing to do when it holds it already or
 *  is fetching it). A failure is shown at once and retried while the view still names that URL. */
export async function loadPicture(slot: Slot, key: string, url: string, move: number, kind: PictureKind, attempt = 0): Promise<void> {
  const wanted = slot.wanted;
  if (attempt === 0 && wanted.get(key) === url) return; // held, or on its way (each nation's picture_updated names it)
  wanted.set(key, url);
  if (attempt === 0) slot.state({ status: 'loading', move });
  let picture: Picture;
  try {
    picture = decodePicture(await fetchPicture(url));
    if (picture.kind !== kind) throw new Error(`the server sent a ${picture.kind} resource, not a ${kind}`);
  } catch (err) {
    if (wanted.get(key) !== url) return;
    const delay = RETRY_MS[attempt];
    const what = `The ${kind === 'truth' ? 'ground truth' : 'picture'} after move ${move} failed to load: ${describe(err)}`;
    slot.state({ status: 'error', message: delay === undefined ? what : `${what} (trying again in ${delay / 1000} s)` });
    if (delay === undefined) wanted.delete(key);
    else setTimeout(() => wanted.get(key) === url && void loadPicture(slot, key, url, move, kind, attempt + 1), delay);
    return;
  }
  if (wanted.get(key) !== url) return;
  slot.set(picture, { status: 'ready' });
}

function teamPicture(store: Store, notice: PictureNotice | null): void {
  if (!notice) {
    wantedOf(store).delete('team');
    store.setPicture(null, { status: 'none' });
    return;
  }
  void loadPicture(slots.team(store), 'team', notice.url, notice.move, 'picture');
}

/** A replay's team picture: load the resource at `url` (the replay names it) into the store's
 *  own-picture slot, or with no URL show none. */
export function showPicture(store: Store, url: string | null, move: number): void {
  if (!url) {
    wantedOf(store).delete('team');
    store.setPicture(null, { status: 'none' });
    return;
  }
  void loadPicture(slots.team(store), 'team', url, move, 'picture');
}

/** The picture control's panel shows now: the truth, or the chosen nation's (its URL and move). */
export function controlPictureRef(view: ControlView, source: string): { url: string; move: number } | null {
  if (source === 'truth') {
    const url = view.truth_url;
    if (!url) return null;
    const move = Number(new URL(url, 'http://x').searchParams.get('move'));
    return { url, move };
  }
  const notice = view.nations_state[source]?.picture;
  return notice ? { url: notice.url, move: notice.move } : null;
}

/** Load the picture control's panel shows (`store.truthSource`), if the view names one. */
export function loadControlPicture(store: Store, view: ControlView): void {
  const ref = controlPictureRef(view, store.truthSource);
  if (!ref) {
    wantedOf(store).delete('control');
    store.setTruth(null, { status: 'none' });
    return;
  }
  void loadPicture(slots.control(store), 'control', ref.url, ref.move, store.truthSource === 'truth' ? 'truth' : 'picture');
}

/** A snapshot arrived: load the picture it names (a team's own; control's chosen one). */
export function pictureFromSnapshot(store: Store, view: View): void {
  if (isTeamView(view)) teamPicture(store, view.picture);
  else if (isControlView(view)) loadControlPicture(store, view);
}

/** A `picture_updated` event (already applied to the view): load what changed. */
export function pictureFromEvent(store: Store, view: View, event: ProjectedEvent): void {
  const body = event.body;
  if (isTeamView(view)) {
    if (Array.isArray(body.tracks)) {
      const move = typeof body.move === 'number' ? body.move : view.move;
      setRows(store, view, body.tracks as JsonTrack[], move, event.scenario_time || view.scenario_time);
    } else if (body.nation === view.nation) {
      teamPicture(store, view.picture);
    }
  } else if (isControlView(view) && (store.truthSource === 'truth' || store.truthSource === body.nation)) {
    loadControlPicture(store, view);
  }
}

/** Cards for bare event tracks: the previous picture's, then our assets'. */
function cardLookup(store: Store, view: TeamView): (id: string) => ObjectCard | undefined {
  const previous = store.picture;
  const assets = new Map(view.assets.map((a) => [a.id, a] as const));
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
    return assets.get(id);
  };
}

/** An older log's picture_updated carries the rows themselves. */
function setRows(store: Store, view: TeamView, tracks: JsonTrack[], move: number, epoch: string): void {
  wantedOf(store).set('team', `rows:${move}`);
  try {
    const picture = pictureFromJson(tracks, { nation: view.nation, move, epoch, card: cardLookup(store, view) });
    store.setPicture(picture, { status: 'ready' });
  } catch (err) {
    store.setPictureState({ status: 'error', message: `The picture could not be read: ${describe(err)}` });
  }
}
