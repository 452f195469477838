// The white cell's control of one scheduled inject before its release: skip, hold, lift a hold,
// retime, edit (docs/white-cell.md), each with the reason the command requires; and the inject's
// control state as the MSEL shows it (held, skipped, retimed, edited, forced).
import { useState } from 'preact/hooks';
import type { Command } from '../../connection';
import type { MselEntry } from '../../types';
import { CommandError, fmtNum, useCommand } from '../common';

/** The server's bounds of a reason (override_events.Reason). */
const REASON_MIN = 8;
const REASON_MAX = 200;

/** The control state of an MSEL entry as short labels (empty: as planned). */
export function mselStates(e: MselEntry): string[] {
  const states: string[] = [];
  if (e.skipped) states.push('skipped');
  if (e.held) states.push('held');
  if (e.planned_move != null) {
    states.push(`retimed (planned move ${e.planned_move} +${fmtNum(e.planned_offset_hours ?? 0, 1)} h)`);
  }
  if (e.edited?.length) states.push(`edited (${e.edited.join(', ')})`);
  if (e.forced) states.push(`forced ${e.forced}`);
  return states;
}

export function MselState(props: { entry: MselEntry }) {
  const states = mselStates(props.entry);
  return (
    <td data-testid={`msel-state-${props.entry.id}`}>
      {states.length ? states.map((s) => <div key={s}>{s}</div>) : <span class="muted">as planned</span>}
    </td>
  );
}

/** Whether the white cell may still control this inject: not released, not skipped. */
export function controllable(e: MselEntry): boolean {
  return e.released_move == null && !e.skipped;
}

/** Whether a hold means anything: a time- or condition-triggered inject that is not a contingency. */
function holdable(e: MselEntry): boolean {
  return e.trigger !== 'manual' && !e.contingency;
}

/**
 * The control form of one inject, shown in a row under it. Test ids end with the inject id:
 * `msel-reason-`, `msel-skip-`, `msel-hold-`, `msel-lift-`, `msel-retime-move-`,
 * `msel-retime-offset-`, `msel-retime-`, `msel-edit-title-`, `msel-edit-text-`,
 * `msel-edit-params-`, `msel-edit-`, `msel-control-error-`.
 */
export function MselControlForm(props: { entry: MselEntry; currentMove: number; lastMove: number | null }) {
  const e = props.entry;
  const [busy, run, error] = useCommand();
  const [reason, setReason] = useState('');
  const [move, setMove] = useState(String(Math.max(e.move ?? 1, props.currentMove + 1)));
  const [offset, setOffset] = useState(String(e.offset_hours ?? 0));
  const [title, setTitle] = useState(e.title);
  const [text, setText] = useState(e.text ?? '');
  const initialParams = JSON.stringify(e.params ?? {}, null, 1);
  const [params, setParams] = useState(initialParams);
  const [localError, setLocalError] = useState('');
  const why = reason.trim();
  const reasonOk = why.length >= REASON_MIN && why.length <= REASON_MAX;
  const disabled = busy || !reasonOk;
  const send = async (command: Command) => {
    setLocalError('');
    if (await run(command)) setReason('');
  };
  const retime = () => {
    const m = Number(move);
    const h = Number(offset);
    if (!Number.isInteger(m) || m < 1 || !Number.isFinite(h) || h < 0) {
      setLocalError('Give a whole move number (1 or more) and an offset of 0 hours or more');
      return;
    }
    void send({ type: 'retime_inject', inject_id: e.id, move: m, offset_hours: h, reason: why });
  };
  const edit = () => {
    const command: Record<string, unknown> = { type: 'edit_inject', inject_id: e.id, reason: why };
    if (title !== e.title) command.title = title;
    if (text !== (e.text ?? '')) command.text = text;
    if (params !== initialParams) {
      try {
        const parsed: unknown = JSON.parse(params);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        command.params = parsed;
      } catch {
        setLocalError('Params must be a JSON object, e.g. {"duration_moves": 1}');
        return;
      }
    }
    void send(command as unknown as Command);
  };
  return (
    <form class="msel-control" aria-label={`Control inject ${e.id}`} onSubmit={(ev) => ev.preventDefault()}>
      <label>
        Reason (logged, {REASON_MIN}-{REASON_MAX} characters){' '}
        <input
          type="text"
          required
          minLength={REASON_MIN}
          maxLength={REASON_MAX}
          size={40}
          data-testid={`msel-reason-${e.id}`}
          value={reason}
          onInput={(ev) => setReason(ev.currentTarget.value)}
        />
      </label>
      <div class="toolbar">
        <button
          type="button"
          class="small"
          data-testid={`msel-skip-${e.id}`}
          disabled={disabled}
          onClick={() => void send({ type: 'skip_inject', inject_id: e.id, reason: why })}
        >
          Skip
        </button>
        {holdable(e) && !e.held && (
          <button
            type="button"
            class="small"
            data-testid={`msel-hold-${e.id}`}
            disabled={disabled}
            onClick={() => void send({ type: 'hold_inject', inject_id: e.id, reason: why })}
          >
            Hold
          </button>
        )}
        {e.held && (
          <button
            type="button"
            class="small"
            data-testid={`msel-lift-${e.id}`}
            disabled={disabled}
            onClick={() => void send({ type: 'lift_hold', inject_id: e.id, reason: why })}
          >
            Lift hold
          </button>
        )}
      </div>
      <fieldset>
        <legend>Retime</legend>
        <label>
          Move{' '}
          <input
            type="number"
            min={props.currentMove + 1}
            max={props.lastMove ?? undefined}
            step={1}
            data-testid={`msel-retime-move-${e.id}`}
            value={move}
            onInput={(ev) => setMove(ev.currentTarget.value)}
          />
        </label>{' '}
        <label>
          Offset h{' '}
          <input
            type="number"
            min={0}
            step="any"
            data-testid={`msel-retime-offset-${e.id}`}
            value={offset}
            onInput={(ev) => setOffset(ev.currentTarget.value)}
          />
        </label>{' '}
        <button type="button" class="small" data-testid={`msel-retime-${e.id}`} disabled={disabled} onClick={retime}>
          Retime
        </button>
      </fieldset>
      <fieldset>
        <legend>Edit</legend>
        <label>
          Title{' '}
          <input
            type="text"
            maxLength={200}
            size={40}
            data-testid={`msel-edit-title-${e.id}`}
            value={title}
            onInput={(ev) => setTitle(ev.currentTarget.value)}
          />
        </label>
        <label>
          Text
          <textarea
            rows={3}
            maxLength={4000}
            data-testid={`msel-edit-text-${e.id}`}
            value={text}
            onInput={(ev) => setText(ev.currentTarget.value)}
          />
        </label>
        <label>
          Params (JSON)
          <textarea rows={3} data-testid={`msel-edit-params-${e.id}`} value={params} onInput={(ev) => setParams(ev.currentTarget.value)} />
        </label>
        <button type="button" class="small" data-testid={`msel-edit-${e.id}`} disabled={disabled} onClick={edit}>
          Save edits
        </button>
      </fieldset>
      <CommandError error={localError || error} testId={`msel-control-error-${e.id}`} />
    </form>
  );
}
