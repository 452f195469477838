// The request fold's edge cases the recorded game does not reach, and the feed's sentences.
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent, RequestsView } from './generated/protocol';
import { applyRequestEvent } from './requests';
import { describeRequest } from './ui/describe';

const event = (type: string, body: Record<string, unknown>, move = 1): ProjectedEvent =>
  ({ at: '', scenario_time: '', move, actor: 'team:USA', type, body }) as unknown as ProjectedEvent;
const empty = (): RequestsView => ({ asks: [], capacity: [], providers: [], statements: [] });
const draft = { statement_id: 'JS-1', drafter: 'USA', cosigners: ['GBR', 'JPN'], text: 'v1', marking: { releasability: 'PUBLIC', releasable_to: [] } };

describe('the request fold', () => {
  it('drops a draft that no longer names us after an amendment', () => {
    const view = empty();
    expect(applyRequestEvent(view, event('statement_drafted', draft), 'JPN')).toBe(true);
    const amended = { ...draft, cosigners: ['GBR'], previous_cosigners: ['GBR', 'JPN'], text: 'v2', version: 2 };
    expect(applyRequestEvent(view, event('statement_amended', amended), 'JPN')).toBe(true);
    expect(view.statements).toEqual([]);
  });

  it('asks for a resync on an answer to a request it does not hold', () => {
    const answered = { request_id: 'RQ-9', kind: 'rfi', requester: 'USA', approved: true, answer: 'x', answered_by: 'white_cell' };
    expect(applyRequestEvent(empty(), event('request_answered', answered), 'USA')).toBe(false);
    expect(applyRequestEvent(empty(), event('chat_posted', {}), 'USA')).toBe(false);
  });

  it('returns a refused draft to its drafter with the reason', () => {
    const view = empty();
    applyRequestEvent(view, event('statement_drafted', draft), null);
    const refusal = { ...draft, nation: 'JPN', version: 1, consent: false, reason: 'name no state' };
    applyRequestEvent(view, event('statement_answered', refusal), null);
    expect(view.statements[0]).toMatchObject({ status: 'returned', consents: [], refusal: { nation: 'JPN', reason: 'name no state', version: 1 } });
  });
});

describe('request sentences', () => {
  it('say what was answered and why', () => {
    const lent = { provider: 'GBR', requester: 'USA', units: 2, requested: 3, area: 'SATCOM', from_move: 1, until_move: 2, reason: 'two spare' };
    expect(describeRequest(event('capacity_answered', lent))).toBe('GBR lends USA 2 of 3 SATCOM units, moves 1–2 — two spare');
    const lapsed = { requester: 'USA', kind: 'rfi', to: null, move: 3 };
    expect(describeRequest(event('request_lapsed', lapsed))).toBe("USA's rfi request to the white cell lapsed unanswered at the close of move 3");
    expect(describeRequest(event('chat_posted', {}))).toBeNull();
  });
});
