// Requests between teams folded into a view's `requests` (and an observer's `statements`) as
// domain/request_evolve.py and protocol/views_requests.py build them: capacity requests, joint
// statements by consent, RFIs and requests for assistance. A team folds what it takes part in and
// the statements issued to it; control folds them all.
import { upsert } from './cards';
import type { Ask, CapacityRequest, JointStatement, ProjectedEvent, RequestsView } from './generated/protocol';

/** Event types of requests (request_events.REQUEST_EVENTS). */
export const REQUEST_EVENT_TYPES = [
  'capacity_requested',
  'capacity_answered',
  'statement_drafted',
  'statement_amended',
  'statement_answered',
  'statement_issued',
  'request_sent',
  'request_answered',
  'request_lapsed',
] as const;

type Body = Record<string, unknown>;
const str = (v: unknown): string => String(v ?? '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** An issued statement as a nation that was not party to it knows it (no refusal). */
export function issuedStatement(b: Body, move: number): JointStatement {
  const cosigners = list(b.cosigners);
  return {
    statement_id: str(b.statement_id),
    drafter: str(b.drafter),
    cosigners,
    text: str(b.text),
    marking: b.marking as JointStatement['marking'],
    version: Number(b.version),
    consents: [...cosigners],
    status: 'issued',
    refusal: null,
    issued_move: move,
  };
}

/** Apply one request event to `requests` (`me`: the team's nation, null for control); false when
 *  it names a request this view does not hold (the caller resyncs). */
export function applyRequestEvent(requests: RequestsView, event: ProjectedEvent, me: string | null): boolean {
  const b = event.body as Body;
  const move = event.move;
  const statement = (id: unknown) => requests.statements.find((s) => s.statement_id === id);
  switch (event.type) {
    case 'capacity_requested': {
      const request: CapacityRequest = {
        request_id: str(b.request_id),
        requester: str(b.requester),
        provider: str(b.provider),
        area: b.area as CapacityRequest['area'],
        units: Number(b.units),
        moves: Number(b.moves),
        reason: str(b.reason),
        move,
        answered_by: b.answered_by as CapacityRequest['answered_by'],
        status: 'pending',
        granted: 0,
        from_move: null,
        until_move: null,
        answer_reason: '',
      };
      upsert(requests.capacity, request, (r) => r.request_id === request.request_id);
      return true;
    }
    case 'capacity_answered': {
      const request = requests.capacity.find((r) => r.request_id === b.request_id);
      if (!request) return false;
      const units = Number(b.units);
      request.status = units > 0 ? 'accepted' : 'declined';
      request.granted = units;
      request.from_move = units > 0 ? Number(b.from_move) : null;
      request.until_move = units > 0 ? Number(b.until_move) : null;
      request.answer_reason = str(b.reason);
      return true;
    }
    case 'statement_drafted': {
      const drafted: JointStatement = {
        statement_id: str(b.statement_id),
        drafter: str(b.drafter),
        cosigners: list(b.cosigners),
        text: str(b.text),
        marking: b.marking as JointStatement['marking'],
        version: 1,
        consents: [],
        status: 'draft',
        refusal: null,
        issued_move: null,
      };
      upsert(requests.statements, drafted, (s) => s.statement_id === drafted.statement_id);
      return true;
    }
    case 'statement_amended': {
      const held = statement(b.statement_id);
      if (!held) return false;
      held.text = str(b.text);
      held.cosigners = list(b.cosigners);
      held.version = Number(b.version);
      held.consents = [];
      held.status = 'draft';
      if (me !== null && me !== held.drafter && !held.cosigners.includes(me)) {
        requests.statements = requests.statements.filter((s) => s !== held); // named no more
      }
      return true;
    }
    case 'statement_answered': {
      const held = statement(b.statement_id);
      if (!held) return false;
      if (b.consent) held.consents = [...(held.consents ?? []), str(b.nation)];
      else {
        held.status = 'returned';
        held.consents = [];
        held.refusal = { nation: str(b.nation), reason: str(b.reason), version: Number(b.version) };
      }
      return true;
    }
    case 'statement_issued': {
      const held = statement(b.statement_id);
      if (!held) {
        requests.statements.push(issuedStatement(b, move));
        return true;
      }
      held.status = 'issued';
      held.issued_move = move;
      return true;
    }
    case 'request_sent': {
      const ask: Ask = {
        request_id: str(b.request_id),
        kind: b.kind as Ask['kind'],
        requester: str(b.requester),
        to: (b.to as string | null | undefined) ?? null,
        text: str(b.text),
        move,
        status: 'pending',
        answer: '',
        answered_by: null,
      };
      upsert(requests.asks, ask, (a) => a.request_id === ask.request_id);
      return true;
    }
    case 'request_answered': {
      const ask = requests.asks.find((a) => a.request_id === b.request_id);
      if (!ask) return false;
      ask.status = b.approved ? 'approved' : 'denied';
      ask.answer = str(b.answer);
      ask.answered_by = b.answered_by as Ask['answered_by'];
      return true;
    }
    case 'request_lapsed': {
      const held =
        b.kind === 'capacity'
          ? requests.capacity.find((r) => r.request_id === b.request_id)
          : requests.asks.find((a) => a.request_id === b.request_id);
      if (!held) return false;
      held.status = 'lapsed';
      return true;
    }
    default:
      return false;
  }
}
