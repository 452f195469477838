import { describe, expect, it } from 'vitest';
import {
  applyEvaluation,
  describeEvaluation,
  coreCapabilities,
  EMPTY_DRAFT,
  EMPTY_PLAN,
  improvementCommand,
  listObservations,
  mayChange,
  observationCommand,
  ratingRows,
  tiesOf,
  type Guide,
} from './evaluation';
import type { Evaluation, ProjectedEvent } from './generated/protocol';

function event(type: string, body: Record<string, unknown>, move = 1): ProjectedEvent {
  return { at: '2027-03-01T06:00:00Z', scenario_time: '2027-03-01T06:00:00+00:00', move, actor: 'evaluator', type, body: { type, ...body } };
}

const recorded = (id: string, extra: Record<string, unknown> = {}) =>
  event('observation_recorded', { observation_id: id, objective_id: 'obj-a', text: `text ${id}`, author: 'evaluator', author_member: 'eva', ...extra });

function guide(id: string, capabilities: string[], tasks = 2): Guide {
  return {
    number: 1,
    objective_id: id,
    objective: `Objective ${id}`,
    capability: capabilities[0] ?? null,
    capabilities,
    mission_areas: [],
    nations: [],
    critical_tasks: Array.from({ length: tasks }, (_, k) => ({ number: k + 1, text: `task ${k + 1}`, observations: [] })),
    observations: [],
    rating: null,
    rating_rationale: '',
  };
}

describe('the evaluation fold', () => {
  it('records, edits and retracts an observation as evolve does', () => {
    const evaluation: Evaluation = {};
    expect(applyEvaluation(evaluation, recorded('OBS-1', { task: 2, rating: 'S' }), 7)).toBe(true);
    expect(evaluation.observations!['OBS-1']).toEqual({
      observation_id: 'OBS-1', objective_id: 'obj-a', task: 2, inject_id: null, nation: null, rating: 'S',
      text: 'text OBS-1', author: 'evaluator', author_member: 'eva', move: 1, seq: 7, edits: 0, retracted: false,
      retract_reason: '',
    });
    const edit = event('observation_edited', { observation_id: 'OBS-1', objective_id: 'obj-a', task: 1, inject_id: 'inj-1',
      nation: 'JPN', rating: 'M', text: 'late', editor: 'facilitator', editor_member: '' });
    expect(applyEvaluation(evaluation, edit, 8)).toBe(true);
    expect(evaluation.observations!['OBS-1']).toMatchObject({ task: 1, inject_id: 'inj-1', nation: 'JPN', rating: 'M', text: 'late', edits: 1, seq: 7 });
    expect(applyEvaluation(evaluation, event('observation_retracted', { observation_id: 'OBS-1', reason: 'dup', by: 'evaluator' }), 9)).toBe(true);
    expect(evaluation.observations!['OBS-1']).toMatchObject({ retracted: true, retract_reason: 'dup' });
    expect(applyEvaluation(evaluation, event('observation_retracted', { observation_id: 'OBS-9', by: 'evaluator' }), 10)).toBe(false);
  });

  it('names an observation recorded before ids by its seq', () => {
    const evaluation: Evaluation = {};
    applyEvaluation(evaluation, event('observation_recorded', { objective_id: null, rating: null, text: 'old' }), 17);
    expect(Object.keys(evaluation.observations!)).toEqual(['obs-seq17']);
  });

  it('sets and clears ratings, and keeps an item its first author', () => {
    const evaluation: Evaluation = {};
    const rate = { subject: 'objective', subject_id: 'obj-a', rationale: '', by: 'evaluator', by_member: 'eva' };
    applyEvaluation(evaluation, event('rating_set', { ...rate, rating: 'P' }), 1);
    expect(evaluation.ratings!['objective:obj-a']).toEqual({ ...rate, rating: 'P' });
    applyEvaluation(evaluation, event('rating_set', { ...rate, rating: null }), 2);
    expect(evaluation.ratings).toEqual({});
    const strength = { strength_id: 'STR-1', objective_id: 'obj-a', text: 'fast', observation_ids: [] };
    applyEvaluation(evaluation, event('strength_set', { ...strength, revision: 1, by: 'evaluator', by_member: 'eva' }), 3);
    applyEvaluation(evaluation, event('strength_set', { ...strength, text: 'faster', revision: 2, by: 'facilitator', by_member: '' }), 4);
    expect(evaluation.strengths!['STR-1']).toMatchObject({ text: 'faster', revision: 2, by: 'facilitator', author: 'evaluator', author_member: 'eva' });
    expect(applyEvaluation(evaluation, event('evaluation_item_removed', { item_id: 'STR-1', kind: 'strength', by: 'evaluator' }), 5)).toBe(true);
    expect(evaluation.strengths).toEqual({});
    expect(applyEvaluation(evaluation, event('evaluation_item_removed', { item_id: 'STR-1', kind: 'strength', by: 'evaluator' }), 6)).toBe(false);
  });
});

describe('who may change what', () => {
  it('lets a facilitator change anything and others only their own', () => {
    expect(mayChange({ role: 'facilitator', viewer: 'facilitator', member: '' }, 'evaluator', 'eva')).toBe(true);
    expect(mayChange({ role: 'evaluator', viewer: 'evaluator', member: 'eva' }, 'evaluator', 'eva')).toBe(true);
    expect(mayChange({ role: 'evaluator', viewer: 'evaluator', member: 'otto' }, 'evaluator', 'eva')).toBe(false);
    expect(mayChange({ role: 'evaluator', viewer: 'evaluator', member: '' }, 'facilitator', '')).toBe(false);
  });
});

describe('the observation list and form', () => {
  it('lists newest first, by objective, retracted ones on demand', () => {
    const evaluation: Evaluation = {};
    applyEvaluation(evaluation, recorded('OBS-1'), 1);
    applyEvaluation(evaluation, recorded('OBS-2', { objective_id: null }), 2);
    applyEvaluation(evaluation, recorded('OBS-3'), 3);
    applyEvaluation(evaluation, event('observation_retracted', { observation_id: 'OBS-3', by: 'evaluator' }), 4);
    const ids = (objective: string, showRetracted: boolean) =>
      listObservations(evaluation, { objective, showRetracted }).map((o) => o.observation_id);
    expect(ids('', false)).toEqual(['OBS-2', 'OBS-1']);
    expect(ids('', true)).toEqual(['OBS-3', 'OBS-2', 'OBS-1']);
    expect(ids('obj-a', false)).toEqual(['OBS-1']);
    expect(ids('-', false)).toEqual(['OBS-2']);
  });

  it('builds the record and edit commands from the form, or says what is missing', () => {
    expect(observationCommand({ ...EMPTY_DRAFT, text: '  ' })).toEqual({ problem: 'Write what you observed.' });
    expect(observationCommand({ ...EMPTY_DRAFT, task: '2', text: 'x' })).toHaveProperty('problem');
    expect(observationCommand({ ...EMPTY_DRAFT, objective: 'obj-a', task: '2', nation: 'JPN', rating: 'S', text: ' seen ' })).toEqual({
      command: { type: 'record_observation', objective_id: 'obj-a', task: 2, inject_id: null, nation: 'JPN', rating: 'S', text: 'seen' },
    });
    const edit = observationCommand({ ...EMPTY_DRAFT, text: 'general' }, 'OBS-1');
    expect(edit).toEqual({
      command: { type: 'edit_observation', observation_id: 'OBS-1', objective_id: null, task: null, inject_id: null, nation: null, rating: null, text: 'general' },
    });
    expect(tiesOf({ objective_id: 'obj-a', task: 2, inject_id: 'inj-1', nation: 'JPN' })).toBe('obj-a · task 2 · inj-1 · JPN');
    expect(tiesOf({ objective_id: null, task: null, inject_id: null, nation: null })).toBe('general');
  });

  it('checks an improvement item before sending it', () => {
    const draft = { ...EMPTY_PLAN, capability: 'SSA', action: 'Train', organisation: 'J3', start: '2027-05-01', end: '2027-04-01' };
    expect(improvementCommand(draft)).toEqual({ problem: 'The end date 2027-04-01 is before the start date 2027-05-01.' });
    expect(improvementCommand({ ...draft, capability: '' })).toHaveProperty('problem');
    const ok = improvementCommand({ ...draft, end: '2027-06-30', element: 'training' }, 'IP-1');
    expect(ok).toEqual({
      command: {
        type: 'set_improvement_item', item_id: 'IP-1', afi_id: null, capability: 'SSA', corrective_action: 'Train',
        capability_element: 'training', organisation: 'J3', poc: '', start_date: '2027-05-01', end_date: '2027-06-30',
      },
    });
  });
});

describe('rating rows', () => {
  it('show the final rating, else the AAR/IP stand-in and where it comes from', () => {
    const guides = [guide('obj-a', ['Sharing']), guide('obj-b', ['Sharing']), guide('obj-c', ['SSA'])];
    expect(coreCapabilities(guides)).toEqual(['Sharing', 'SSA']);
    const evaluation: Evaluation = {};
    applyEvaluation(evaluation, recorded('OBS-1', { rating: 'S' }), 1);
    applyEvaluation(evaluation, recorded('OBS-2', { objective_id: 'obj-c', rating: 'U' }), 2);
    const rate = (id: string, rating: string) =>
      applyEvaluation(evaluation, event('rating_set', { subject: 'objective', subject_id: id, rating, rationale: '', by: 'evaluator', by_member: '' }), 3);
    rate('obj-a', 'P');
    let rows = ratingRows(guides, evaluation);
    expect(rows.map((r) => [r.id, r.final?.rating ?? null, r.provisional])).toEqual([
      ['obj-a', 'P', { rating: 'S', source: 'observation' }],
      ['obj-b', null, null],
      ['obj-c', null, { rating: 'U', source: 'observation' }],
      ['Sharing', null, { rating: 'S', source: 'observation' }],
      ['SSA', null, { rating: 'U', source: 'observation' }],
    ]);
    rate('obj-b', 'M');
    rows = ratingRows(guides, evaluation);
    expect(rows.find((r) => r.id === 'Sharing')?.provisional).toEqual({ rating: 'M', source: 'objectives' });
  });
});

describe('timeline lines', () => {
  it('say what each evaluation event did', () => {
    expect(describeEvaluation('observation_recorded', { observation_id: 'OBS-1', objective_id: 'obj-a', task: 2, nation: 'JPN', rating: 'S', text: 'seen' })).toBe(
      'Observation OBS-1 on obj-a · task 2 · JPN [S]: seen',
    );
    expect(describeEvaluation('rating_set', { subject: 'capability', subject_id: 'SSA', rating: null })).toBe('capability SSA: rating cleared');
    expect(describeEvaluation('afi_set', { afi_id: 'AFI-1', objective_id: 'obj-a', title: 'Late', revision: 2 })).toBe(
      'Area for improvement AFI-1 of obj-a revised (v2): Late',
    );
    expect(describeEvaluation('evaluation_item_removed', { kind: 'improvement_item', item_id: 'IP-1', reason: 'done' })).toBe(
      'improvement item IP-1 removed: done',
    );
  });
});
