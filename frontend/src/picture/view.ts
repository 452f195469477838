// The picture as the team page shows it: the table's filter and sort (shared with the map, which
// draws the same rows), computed once per change and cached.
import type { Store } from '../store';
import type { Picture } from './columns';
import { queryRows, type PictureQuery } from './query';

let query: PictureQuery = { filter: '', sort: 'name', dir: 1 };
let cached: { picture: Picture; query: PictureQuery; rows: Uint32Array } | null = null;

export function pictureQuery(): PictureQuery {
  return query;
}

export function setPictureQuery(store: Store, next: Partial<PictureQuery>): void {
  query = { ...query, ...next };
  store.bump('pictureView');
}

/** The rows the table lists (and the map draws), in table order. */
export function visibleRows(picture: Picture): Uint32Array {
  if (cached && cached.picture === picture && cached.query === query) return cached.rows;
  cached = { picture, query, rows: queryRows(picture, query) };
  return cached.rows;
}
