import { useState } from 'preact/hooks';
import type { SetMoveDeadline } from '../../generated/protocol';
import { countdown } from '../../tempo';
import { CommandError, useCommand, useControlView } from '../common';

type Action = 'set' | 'extend' | 'clear';

/** The white cell's deadline of the open move: set it some minutes from now, extend it, or
 *  clear it, always with a reason (logged; every seat is told). */
export function DeadlineControls() {
  const v = useControlView('meta', 'pos', 'inflight');
  const [busy, run, error] = useCommand();
  const [minutes, setMinutes] = useState('30');
  const [reason, setReason] = useState('');
  const [onDeadline, setOnDeadline] = useState<'advance' | 'alert'>('alert');
  const open = (v.phase === 'running' || v.phase === 'paused') && v.closing_move == null;
  const hasDeadline = v.clock?.deadline_s != null;
  const send = async (action: Action) => {
    const command: SetMoveDeadline = {
      type: 'set_move_deadline',
      action,
      reason: reason.trim(),
      ...(action === 'clear' ? {} : { minutes: Number(minutes) }),
      ...(action === 'set' ? { on_deadline: onDeadline } : {}),
    };
    if (await run(command)) setReason('');
  };
  const ready = open && !busy && reason.trim().length >= 3;
  return (
    <div class="controls" data-testid="deadline-controls" role="group" aria-label="Move deadline">
      <span class="muted">Deadline of move {v.move}: {countdown(v.clock, Date.now()).text}</span>
      <label class="inline">
        Minutes{' '}
        <input type="number" min={0.1} step={1} data-testid="deadline-minutes" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
      </label>
      <label class="inline">
        When it passes{' '}
        <select data-testid="deadline-on" value={onDeadline} onChange={(e) => setOnDeadline(e.currentTarget.value === 'advance' ? 'advance' : 'alert')}>
          <option value="alert">alert the white cell</option>
          <option value="advance">close the move</option>
        </select>
      </label>
      <label class="inline">
        Reason{' '}
        <input type="text" maxLength={200} data-testid="deadline-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="button" data-testid="deadline-set" disabled={!ready} onClick={() => void send('set')}>
        Set
      </button>
      <button type="button" data-testid="deadline-extend" disabled={!ready || !hasDeadline} onClick={() => void send('extend')}>
        Extend
      </button>
      <button type="button" data-testid="deadline-clear" disabled={!ready || !hasDeadline} onClick={() => void send('clear')}>
        Clear
      </button>
      <CommandError error={error} testId="deadline-error" />
    </div>
  );
}
