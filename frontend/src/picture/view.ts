// The picture as a team page shows it: the table's filter and sort, computed once per change
// and cached, per store (the page's own, a replay's). The map draws the filtered set, which a
// new sort order does not change.
import type { Store } from '../store';
import type { Picture } from './columns';
import { filterRows, sortRows, type PictureQuery } from './query';

interface QueryState {
  query: PictureQuery;
  filtered: { picture: Picture; filter: string; rows: Uint32Array } | null;
  sorted: { picture: Picture; query: PictureQuery; rows: Uint32Array } | null;
}

const states = new WeakMap<Store, QueryState>();

function stateOf(store: Store): QueryState {
  let state = states.get(store);
  if (!state) {
    state = { query: { filter: '', sort: 'name', dir: 1 }, filtered: null, sorted: null };
    states.set(store, state);
  }
  return state;
}

export function pictureQuery(store: Store): PictureQuery {
  return stateOf(store).query;
}

export function setPictureQuery(store: Store, next: Partial<PictureQuery>): void {
  const state = stateOf(store);
  state.query = { ...state.query, ...next };
  store.bump('pictureView');
}

/** The rows that pass the filter, in row (object id) order: what the map draws. */
export function filteredRows(store: Store, picture: Picture): Uint32Array {
  const state = stateOf(store);
  const { filtered, query } = state;
  if (filtered && filtered.picture === picture && filtered.filter === query.filter) return filtered.rows;
  state.filtered = { picture, filter: query.filter, rows: filterRows(picture, query.filter) };
  return state.filtered.rows;
}

/** The rows the table lists, in table order. */
export function visibleRows(store: Store, picture: Picture): Uint32Array {
  const state = stateOf(store);
  const { sorted, query } = state;
  if (sorted && sorted.picture === picture && sorted.query === query) return sorted.rows;
  state.sorted = { picture, query, rows: sortRows(picture, filteredRows(store, picture), query) };
  return state.sorted.rows;
}
