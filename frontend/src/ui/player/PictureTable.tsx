import { useState } from 'preact/hooks';
import type { PictureRow, View } from '../../types';
import { Empty, fmtNum, Panel, SourceBadge } from '../common';

type Key = 'name' | 'owner' | 'mission' | 'regime' | 'sigma_km' | 'source' | 'contributors' | 'lat_deg' | 'lon_deg' | 'alt_km';

const COLUMNS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Object' },
  { key: 'owner', label: 'Owner' },
  { key: 'mission', label: 'Mission' },
  { key: 'regime', label: 'Regime' },
  { key: 'sigma_km', label: 'σ km', numeric: true },
  { key: 'source', label: 'Source' },
  { key: 'contributors', label: 'Contributors' },
  { key: 'lat_deg', label: 'Lat °', numeric: true },
  { key: 'lon_deg', label: 'Lon °', numeric: true },
  { key: 'alt_km', label: 'Alt km', numeric: true },
];

function sortValue(row: PictureRow, key: Key): string | number {
  switch (key) {
    case 'name':
      return row.name ?? row.object_id;
    case 'contributors':
      return row.contributors.join(',');
    case 'sigma_km':
    case 'lat_deg':
    case 'lon_deg':
    case 'alt_km':
      return row[key];
    default:
      return row[key] ?? '';
  }
}

export function PictureTable(props: { view: View }) {
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  const [filter, setFilter] = useState('');
  const rows = props.view.picture ?? [];
  const q = filter.trim().toLowerCase();
  const shown = rows
    .filter(
      (r) =>
        !q ||
        [r.object_id, r.name, r.owner, r.mission, r.regime, r.source].some((v) => (v ?? '').toLowerCase().includes(q)),
    )
    .sort((a, b) => {
      const va = sortValue(a, sort.key);
      const vb = sortValue(b, sort.key);
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c * sort.dir || a.object_id.localeCompare(b.object_id);
    });
  const counts = rows.reduce<Record<string, number>>((acc, r) => ((acc[r.source] = (acc[r.source] ?? 0) + 1), acc), {});
  return (
    <Panel id="picture" title="SSA picture" wide>
      <div class="toolbar">
        <label>
          Filter{' '}
          <input
            type="search"
            data-testid="track-filter"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
            placeholder="name, owner, regime…"
          />
        </label>
        <span class="muted" data-testid="track-count">
          {rows.length} tracks
          {Object.entries(counts).map(([s, n]) => (
            <span key={s}>
              {' · '}
              <SourceBadge source={s} /> {n}
            </span>
          ))}
        </span>
      </div>
      {rows.length === 0 ? (
        <Empty>No tracks yet: the picture is built when a move is adjudicated.</Empty>
      ) : (
        <div class="scroll tall">
          <table class="data" data-testid="picture-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    class={c.numeric ? 'num' : ''}
                    aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      class="sort"
                      data-testid={`sort-${c.key}`}
                      onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (s.dir === 1 ? -1 : 1) : 1 }))}
                    >
                      {c.label}
                      {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.object_id} data-testid={`track-row-${r.object_id}`} data-source={r.source}>
                  <th scope="row">
                    {r.name ?? r.object_id}
                    {r.name && r.name !== r.object_id && <span class="muted small"> {r.object_id}</span>}
                  </th>
                  <td>{r.owner ?? '—'}</td>
                  <td>{r.mission ?? (r.kind && r.kind !== 'payload' ? r.kind : '—')}</td>
                  <td>{r.regime}</td>
                  <td class="num">{fmtNum(r.sigma_km, 2)}</td>
                  <td>
                    <SourceBadge source={r.source} />
                  </td>
                  <td>{r.contributors.join(', ') || '—'}</td>
                  <td class="num">{fmtNum(r.lat_deg, 1)}</td>
                  <td class="num">{fmtNum(r.lon_deg, 1)}</td>
                  <td class="num">{fmtNum(r.alt_km, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
