"""Checks of a red cell's counterspace order at submit, and the params its weapon fires with."""

from __future__ import annotations

from typing import Any

from wargame.domain.commands import Rejection
from wargame.domain.common import AssetStatus
from wargame.domain.counterspace import CounterspaceOrder, Weapon, reach_refusal
from wargame.domain.inject_params import PARAMS_MODELS
from wargame.domain.orbit_model import Orbit
from wargame.domain.state import ExerciseState

Problem = tuple[str, str]
"""(rejection code, human message), as order_rules.Problem."""

LAUNCHER_PARAMS = frozenset({"approacher", "site_lat_deg", "site_lon_deg"})
"""Params the weapon sets (its parent satellite or ground site), never the order."""


def weapon_of(state: ExerciseState, weapon_id: str) -> tuple[str, Weapon] | None:
    """(owning nation, weapon) of a weapon id in the scenario's inventories."""
    for nation in state.scenario.nations:
        for weapon in nation.counterspace:
            if weapon.id == weapon_id:
                return nation.id, weapon
    return None


def uses_left(state: ExerciseState, nation: str, weapon: Weapon) -> int:
    """The weapon's magazine less its uses so far and the nation's open orders for it."""
    holder = state.nations.get(nation)
    pending = (
        0
        if holder is None
        else sum(
            1
            for o in holder.orders.values()
            if isinstance(o.order, CounterspaceOrder) and o.order.weapon_id == weapon.id
        )
    )
    return weapon.magazine - state.weapons_used.get(weapon.id, 0) - pending


def fired_params(weapon: Weapon, order: CounterspaceOrder) -> dict[str, Any]:
    """The inject params a use fires with: the order's, plus the weapon's parent satellite as
    `approacher` or its ground site as the emitter site where the effect type takes them."""
    fields = PARAMS_MODELS[weapon.type].model_fields
    params = dict(order.params)
    site = weapon.site()
    if weapon.parent is not None and "approacher" in fields:
        params["approacher"] = weapon.parent
    if site is not None and "site_lat_deg" in fields:
        params["site_lat_deg"], params["site_lon_deg"] = site
    return params


def _orbit(state: ExerciseState, object_id: str | None) -> Orbit | None:
    asset = None if object_id is None else state.asset(object_id)
    return None if asset is None else asset.orbit


def check_counterspace(state: ExerciseState, nation: str, order: CounterspaceOrder) -> Problem | None:
    """Why the nation may not fire this order (a structured refusal), or None: the weapon is its
    own, has uses left and a working parent, the target is another nation's and within reach of
    the effect rule and the weapon, and the params are the effect type's."""
    from wargame.domain.inject_control import check_inject

    found = weapon_of(state, order.weapon_id)
    if found is None:
        return ("unknown_target", f"no weapon {order.weapon_id!r} in any inventory of the scenario")
    owner, weapon = found
    if owner != nation:
        return ("not_owner", f"weapon {weapon.id!r} belongs to {owner}, not {nation}")
    left = uses_left(state, nation, weapon)
    if left <= 0:
        used = state.weapons_used.get(weapon.id, 0)
        return (
            "invalid",
            f"weapon {weapon.id!r} has no uses left (magazine {weapon.magazine}, "
            f"{used} fired, {weapon.magazine - used} ordered this move)",
        )
    if weapon.parent is not None:
        parent = state.asset(weapon.parent)
        if parent is None or parent.status in (AssetStatus.DISABLED, AssetStatus.DESTROYED):
            status = "missing" if parent is None else parent.status.value
            return ("invalid", f"weapon {weapon.id!r}: its parent satellite {weapon.parent!r} is {status}")
    target = state.status_holder(order.target)
    if target is not None and target.owner == nation:
        return ("invalid", f"{order.target!r} is {nation}'s own; a weapon fires at another nation's asset")
    bad = sorted(LAUNCHER_PARAMS & set(order.params))
    if bad:
        return (
            "invalid",
            f"params.{bad[0]}: set by the weapon (its parent satellite or site), not the order",
        )
    typed = check_inject(state, weapon.type, order.target, fired_params(weapon, order))
    if isinstance(typed, Rejection):
        return (typed.code, f"weapon {weapon.id!r}: {typed.message}")
    refusal = reach_refusal(
        state.ruleset,
        weapon.type,
        order.target,
        _orbit(state, order.target),
        _orbit(state, weapon.parent),
        weapon,
    )
    if refusal is not None:
        return ("invalid", refusal)
    return None
