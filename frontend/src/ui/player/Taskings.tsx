import { useState } from 'preact/hooks';
import type { TaskingRequest, TeamView } from '../../types';
import { CommandError, Empty, objectName, Panel, useCommand, useTeamView } from '../common';

function Incoming(props: { request: TaskingRequest; view: TeamView; open: boolean }) {
  const r = props.request;
  const [reason, setReason] = useState('');
  const [busy, run, error] = useCommand();
  const sensor = props.view.sensors.find((s) => s.id === r.sensor_id)?.name ?? r.sensor_id;
  const answer = (accept: boolean) => void run({ type: 'answer_tasking', request_id: r.request_id, accept, reason: reason.trim() });
  const pending = r.status === 'pending';
  return (
    <li data-testid={`tasking-row-${r.request_id}`} data-status={r.status}>
      <div>
        <strong>{r.requester}</strong> asks us to task <strong>{sensor}</strong> on{' '}
        <strong>{objectName(props.view, r.object_id)}</strong> <span class="muted small">({r.request_id}, move {r.move})</span>
      </div>
      {pending ? (
        <div class="inline">
          <label>
            Reason{' '}
            <input
              type="text"
              maxLength={4000}
              data-testid={`tasking-reason-${r.request_id}`}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <button type="button" class="primary" disabled={busy || !props.open} data-testid={`tasking-accept-${r.request_id}`} onClick={() => answer(true)}>
            Accept
          </button>
          <button type="button" disabled={busy || !props.open} data-testid={`tasking-decline-${r.request_id}`} onClick={() => answer(false)}>
            Decline
          </button>
          <CommandError error={error} testId={`tasking-error-${r.request_id}`} />
        </div>
      ) : (
        <div class={`status-text tasking-${r.status}`}>
          {r.status}
          {r.answer_reason ? ` — ${r.answer_reason}` : ''}
        </div>
      )}
    </li>
  );
}

export function TaskingsPanel() {
  const v = useTeamView('taskings', 'meta', 'picture');
  const me = v.nation;
  const all = [...v.taskings].sort((a, b) => b.move - a.move);
  const incoming = all.filter((t) => t.partner === me);
  const outgoing = all.filter((t) => t.requester === me);
  return (
    <Panel id="taskings" title="Tasking requests">
      <h3>To us</h3>
      {incoming.length === 0 ? (
        <Empty>No requests from partners.</Empty>
      ) : (
        <ul class="list" data-testid="taskings-incoming">
          {incoming.map((r) => (
            <Incoming key={r.request_id} request={r} view={v} open={r.move === v.move && v.phase !== 'ended'} />
          ))}
        </ul>
      )}
      <h3>From us</h3>
      {outgoing.length === 0 ? (
        <Empty>We have not asked any partner.</Empty>
      ) : (
        <ul class="list" data-testid="taskings-outgoing">
          {outgoing.map((r) => (
            <li key={r.request_id} data-testid={`tasking-out-${r.request_id}`} data-status={r.status}>
              <span>
                {r.partner}: {r.sensor_id} on {objectName(v, r.object_id)} —{' '}
                <span class={`status-text tasking-${r.status}`}>{r.status}</span>
                {r.answer_reason ? ` (${r.answer_reason})` : ''}
              </span>
              <span class="muted small">
                {r.request_id} · move {r.move}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
