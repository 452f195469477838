import { useState } from 'preact/hooks';
import type { Command } from '../../connection';
import type { ControlAsset, OwnAsset, View } from '../../types';
import { useCommand } from '../common';

/** Longest restore reason the server accepts (RestoreAsset.reason). */
const RESTORE_REASON_MAX = 190;
/** Longest disclosure reason the server accepts (DiscloseStatus.reason). */
const DISCLOSE_REASON_MAX = 200;

/** Whether the white cell may restore this asset: not nominal, not destroyed, status reversible. */
export function restorable(asset: OwnAsset | ControlAsset): boolean {
  const reversible = !('status_reversible' in asset) || asset.status_reversible !== false;
  return asset.status !== 'nominal' && asset.status !== 'destroyed' && reversible;
}

/** Whether the asset's owner has not noticed its status (the white cell may disclose it). */
export function unnoticed(asset: OwnAsset | ControlAsset): boolean {
  return 'owner_belief' in asset && asset.owner_belief != null;
}

/** The white cell's actions on one asset's status: Disclose (owner not told) and Restore. */
export function StatusActions(props: { asset: OwnAsset | ControlAsset; view: View }) {
  const a = props.asset;
  const phaseOk = props.view.phase === 'running' || props.view.phase === 'paused';
  const notStarted = 'Statuses can be changed once the exercise has started';
  return (
    <>
      {unnoticed(a) && (
        <span class="muted small" data-testid={`owner-belief-${a.id}`}>
          {a.owner ?? 'owner'} believes {(a as ControlAsset).owner_belief?.status}{' '}
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
          title={phaseOk ? 'Return the asset to nominal' : notStarted}
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
  const [busy, run] = useCommand();
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
    </form>
  );
}
