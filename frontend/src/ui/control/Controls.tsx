import { useState } from 'preact/hooks';
import { store } from '../../app';
import { CommandError, Panel, useCommand, useControlView } from '../common';
import { DeadlineControls } from './DeadlineControls';

export function ExerciseControls() {
  const v = useControlView('meta', 'pos', 'inflight');
  const [busy, run, error] = useCommand();
  const [reason, setReason] = useState('');
  const [confirmEnd, setConfirmEnd] = useState(false);
  const advancing = store.isInFlight('advance_move');
  const last = v.move >= v.moves;
  return (
    <Panel id="controls" title="Exercise control">
      <div class="controls">
        <button
          type="button"
          class="primary"
          data-testid="start-exercise"
          disabled={busy || v.phase !== 'setup'}
          onClick={() => void run({ type: 'start_exercise' })}
        >
          Start
        </button>
        <label class="inline">
          Pause reason{' '}
          <input
            type="text"
            maxLength={200}
            data-testid="pause-reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </label>
        <button
          type="button"
          data-testid="pause-exercise"
          disabled={busy || v.phase !== 'running'}
          onClick={async () => {
            if (await run({ type: 'pause_exercise', reason: reason.trim() })) setReason('');
          }}
        >
          Pause
        </button>
        <button
          type="button"
          data-testid="resume-exercise"
          disabled={busy || v.phase !== 'paused'}
          onClick={() => void run({ type: 'resume_exercise' })}
        >
          Resume
        </button>
        <button
          type="button"
          class="primary"
          data-testid="advance-move"
          disabled={advancing || v.phase !== 'running'}
          title={last ? 'Closes the last move: adjudicates it and ends the exercise' : 'Close this move, adjudicate it and open the next'}
          onClick={() => void run({ type: 'advance_move', from_move: v.move })}
        >
          {advancing ? 'Adjudicating…' : last ? `Close final move ${v.move}` : `Advance: close move ${v.move}`}
        </button>
        {!confirmEnd ? (
          <button
            type="button"
            class="danger"
            data-testid="end-exercise"
            disabled={busy || v.phase === 'ended'}
            onClick={() => setConfirmEnd(true)}
          >
            End exercise…
          </button>
        ) : (
          <span class="confirm" role="group" aria-label="Confirm ending the exercise">
            End the exercise now?{' '}
            <button
              type="button"
              class="danger"
              data-testid="end-exercise-confirm"
              disabled={busy}
              onClick={async () => {
                await run({ type: 'end_exercise' });
                setConfirmEnd(false);
              }}
            >
              Yes, end it
            </button>{' '}
            <button type="button" data-testid="end-exercise-cancel" onClick={() => setConfirmEnd(false)}>
              No
            </button>
          </span>
        )}
      </div>
      <CommandError error={error} testId="controls-error" />
      <DeadlineControls />
      <p class="muted small">
        Scenario <span data-testid="scenario-id">{v.scenario_id}</span> · escalation level{' '}
        <strong data-testid="escalation-level">{v.escalation_level}</strong> · seq {v.seq}
      </p>
    </Panel>
  );
}
