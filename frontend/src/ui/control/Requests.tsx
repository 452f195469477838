// The white cell's Requests panel: answer RFIs, requests for assistance addressed to it or to a
// nation not played, and capacity requests to providers not played; every request for the record.
import { useState } from 'preact/hooks';
import type { CapacityRequest, ControlView } from '../../generated/protocol';
import { CommandError, Empty, Panel, useCommand, useControlView } from '../common';
import { AskRow } from '../player/Requests';

function CapacityAnswer(props: { request: CapacityRequest; open: boolean }) {
  const r = props.request;
  const [units, setUnits] = useState(r.units);
  const [reason, setReason] = useState('');
  const [busy, run, error] = useCommand();
  const answer = (accept: boolean) =>
    void run({ type: 'answer_capacity', request_id: r.request_id, accept, units: accept ? units : null, reason: reason.trim() });
  return (
    <li data-testid={`wc-capacity-row-${r.request_id}`} data-status={r.status}>
      <div>
        <strong>{r.requester}</strong> asks <strong>{r.provider}</strong> (not played) for {r.units} {r.area} units for {r.moves} move(s)
        {r.reason ? ` — ${r.reason}` : ''}
      </div>
      {r.status === 'pending' ? (
        <div class="inline">
          <label>
            Units <input type="number" min={1} max={r.units} data-testid={`wc-capacity-grant-${r.request_id}`} value={units} onInput={(e) => setUnits(Number(e.currentTarget.value))} />
          </label>{' '}
          <label>
            Reason <input type="text" maxLength={200} data-testid={`wc-capacity-reason-${r.request_id}`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>{' '}
          <button type="button" class="primary" disabled={busy || !props.open} data-testid={`wc-capacity-accept-${r.request_id}`} onClick={() => answer(true)}>
            Accept
          </button>
          <button type="button" disabled={busy || !props.open} data-testid={`wc-capacity-decline-${r.request_id}`} onClick={() => answer(false)}>
            Decline
          </button>
          <CommandError error={error} testId={`wc-capacity-error-${r.request_id}`} />
        </div>
      ) : (
        <div class={`status-text request-${r.status}`}>
          {r.status} {r.granted ? `(${r.granted} units)` : ''} {r.answer_reason ? `— ${r.answer_reason}` : ''}
        </div>
      )}
    </li>
  );
}

export function WhiteCellRequests() {
  const v: ControlView = useControlView('requests', 'meta');
  const played = new Set(v.nations.filter((n) => n.played).map((n) => n.id));
  const open = v.phase === 'running' && v.closing_move == null;
  const asks = [...v.requests.asks].reverse();
  const ours = v.requests.capacity.filter((r) => r.answered_by === 'white_cell');
  const statements = v.requests.statements;
  return (
    <Panel id="wc-requests" title="Requests">
      <h3>RFIs and requests for assistance</h3>
      {asks.length === 0 ? (
        <Empty>No RFIs or requests.</Empty>
      ) : (
        <ul class="list" data-testid="wc-ask-list">
          {asks.map((a) => (
            <AskRow key={a.request_id} ask={a} answerable={a.to == null || !played.has(a.to)} open={open} />
          ))}
        </ul>
      )}
      <h3>Capacity requests to providers not played</h3>
      {ours.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul class="list" data-testid="wc-capacity-list">
          {ours.map((r) => (
            <CapacityAnswer key={r.request_id} request={r} open={open} />
          ))}
        </ul>
      )}
      <h3>Every capacity request and joint statement</h3>
      <ul class="list small" data-testid="wc-requests-record">
        {v.requests.capacity.map((r) => (
          <li key={r.request_id}>
            {r.requester} → {r.provider}: {r.units} {r.area}, {r.status}
            {r.granted ? ` (${r.granted} lent, moves ${r.from_move}–${r.until_move})` : ''}
          </li>
        ))}
        {statements.map((s) => (
          <li key={s.statement_id}>
            Statement by {s.drafter} with {s.cosigners.join(', ')} v{s.version}: {s.status}
            {s.refusal ? ` (refused by ${s.refusal.nation}: ${s.refusal.reason})` : ''}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
