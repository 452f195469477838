import type { ComponentChildren } from 'preact';
import type { ControlAsset, OwnAsset } from '../../types';
import { useView, Empty, fmtNum, Panel, StatusBadge } from '../common';

/**
 * Our assets (player) or every asset in ground truth (control, with owner and cause); `action`
 * fills a last column per asset (the white cell's Restore).
 */
export function AssetsTable(props: {
  title?: string;
  control?: boolean;
  action?: (asset: OwnAsset | ControlAsset) => ComponentChildren;
}) {
  const view = useView('assets', 'meta');
  const assets = [...(view.assets ?? [])].sort(
    (a, b) => (a.owner ?? '~').localeCompare(b.owner ?? '~') || a.name.localeCompare(b.name),
  );
  const control = props.control ?? false;
  return (
    <Panel id="assets" title={props.title ?? 'Our assets'} wide={control}>
      {assets.length === 0 ? (
        <Empty>No assets.</Empty>
      ) : (
        <div class={control ? 'scroll tall' : 'scroll'}>
          <table class="data" data-testid="assets-table">
            <thead>
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
            </thead>
            <tbody>
              {assets.map((a: OwnAsset | ControlAsset) => (
                <tr key={a.id} data-testid={`asset-row-${a.id}`} data-status={a.status} class={`row-${a.status}`}>
                  <th scope="row">
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
                  {props.action && <td>{props.action(a)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
