"""The white cell's status commands: restore_asset (back to nominal after a reversible effect)
and disclose_status (tell an owner the truth after an effect it did not notice)."""

from __future__ import annotations

from wargame.domain.commands import RESTORED_CAUSE, DiscloseStatus, Rejection, RestoreAsset, reject
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, EventBody, StatusDisclosed
from wargame.domain.state import ExerciseState


def decide_disclose(state: ExerciseState, cmd: DiscloseStatus) -> list[EventBody] | Rejection:
    """One StatusDisclosed to the asset's owner, or why not (the seat is already authorized)."""
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "statuses can be disclosed once the exercise has started")
    asset = state.status_holder(cmd.asset_id)
    if asset is None:
        return reject(state, "unknown_target", f"no space object or sensor {cmd.asset_id!r}")
    if asset.owner is None or asset.owner not in state.played_nations():
        return reject(state, "invalid", f"{cmd.asset_id!r} has no played owner to tell")
    if asset.owner_belief is None:
        known = f"{asset.owner} already knows that {cmd.asset_id!r} is {asset.status.value}"
        return reject(state, "already_done", known)
    return [
        StatusDisclosed(
            asset_id=asset.id,
            owner=asset.owner,
            status=asset.status,
            until_move=asset.status_until_move,
            reason=cmd.reason.strip(),
        )
    ]


def decide_restore(state: ExerciseState, cmd: RestoreAsset) -> list[EventBody] | Rejection:
    """One AssetStatusChanged back to nominal, or why not (the seat is already authorized).

    The event goes where the asset's status changes went: its owner's team, control, and the
    nations that observed any of its status changes since it was last nominal
    (AssetState.status_observers)."""
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "assets can be restored once the exercise has started")
    asset = state.status_holder(cmd.asset_id)
    if asset is None:
        return reject(state, "unknown_target", f"no space object or sensor {cmd.asset_id!r}")
    if asset.status is AssetStatus.NOMINAL:
        return reject(state, "already_done", f"{cmd.asset_id!r} is already nominal")
    if asset.status is AssetStatus.DESTROYED or not asset.status_reversible:
        cause = asset.cause or "unknown cause"
        return reject(
            state,
            "invalid",
            f"{cmd.asset_id!r} is {asset.status.value} by an irreversible effect ({cause}); "
            "the white cell cannot restore it",
        )
    return [
        AssetStatusChanged(
            asset_id=asset.id,
            owner=asset.owner,
            status=AssetStatus.NOMINAL,
            until_move=None,
            cause=f"{RESTORED_CAUSE}{cmd.reason.strip()}",
            observers=asset.status_observers,
        )
    ]
