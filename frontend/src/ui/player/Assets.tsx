import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ControlAsset, OwnAsset } from '../../types';
import { Empty, fmtNum, Panel, StatusBadge, useView } from '../common';
import { VirtualTable } from '../VirtualTable';

type Asset = OwnAsset | ControlAsset;

const sortedCache = new WeakMap<object, { length: number; sorted: Asset[] }>();

/** Assets by owner (unowned last), then name; cached per list (ground truth may hold 50,000). */
function sortedAssets(list: Asset[]): Asset[] {
  const known = sortedCache.get(list);
  if (known && known.length === list.length) return known.sorted;
  const key = (a: Asset) => `${a.owner ?? '\uffff'}\u0000${(a.name ?? a.id).toLowerCase()}`;
  const keyed = list.map((a) => [key(a), a] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const sorted = keyed.map((x) => x[1]);
  sortedCache.set(list, { length: list.length, sorted });
  return sorted;
}

function matches(a: Asset, q: string): boolean {
  return (
    a.id.toLowerCase().includes(q) ||
    (a.name ?? '').toLowerCase().includes(q) ||
    (a.owner ?? '').toLowerCase().includes(q) ||
    a.status.includes(q) ||
    (a.mission ?? a.kind ?? '').toLowerCase().includes(q)
  );
}

/**
 * Our assets (player) or every object's ground truth (control, with owner and cause; the whole
 * catalog, so virtualized and filterable); `action` fills a last column per asset (Restore).
 */
export function AssetsTable(props: { title?: string; control?: boolean; action?: (asset: Asset) => ComponentChildren }) {
  const view = useView('assets', 'meta');
  const [filter, setFilter] = useState('');
  const all = sortedAssets(view.kind === 'observer' ? [] : view.assets);
  const q = filter.trim().toLowerCase();
  const assets = q ? all.filter((a) => matches(a, q)) : all;
  const control = props.control ?? false;
  const columns = 5 + (control ? 2 : 0) + (props.action ? 1 : 0);
  return (
    <Panel id="assets" title={props.title ?? 'Our assets'} wide={control}>
      {control && (
        <div class="toolbar">
          <label>
            Filter{' '}
            <input
              type="search"
              data-testid="assets-filter"
              value={filter}
              placeholder="id, name, owner, status…"
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
          </label>
          <span class="muted small" data-testid="assets-count">
            {all.length} objects
            {q ? ` · ${assets.length} match` : ''} · not nominal: {all.filter((a) => a.status !== 'nominal').length}
          </span>
        </div>
      )}
      {all.length === 0 ? (
        <Empty>No assets.</Empty>
      ) : (
        <VirtualTable
          count={assets.length}
          rowHeight={control ? 34 : 26}
          height={control ? 448 : 320}
          renderAllBelow={80}
          testId="assets-table"
          label={control ? 'Ground truth: every object and its status' : 'Our assets'}
          tableClass={control ? 'assets control' : 'assets'}
          head={
            <tr>
              <th scope="col">Asset</th>
              {control && <th scope="col">Owner</th>}
              <th scope="col">Mission</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Until move
              </th>
              <th scope="col" class="num">
                Propellant Δv m/s
              </th>
              <th scope="col">Anti-jam</th>
              {control && <th scope="col">Cause</th>}
              {props.action && <th scope="col">Action</th>}
            </tr>
          }
          empty={
            <tr>
              <td colSpan={columns} class="empty">
                No object matches “{filter}”.
              </td>
            </tr>
          }
          renderRow={(i) => {
            const a = assets[i]!;
            return (
              <tr key={a.id} data-testid={`asset-row-${a.id}`} data-status={a.status} class={`row-${a.status}`}>
                <th scope="row" title={`${a.name} (${a.id})`}>
                  {a.name} <span class="muted small">{a.id}</span>
                </th>
                {control && <td>{a.owner ?? '—'}</td>}
                <td>{a.mission ?? a.kind}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td class="num">{a.status_until_move ?? '—'}</td>
                <td class="num">{fmtNum(a.propellant_dv_m_per_s, 1)}</td>
                <td data-testid={`asset-antijam-${a.id}`}>{a.anti_jam ? 'on' : 'off'}</td>
                {control && <td>{'cause' in a ? (a.cause ?? '') : ''}</td>}
                {props.action && <td class="actions">{props.action(a)}</td>}
              </tr>
            );
          }}
        />
      )}
    </Panel>
  );
}
