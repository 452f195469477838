// The picture as the team page shows it: the table's filter and sort, computed once per change
// and cached. The map draws the filtered set, which a new sort order does not change.
import type { Store } from '../store';
import type { Picture } from './columns';
import { filterRows, sortRows, type PictureQuery } from './query';

let query: PictureQuery = { filter: '', sort: 'name', dir: 1 };
let filtered: { picture: Picture; filter: string; rows: Uint32Array } | null = null;
let sorted: { picture: Picture; query: PictureQuery; rows: Uint32Array } | null = null;

export function pictureQuery(): PictureQuery {
  return query;
}

export function setPictureQuery(store: Store, next: Partial<PictureQuery>): void {
  query = { ...query, ...next };
  store.bump('pictureView');
}

/** The rows that pass the filter, in row (object id) order: what the map draws. */
export function filteredRows(picture: Picture): Uint32Array {
  if (filtered && filtered.picture === picture && filtered.filter === query.filter) return filtered.rows;
  filtered = { picture, filter: query.filter, rows: filterRows(picture, query.filter) };
  return filtered.rows;
}

/** The rows the table lists, in table order. */
export function visibleRows(picture: Picture): Uint32Array {
  if (sorted && sorted.picture === picture && sorted.query === query) return sorted.rows;
  sorted = { picture, query, rows: sortRows(picture, filteredRows(picture), query) };
  return sorted.rows;
}
