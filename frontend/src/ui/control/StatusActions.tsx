import { useState } from 'preact/hooks';
import type { Command } from '../../connection';
import type { StatusSubject } from '../../types';
import { CommandError, useCommand, useView } from '../common';

/** Longest restore reason the server accepts (RestoreAsset.reason). */
const RESTORE_REASON_MAX = 190;
/** Longest disclosure reason the server accepts (DiscloseStatus.reason). */
const DISCLOSE_REASON_MAX = 200;

/** Whether the white cell may restore this asset or sensor: not nominal, not destroyed, reversible. */
export function restorable(subject: StatusSubject): boolean {
  const reversible = subject.status_reversible !== false;
  return subject.status !== 'nominal' && subject.status !== 'destroyed' && reversible;
}

/** Whether the owner has not noticed the asset's or sensor's status (the white cell may disclose it). */
export function unnoticed(subject: StatusSubject): boolean {
  return subject.owner_belief != null;
}

/**
 * The white cell's actions on one asset's or sensor's status: Disclose (owner not told) and
 * Restore. Both commands take the sensor id as `asset_id`.
 */
export function StatusActions(props: { subject: StatusSubject }) {
  const view = useView('meta');
  const a = props.subject;
  const phaseOk = view.phase === 'running' || view.phase === 'paused';
  const notStarted = 'Statuses can be changed once the exercise has started';
  return (
    <>
      {unnoticed(a) && (
        <span class="muted small" data-testid={`owner-belief-${a.id}`}>
          {a.owner ?? 'owner'} believes {a.owner_belief?.status}{' '}
        </span>
      )}
      {unnoticed(a) && (
        <ReasonButton
          prefix="disclose"
          assetId={a.id}
          label="Disclose"
          busyLabel="Disclosing…"
          title={phaseOk ? `Tell ${a.owner ?? 'the owner'} the true status` : notStarted}
          placeholder="How they find out"
          maxLength={DISCLOSE_REASON_MAX}
          enabled={phaseOk}
          formLabel={`Disclose the status of ${a.name}`}
          command={(reason) => ({ type: 'disclose_status', asset_id: a.id, reason })}
        />
      )}
      {a.status !== 'nominal' && !restorable(a) && (
        <span class="muted small" data-testid={`asset-irreversible-${a.id}`} title="The white cell cannot restore it">
          irreversible
        </span>
      )}
      {restorable(a) && (
        <ReasonButton
          prefix="restore"
          assetId={a.id}
          label="Restore"
          busyLabel="Restoring…"
          title={phaseOk ? `Return ${a.name} to nominal` : notStarted}
          placeholder="Reason"
          maxLength={RESTORE_REASON_MAX}
          enabled={phaseOk}
          formLabel={`Restore ${a.name}`}
          command={(reason) => ({ type: 'restore_asset', asset_id: a.id, reason })}
        />
      )}
    </>
  );
}

/** A button that opens a required-reason box, then sends `command(reason)`. Test ids:
 * `<prefix>-<asset>`, `<prefix>-reason-<asset>`, `<prefix>-confirm-<asset>`, `<prefix>-cancel-<asset>`. */
function ReasonButton(props: {
  prefix: string;
  assetId: string;
  label: string;
  busyLabel: string;
  title: string;
  placeholder: string;
  maxLength: number;
  enabled: boolean;
  formLabel: string;
  command: (reason: string) => Command;
}) {
  const [busy, run, error] = useCommand();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { prefix, assetId: asset } = props;
  if (!open) {
    return (
      <button
        type="button"
        class="small"
        data-testid={`${prefix}-${asset}`}
        disabled={!props.enabled}
        title={props.title}
        onClick={() => setOpen(true)}
      >
        {props.label}…
      </button>
    );
  }
  const text = reason.trim();
  const submit = async () => {
    if (await run(props.command(text))) {
      setReason('');
      setOpen(false);
    }
  };
  return (
    <form
      class="confirm"
      aria-label={props.formLabel}
      onSubmit={(e) => {
        e.preventDefault();
        if (text && !busy) void submit();
      }}
    >
      <input
        type="text"
        required
        maxLength={props.maxLength}
        size={20}
        placeholder={props.placeholder}
        aria-label={props.placeholder}
        data-testid={`${prefix}-reason-${asset}`}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <button
        type="submit"
        class="primary small"
        data-testid={`${prefix}-confirm-${asset}`}
        disabled={busy || !text || !props.enabled}
      >
        {busy ? props.busyLabel : props.label}
      </button>
      <button type="button" class="small" data-testid={`${prefix}-cancel-${asset}`} onClick={() => setOpen(false)}>
        Cancel
      </button>
      <CommandError error={error} testId={`${prefix}-error-${asset}`} />
    </form>
  );
}
