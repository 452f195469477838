import { useState } from 'preact/hooks';
import type { ControlAsset, OwnAsset, View } from '../../types';
import { useCommand } from '../common';

/** Longest restore reason the server accepts (RestoreAsset.reason). */
const REASON_MAX = 190;

/** Whether the white cell may restore this asset: not nominal, not destroyed, status reversible. */
export function restorable(asset: OwnAsset | ControlAsset): boolean {
  const reversible = !('status_reversible' in asset) || asset.status_reversible !== false;
  return asset.status !== 'nominal' && asset.status !== 'destroyed' && reversible;
}

/** The white cell's Restore button for one asset, asking for a reason before sending restore_asset. */
export function RestoreCell(props: { asset: OwnAsset | ControlAsset; view: View }) {
  const a = props.asset;
  const [busy, run] = useCommand();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (a.status === 'nominal') return null;
  if (!restorable(a)) {
    return (
      <span class="muted small" data-testid={`asset-irreversible-${a.id}`} title="The white cell cannot restore it">
        irreversible
      </span>
    );
  }
  const phaseOk = props.view.phase === 'running' || props.view.phase === 'paused';
  if (!open) {
    return (
      <button
        type="button"
        class="small"
        data-testid={`restore-${a.id}`}
        disabled={!phaseOk}
        title={phaseOk ? 'Return the asset to nominal' : 'Assets can be restored once the exercise has started'}
        onClick={() => setOpen(true)}
      >
        Restore…
      </button>
    );
  }
  const text = reason.trim();
  const submit = async () => {
    if (await run({ type: 'restore_asset', asset_id: a.id, reason: text })) {
      setReason('');
      setOpen(false);
    }
  };
  return (
    <form
      class="confirm"
      aria-label={`Restore ${a.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (text && !busy) void submit();
      }}
    >
      <input
        type="text"
        required
        maxLength={REASON_MAX}
        size={20}
        placeholder="Reason"
        aria-label="Reason for restoring"
        data-testid={`restore-reason-${a.id}`}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <button type="submit" class="primary small" data-testid={`restore-confirm-${a.id}`} disabled={busy || !text || !phaseOk}>
        {busy ? 'Restoring…' : 'Restore'}
      </button>
      <button type="button" class="small" data-testid={`restore-cancel-${a.id}`} onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
