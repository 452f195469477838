import type { ComponentChildren } from 'preact';
import type { ControlSensor, View } from '../../types';
import { useView, Empty, Panel, StatusBadge } from '../common';

/** A sensor whose status the view holds (control's ground truth, or one of our own). */
export type StatusSensor = Omit<ControlSensor, 'status_until_move'> & { status_until_move: number | null };

/** The sensors whose status the view holds: every sensor (control) or our own (team). */
function statusSensors(view: View): StatusSensor[] {
  const sensors =
    view.kind === 'control'
      ? view.sensors
      : view.kind === 'team'
        ? view.sensors.filter((s) => s.owner === view.nation).map((s) => ({ ...s, status: s.status ?? 'nominal' }))
        : [];
  return sensors
    .map((s) => ({ ...s, status_until_move: s.status_until_move ?? null }))
    .sort((a, b) => a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name));
}

/**
 * Our sensors (player) or every sensor in ground truth (control, with owner and cause) and their
 * status; `action` fills a last column per sensor (the white cell's Restore / Disclose).
 */
export function SensorsTable(props: {
  title?: string;
  control?: boolean;
  action?: (sensor: StatusSensor) => ComponentChildren;
}) {
  const control = props.control ?? false;
  const view = useView('assets', 'meta');
  const sensors = statusSensors(view);
  return (
    <Panel id="sensors" title={props.title ?? 'Our sensors'} wide={control}>
      {sensors.length === 0 ? (
        <Empty>No sensors.</Empty>
      ) : (
        <div class={control ? 'scroll tall' : 'scroll'}>
          <table class="data" data-testid="sensors-table">
            <thead>
              <tr>
                <th scope="col">Sensor</th>
                {control && <th scope="col">Owner</th>}
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Until move
                </th>
                {control && <th scope="col">Cause</th>}
                {props.action && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {sensors.map((s) => (
                <tr key={s.id} data-testid={`sensor-row-${s.id}`} data-status={s.status} class={`row-${s.status}`}>
                  <th scope="row">
                    {s.name} <span class="muted small">{s.id}</span>
                  </th>
                  {control && <td>{s.owner}</td>}
                  <td>{s.model.replace(/_/g, ' ')}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td class="num">{s.status_until_move ?? '—'}</td>
                  {control && <td>{s.cause ?? ''}</td>}
                  {props.action && <td>{props.action(s)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
