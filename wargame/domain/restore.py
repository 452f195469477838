"""restore_asset: the white cell returns an asset to nominal after a reversible effect."""

from __future__ import annotations

from wargame.domain.commands import RESTORED_CAUSE, Rejection, RestoreAsset
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, EventBody
from wargame.domain.state import ExerciseState


def decide_restore(state: ExerciseState, cmd: RestoreAsset) -> list[EventBody] | Rejection:
    """One AssetStatusChanged back to nominal, or why not (the seat is already authorized).

    The event goes where the asset's status changes went: its owner's team, control, and the
    nations that observed any of its status changes since it was last nominal
    (AssetState.status_observers)."""

    def refuse(code: str, message: str) -> Rejection:
        return Rejection(code=code, message=message, current_seq=state.last_seq)

    if state.phase not in ("running", "paused"):
        return refuse("wrong_phase", "assets can be restored once the exercise has started")
    asset = state.assets.get(cmd.asset_id)
    if asset is None:
        return refuse("unknown_target", f"no space object {cmd.asset_id!r}")
    if asset.status is AssetStatus.NOMINAL:
        return refuse("already_done", f"{cmd.asset_id!r} is already nominal")
    if asset.status is AssetStatus.DESTROYED or not asset.status_reversible:
        cause = asset.cause or "unknown cause"
        return refuse(
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
