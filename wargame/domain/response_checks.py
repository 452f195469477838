"""Checks of the response orders (safe mode, ground segment, reconstitute, DIME) before they are accepted."""

from __future__ import annotations

from wargame.domain.common import AssetStatus
from wargame.domain.response_orders import DimeOrder, GroundSegmentOrder, ReconstituteOrder, SafeModeOrder
from wargame.domain.state import ExerciseState

Problem = tuple[str, str]
ResponseOrder = SafeModeOrder | GroundSegmentOrder | ReconstituteOrder | DimeOrder


def check_response(state: ExerciseState, nation: str, order: ResponseOrder) -> Problem | None:
    """Why a response order is refused (rejection code, message), or None. The ruleset must
    define `responses`; the asset must be the nation's own and in play."""
    if state.ruleset.responses is None:
        return ("invalid", f"ruleset {state.ruleset.id!r} defines no response orders ({order.kind})")
    match order:
        case SafeModeOrder():
            return _check_safe_mode(state, nation, order)
        case GroundSegmentOrder():
            return check_own_asset(state, nation, order.asset_id)
        case ReconstituteOrder():
            return _check_spare(state, nation, order)
        case DimeOrder():
            return _check_dime(state, nation, order)
    return ("invalid", "unknown order kind")


def check_own_asset(state: ExerciseState, nation: str, asset_id: str) -> Problem | None:
    """Why `nation` cannot give an order for `asset_id` (None: it is its own, not destroyed)."""
    asset = state.asset(asset_id)
    if asset is None:
        return ("unknown_target", f"no space object {asset_id!r}")
    if asset.owner != nation:
        return ("not_owner", f"{asset_id!r} does not belong to {nation}")
    if asset.status is AssetStatus.DESTROYED:
        return ("invalid", f"{asset_id!r} is destroyed")
    return None


def _check_safe_mode(state: ExerciseState, nation: str, order: SafeModeOrder) -> Problem | None:
    problem = check_own_asset(state, nation, order.asset_id)
    if problem is not None:
        return problem
    asset = state.asset(order.asset_id)
    assert asset is not None
    in_safe_mode = asset.status is AssetStatus.SAFE_MODE
    if order.enter and in_safe_mode:
        return ("invalid", f"{order.asset_id!r} is already in safe mode")
    if not order.enter and not in_safe_mode:
        return ("invalid", f"{order.asset_id!r} is not in safe mode")
    return None


def _check_spare(state: ExerciseState, nation: str, order: ReconstituteOrder) -> Problem | None:
    spare = state.scenario.spare(order.spare_id)
    if spare is None:
        return ("unknown_target", f"no spare {order.spare_id!r}")
    if spare.owner != nation:
        return ("not_owner", f"spare {order.spare_id!r} does not belong to {nation}")
    if order.spare_id in state.responses.spares:
        return ("invalid", f"spare {order.spare_id!r} was already activated")
    pending = state.nations[nation].orders.values()
    if any(isinstance(o.order, ReconstituteOrder) and o.order.spare_id == order.spare_id for o in pending):
        return ("invalid", f"spare {order.spare_id!r} is already ordered this move")
    return None


def _check_dime(state: ExerciseState, nation: str, order: DimeOrder) -> Problem | None:
    if order.target_nation == nation:
        return ("invalid", "a DIME response is aimed at another nation")
    if state.scenario.nation(order.target_nation) is None:
        return ("unknown_target", f"unknown nation {order.target_nation!r}")
    rules = state.ruleset.responses
    assert rules is not None
    if order.instrument not in rules.dime:
        return ("invalid", f"ruleset {state.ruleset.id!r} has no DIME instrument {order.instrument!r}")
    return None
