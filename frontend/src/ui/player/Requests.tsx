// The team's Requests panel: fallback capacity from a provider, RFIs and requests for assistance,
// and joint statements by consent (draft, amend, consent or refuse; the statements issued).
import { useState } from 'preact/hooks';
import type { Ask, CapacityRequest, DraftStatement, JointStatement, MissionArea, TeamView } from '../../generated/protocol';
import { CommandError, Empty, Panel, playedPartners, useCommand, useTeamView } from '../common';
import { inputsClosed } from './ReleasePickers';

const when = (v: TeamView) => v.phase === 'running' && v.closing_move == null;

function CapacityForm(props: { view: TeamView }) {
  const v = props.view;
  const offers = v.requests.providers.filter((p) => p.nation !== v.nation);
  const [choice, setChoice] = useState(0);
  const [units, setUnits] = useState(1);
  const [moves, setMoves] = useState(1);
  const [reason, setReason] = useState('');
  const [busy, run, error] = useCommand();
  const offer = offers[Math.min(choice, offers.length - 1)];
  if (!offer) return <Empty>No nation offers fallback capacity in this scenario.</Empty>;
  return (
    <form
      class="order-form"
      data-testid="capacity-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const sent = await run({
          type: 'request_capacity',
          provider: offer.nation,
          area: offer.area as MissionArea,
          units,
          moves,
          reason: reason.trim(),
        });
        if (sent) setReason('');
      }}
    >
      <fieldset disabled={busy || !when(v)}>
        <legend>Ask for fallback capacity</legend>
        <label>
          Provider and area{' '}
          <select data-testid="capacity-offer" value={choice} onChange={(e) => setChoice(Number(e.currentTarget.value))}>
            {offers.map((o, i) => (
              <option key={`${o.nation}-${o.area}`} value={i}>
                {o.nation} {o.area} (capacity {o.capacity}, at most {o.max_request} a request)
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Units <input type="number" min={1} max={offer.max_request} data-testid="capacity-units" value={units} onInput={(e) => setUnits(Number(e.currentTarget.value))} />
        </label>{' '}
        <label>
          Moves <input type="number" min={1} data-testid="capacity-moves" value={moves} onInput={(e) => setMoves(Number(e.currentTarget.value))} />
        </label>{' '}
        <label>
          Reason <input type="text" maxLength={4000} data-testid="capacity-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>{' '}
        <button type="submit" class="primary" data-testid="capacity-send">
          Ask {offer.nation}
        </button>
        <CommandError error={error} testId="capacity-error" />
      </fieldset>
    </form>
  );
}

function capacityStatus(r: CapacityRequest): string {
  if (r.status === 'accepted') return `accepted: ${r.granted} of ${r.units} units, moves ${r.from_move}–${r.until_move}`;
  return r.status ?? 'pending';
}

function CapacityRow(props: { request: CapacityRequest; view: TeamView }) {
  const r = props.request;
  const mine = r.provider === props.view.nation;
  const [units, setUnits] = useState(r.units);
  const [reason, setReason] = useState('');
  const [busy, run, error] = useCommand();
  const answer = (accept: boolean) =>
    void run({ type: 'answer_capacity', request_id: r.request_id, accept, units: accept ? units : null, reason: reason.trim() });
  return (
    <li data-testid={`capacity-row-${r.request_id}`} data-status={r.status}>
      <div>
        <strong>{r.requester}</strong> asks <strong>{r.provider}</strong> for {r.units} {r.area} units for {r.moves} move(s)
        {r.reason ? ` — ${r.reason}` : ''} <span class="muted small">(move {r.move})</span>
      </div>
      {mine && r.status === 'pending' ? (
        <div class="inline">
          <label>
            Units <input type="number" min={1} max={r.units} data-testid={`capacity-grant-${r.request_id}`} value={units} onInput={(e) => setUnits(Number(e.currentTarget.value))} />
          </label>{' '}
          <label>
            Reason <input type="text" maxLength={200} data-testid={`capacity-answer-reason-${r.request_id}`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>{' '}
          <button type="button" class="primary" disabled={busy || !when(props.view)} data-testid={`capacity-accept-${r.request_id}`} onClick={() => answer(true)}>
            Accept
          </button>
          <button type="button" disabled={busy || !when(props.view)} data-testid={`capacity-decline-${r.request_id}`} onClick={() => answer(false)}>
            Decline
          </button>
          <CommandError error={error} testId={`capacity-answer-error-${r.request_id}`} />
        </div>
      ) : (
        <div class={`status-text request-${r.status}`}>
          {capacityStatus(r)}
          {r.answer_reason ? ` — ${r.answer_reason}` : ''}
        </div>
      )}
    </li>
  );
}

function AskForm(props: { view: TeamView }) {
  const v = props.view;
  const [kind, setKind] = useState<'rfi' | 'assistance'>('rfi');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [busy, run, error] = useCommand();
  const nations = v.nations.filter((n) => n.id !== v.nation);
  return (
    <form
      class="order-form"
      data-testid="ask-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const sent = await run({ type: 'send_request', kind, to: kind === 'rfi' || !to ? null : to, text: text.trim() });
        if (sent) setText('');
      }}
    >
      <fieldset disabled={busy || !when(v)}>
        <legend>RFI or request for assistance</legend>
        <label>
          Kind{' '}
          <select data-testid="ask-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'rfi' | 'assistance')}>
            <option value="rfi">RFI (to the white cell)</option>
            <option value="assistance">Request for assistance</option>
          </select>
        </label>{' '}
        {kind === 'assistance' && (
          <label>
            To{' '}
            <select data-testid="ask-to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
              <option value="">the white cell</option>
              {nations.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          </label>
        )}{' '}
        <label>
          Text <input type="text" maxLength={4000} data-testid="ask-text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>{' '}
        <button type="submit" class="primary" disabled={!text.trim()} data-testid="ask-send">
          Send
        </button>
        <CommandError error={error} testId="ask-error" />
      </fieldset>
    </form>
  );
}

/** An RFI or request for assistance; `answerable` when this seat answers it (team or white cell). */
export function AskRow(props: { ask: Ask; answerable: boolean; open: boolean }) {
  const a = props.ask;
  const [answer, setAnswer] = useState('');
  const [busy, run, error] = useCommand();
  const reply = (approve: boolean) => void run({ type: 'answer_request', request_id: a.request_id, approve, answer: answer.trim() });
  return (
    <li data-testid={`ask-row-${a.request_id}`} data-status={a.status}>
      <div>
        <strong>{a.requester}</strong> {a.kind === 'rfi' ? 'RFI' : 'asks for assistance'} to <strong>{a.to ?? 'the white cell'}</strong>: {a.text}{' '}
        <span class="muted small">(move {a.move})</span>
      </div>
      {props.answerable && a.status === 'pending' ? (
        <div class="inline">
          <label>
            Answer <input type="text" maxLength={4000} data-testid={`ask-answer-${a.request_id}`} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
          </label>{' '}
          <button type="button" class="primary" disabled={busy || !props.open || !answer.trim()} data-testid={`ask-approve-${a.request_id}`} onClick={() => reply(true)}>
            Approve
          </button>
          <button type="button" disabled={busy || !props.open || !answer.trim()} data-testid={`ask-deny-${a.request_id}`} onClick={() => reply(false)}>
            Deny
          </button>
          <CommandError error={error} testId={`ask-answer-error-${a.request_id}`} />
        </div>
      ) : (
        <div class={`status-text request-${a.status}`}>
          {a.status === 'lapsed' ? 'lapsed: not answered before the move closed' : a.status}
          {a.answer ? ` — ${a.answer}` : ''}
        </div>
      )}
    </li>
  );
}

function DraftForm(props: { view: TeamView }) {
  const v = props.view;
  const [text, setText] = useState('');
  const [named, setNamed] = useState<string[]>([]);
  const [busy, run, error] = useCommand();
  const partners = playedPartners(v, v.nation);
  return (
    <form
      class="order-form"
      data-testid="statement-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await run({ type: 'draft_statement', text: text.trim(), cosigners: named as [string, ...string[]] } as DraftStatement)) {
          setText('');
          setNamed([]);
        }
      }}
    >
      <fieldset disabled={busy || !when(v)}>
        <legend>Draft a joint statement (PUBLIC; issued when every co-signer consents)</legend>
        <textarea maxLength={4000} data-testid="statement-text" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="inline">
          {partners.map((n) => (
            <label key={n.id}>
              <input
                type="checkbox"
                data-testid={`statement-cosigner-${n.id}`}
                checked={named.includes(n.id)}
                onChange={(e) => setNamed(e.currentTarget.checked ? [...named, n.id] : named.filter((x) => x !== n.id))}
              />{' '}
              {n.id}
            </label>
          ))}
        </div>
        <button type="submit" class="primary" disabled={!text.trim() || named.length === 0} data-testid="statement-send">
          Ask for consent
        </button>
        <CommandError error={error} testId="statement-error" />
      </fieldset>
    </form>
  );
}

function StatementRow(props: { statement: JointStatement; view: TeamView }) {
  const s = props.statement;
  const me = props.view.nation;
  const [reason, setReason] = useState('');
  const [text, setText] = useState(s.text);
  const [busy, run, error] = useCommand();
  const open = when(props.view);
  const consents = s.consents ?? [];
  const mayAnswer = s.cosigners.includes(me) && s.status === 'draft' && !consents.includes(me);
  const answer = (consent: boolean) => void run({ type: 'answer_statement', statement_id: s.statement_id, consent, reason: reason.trim() });
  return (
    <li data-testid={`statement-row-${s.statement_id}`} data-status={s.status}>
      <div>
        <strong>{s.drafter}</strong> with {s.cosigners.join(', ')} (v{s.version ?? 1}, {s.marking.releasability}): “{s.text}”
      </div>
      <div class={`status-text statement-${s.status}`}>
        {s.status === 'issued' ? `issued in move ${s.issued_move}` : `${s.status}; consented: ${consents.join(', ') || 'none yet'}`}
        {s.refusal && s.status !== 'issued' ? ` — ${s.refusal.nation} refused v${s.refusal.version}: ${s.refusal.reason}` : ''}
      </div>
      {mayAnswer && (
        <div class="inline">
          <label>
            Reason <input type="text" maxLength={200} data-testid={`statement-reason-${s.statement_id}`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>{' '}
          <button type="button" class="primary" disabled={busy || !open} data-testid={`statement-consent-${s.statement_id}`} onClick={() => answer(true)}>
            Consent
          </button>
          <button type="button" disabled={busy || !open} data-testid={`statement-refuse-${s.statement_id}`} onClick={() => answer(false)}>
            Refuse
          </button>
        </div>
      )}
      {s.drafter === me && s.status !== 'issued' && (
        <div class="inline">
          <input type="text" maxLength={4000} data-testid={`statement-amend-text-${s.statement_id}`} value={text} onInput={(e) => setText(e.currentTarget.value)} />{' '}
          <button
            type="button"
            disabled={busy || !open || !text.trim()}
            data-testid={`statement-amend-${s.statement_id}`}
            onClick={() => void run({ type: 'amend_statement', statement_id: s.statement_id, text: text.trim() })}
          >
            Amend and ask again
          </button>
        </div>
      )}
      <CommandError error={error} testId={`statement-row-error-${s.statement_id}`} />
    </li>
  );
}

export function RequestsPanel() {
  const v = useTeamView('requests', 'meta');
  const me = v.nation;
  const closed = inputsClosed(v);
  const capacity = [...v.requests.capacity].reverse();
  const asks = [...v.requests.asks].reverse();
  const drafts = v.requests.statements.filter((s) => s.status !== 'issued');
  const issued = v.requests.statements.filter((s) => s.status === 'issued');
  return (
    <Panel id="requests" title="Requests">
      {closed && <p class="muted small">{closed}</p>}
      <CapacityForm view={v} />
      <AskForm view={v} />
      <h3>Capacity requests</h3>
      {capacity.length === 0 ? (
        <Empty>No capacity requests.</Empty>
      ) : (
        <ul class="list" data-testid="capacity-list">
          {capacity.map((r) => (
            <CapacityRow key={r.request_id} request={r} view={v} />
          ))}
        </ul>
      )}
      <h3>RFIs and requests for assistance</h3>
      {asks.length === 0 ? (
        <Empty>No RFIs or requests.</Empty>
      ) : (
        <ul class="list" data-testid="ask-list">
          {asks.map((a) => (
            <AskRow key={a.request_id} ask={a} answerable={a.to === me} open={when(v)} />
          ))}
        </ul>
      )}
      <h3>Joint statements</h3>
      <DraftForm view={v} />
      {drafts.length === 0 ? (
        <Empty>No drafts.</Empty>
      ) : (
        <ul class="list" data-testid="statement-drafts">
          {drafts.map((s) => (
            <StatementRow key={`${s.statement_id}-${s.version}`} statement={s} view={v} />
          ))}
        </ul>
      )}
      <h3>Statements</h3>
      {issued.length === 0 ? (
        <Empty>No joint statement issued.</Empty>
      ) : (
        <ul class="list" data-testid="statements-issued">
          {issued.map((s) => (
            <StatementRow key={s.statement_id} statement={s} view={v} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
