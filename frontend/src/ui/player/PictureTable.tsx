// Our SSA picture: a virtualized table over the picture's columns, sorted and filtered without
// row objects; the selected track is shared with the map and the search box.
import { useMemo } from 'preact/hooks';
import { column, contributorsAt, countBySource, labelAt, rowOf, valueAt, type Picture } from '../../picture/columns';
import { missionText, type SortKey } from '../../picture/query';
import { pictureQuery, setPictureQuery, visibleRows } from '../../picture/view';
import { isTeamView } from '../../types';
import { Empty, fmtNum, Panel, SourceBadge, useSlices, useStore } from '../common';
import { PictureExport } from '../PictureExport';
import { nextPosition, VirtualTable } from '../VirtualTable';

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; width: string }[] = [
  { key: 'name', label: 'Object', width: '22%' },
  { key: 'owner', label: 'Owner', width: '7%' },
  { key: 'mission', label: 'Mission', width: '11%' },
  { key: 'regime', label: 'Regime', width: '7%' },
  { key: 'sigma_km', label: 'σ km', numeric: true, width: '8%' },
  { key: 'source', label: 'Source', width: '9%' },
  { key: 'contributors', label: 'Contributors', width: '12%' },
  { key: 'lat_deg', label: 'Lat °', numeric: true, width: '8%' },
  { key: 'lon_deg', label: 'Lon °', numeric: true, width: '8%' },
  { key: 'alt_km', label: 'Alt km', numeric: true, width: '8%' },
];

export const ROW_HEIGHT = 26;
const VIEWPORT = 448;

function rowDomId(row: number): string {
  return `track-row-dom-${row}`;
}

function TrackRow(props: { picture: Picture; row: number; position: number; selected: boolean }) {
  const { picture: p, row: i } = props;
  const store = useStore();
  const id = p.objectId[i] ?? '';
  const name = p.name[i] ?? id;
  const source = labelAt(p, 'source', i);
  return (
    <tr
      id={rowDomId(i)}
      data-testid={`track-row-${id}`}
      data-source={source}
      aria-rowindex={props.position + 2}
      aria-selected={props.selected ? 'true' : 'false'}
      class={props.selected ? 'selected' : ''}
      onClick={() => store.select(id)}
    >
      <th scope="row" title={name !== id ? `${name} (${id})` : id}>
        {name}
        {name !== id && <span class="muted small"> {id}</span>}
      </th>
      <td>{labelAt(p, 'owner', i) || '—'}</td>
      <td>{missionText(p, i) || '—'}</td>
      <td>{labelAt(p, 'regime', i)}</td>
      <td class="num">{fmtNum(column(p, 'sigma_km').values[i], 2)}</td>
      <td>
        <SourceBadge source={source} />
      </td>
      <td>{contributorsAt(p, i).join(', ') || '—'}</td>
      <td class="num">{fmtNum(valueAt(column(p, 'lat'), i), 1)}</td>
      <td class="num">{fmtNum(valueAt(column(p, 'lon'), i), 1)}</td>
      <td class="num">{fmtNum(valueAt(column(p, 'alt_km'), i), 0)}</td>
    </tr>
  );
}

function PictureLoadState() {
  const { pictureState } = useSlices('picture');
  if (pictureState.status === 'loading') {
    return (
      <p class="muted" role="status" data-testid="picture-loading">
        Loading the picture{pictureState.move >= 0 ? ` after move ${pictureState.move}` : ''}…
      </p>
    );
  }
  if (pictureState.status === 'error') {
    return (
      <p class="form-error" role="alert" data-testid="picture-error">
        {pictureState.message}
      </p>
    );
  }
  return null;
}

export function PictureTable() {
  const s = useSlices('picture', 'selection', 'pictureView', 'pictureNotice');
  const store = s;
  const picture = s.picture;
  const notice = s.view && isTeamView(s.view) ? s.view.picture : null;
  const query = pictureQuery(store);
  const rows = picture ? visibleRows(store, picture) : new Uint32Array(0);
  const counts = useMemo(() => (picture ? countBySource(picture) : []), [picture]);
  const selectedRow = picture && s.selected ? rowOf(picture, s.selected) : -1;
  // Where the selection sits in the table order (a scan of the order array, not of row objects).
  const selectedPosition = useMemo(() => (selectedRow < 0 ? -1 : rows.indexOf(selectedRow)), [rows, selectedRow]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (!picture) return;
    if (e.key === 'Escape') {
      store.select('');
      return;
    }
    const next = nextPosition(e, selectedPosition, rows.length, Math.floor(VIEWPORT / ROW_HEIGHT) - 2);
    if (next === null) return;
    e.preventDefault();
    store.select(picture.objectId[rows[next] ?? 0] ?? '');
  };

  return (
    <Panel id="picture" title="SSA picture" wide>
      <div class="toolbar">
        <label>
          Filter{' '}
          <input
            type="search"
            data-testid="track-filter"
            value={query.filter}
            onInput={(e) => setPictureQuery(store, { filter: e.currentTarget.value })}
            placeholder="id, name, owner, regime…"
          />
        </label>
        <span
          class="muted"
          data-testid="track-count"
          data-total={picture?.rows ?? 0}
          data-shown={rows.length}
          data-move={picture?.move ?? ''}
          data-held={notice?.held ?? ''}
        >
          {picture ? `after move ${picture.move}: ` : ''}
          {picture?.rows ?? 0} tracks
          {counts.map(({ source, count }) => (
            <span key={source} data-source-count={source} data-count={count}>
              {' · '}
              <SourceBadge source={source} /> {count}
            </span>
          ))}
          {picture && rows.length !== picture.rows && <span> · {rows.length} match the filter</span>}
        </span>
        {picture && picture.rows > 0 && <PictureExport move={picture.move} testId="picture-export" />}
      </div>
      <PictureLoadState />
      {!picture || picture.rows === 0 ? (
        <Empty>No tracks yet: the picture is built when a move is adjudicated.</Empty>
      ) : (
        <VirtualTable
          count={rows.length}
          rowHeight={ROW_HEIGHT}
          height={VIEWPORT}
          testId="picture-table"
          label="SSA picture: arrow keys move the selection"
          role="grid"
          tableClass="picture"
          scrollTo={selectedPosition}
          scrollKey={`${s.selected}|${s.versions.pictureView}`}
          onKeyDown={onKeyDown}
          activeDescendant={selectedPosition >= 0 ? rowDomId(selectedRow) : undefined}
          colgroup={
            <colgroup>
              {COLUMNS.map((c) => (
                <col key={c.key} style={{ width: c.width }} />
              ))}
            </colgroup>
          }
          head={
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  class={c.numeric ? 'num' : ''}
                  aria-sort={query.sort === c.key ? (query.dir === 1 ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    class="sort"
                    data-testid={`sort-${c.key}`}
                    onClick={() => setPictureQuery(store, { sort: c.key, dir: query.sort === c.key ? (query.dir === 1 ? -1 : 1) : 1 })}
                  >
                    {c.label}
                    {query.sort === c.key ? (query.dir === 1 ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          }
          empty={
            <tr>
              <td colSpan={COLUMNS.length} class="empty">
                No track matches “{query.filter}”.
              </td>
            </tr>
          }
          renderRow={(position) => {
            const row = rows[position] ?? 0;
            return <TrackRow key={row} picture={picture} row={row} position={position} selected={row === selectedRow} />;
          }}
        />
      )}
    </Panel>
  );
}
