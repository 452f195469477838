"""A played red cell's counterspace orders as injects of the effects engine, and reach at the attack."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from annotated_types import MaxLen

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.orbits import geodetic_to_ecef
from wargame.domain.common import Releasability
from wargame.domain.counterspace import CounterspaceOrder, Weapon, reach_refusal
from wargame.domain.counterspace_events import CounterspaceFired
from wargame.domain.counterspace_rules import fired_params, weapon_of
from wargame.domain.events import InjectReleased, InjectResolved
from wargame.domain.inject_params import OrbitalWeaponParams, recorded_params
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, SubmittedOrder

FIRED_PREFIX = "CS-"
"""Ids of the injects red orders fire: CS-<order id>."""


def fired_injects(
    state: ExerciseState, orders: Sequence[SubmittedOrder]
) -> tuple[list[InjectReleased | CounterspaceFired], list[tuple[Inject, Weapon]]]:
    """For each counterspace order of the move (in move_orders' order): the inject it fires (actor
    the ordering nation, NOFORN to it: others learn of it only through the effects they observe),
    its release and the counterspace_fired that spends one use of the weapon."""
    events: list[InjectReleased | CounterspaceFired] = []
    fired: list[tuple[Inject, Weapon]] = []
    used = dict(state.weapons_used)
    for submitted in orders:
        order = submitted.order
        if not isinstance(order, CounterspaceOrder):
            continue
        found = weapon_of(state, order.weapon_id)
        if found is None or found[0] != submitted.nation:
            continue  # checked at submit; a scenario cannot change in play
        weapon = found[1]
        used[weapon.id] = used.get(weapon.id, 0) + 1
        note = f"red cell order {submitted.order_id}: weapon {weapon.id} ({weapon.name})"
        inject = Inject(
            id=f"{FIRED_PREFIX}{submitted.order_id}",
            title=f"{weapon.name} fired at {order.target}"[:200],
            move=max(state.move, 1),
            trigger="manual",
            type=weapon.type,
            params=fired_params(weapon, order),
            target=order.target,
            actor=submitted.nation,
            sender=f"{submitted.nation} (played red cell)",
            recipients=(submitted.nation,),
            channel="counterspace order",
            text=submitted.reason,
            controller_notes=f"{note}; cost: {weapon.cost}" if weapon.cost else note,
            releasability=Releasability.NOFORN,
        )
        events.append(InjectReleased(inject=inject, adhoc=True))
        events.append(
            CounterspaceFired(
                order_id=submitted.order_id,
                nation=submitted.nation,
                weapon_id=weapon.id,
                weapon_name=weapon.name,
                target=order.target,
                inject_id=inject.id,
                uses_left=max(weapon.magazine - used[weapon.id], 0),
            )
        )
        fired.append((inject, weapon))
    return events, fired


def out_of_range(
    state: ExerciseState, fired: Sequence[tuple[Inject, Weapon]], catalog: Catalog, ephemeris: Ephemeris
) -> dict[str, str]:
    """Why each fired inject whose weapon has a reach.max_range_km misses: the target is farther
    from the weapon's parent satellite or site at the move start; by inject id."""
    out: dict[str, str] = {}
    for inject, weapon in fired:
        limit = weapon.reach.max_range_km
        k = catalog.index.get(inject.target or "")
        if limit is None or k is None:
            continue
        target = ephemeris.pos32_km[k, 0].astype(np.float64)
        site = weapon.site()
        if weapon.parent is not None and weapon.parent in catalog.index:
            launcher = ephemeris.pos32_km[catalog.index[weapon.parent], 0].astype(np.float64)
        elif site is not None:
            launcher = geodetic_to_ecef(np.array([site[0]]), np.array([site[1]]), np.array([0.0]))[0]
        else:
            continue
        distance = float(np.linalg.norm(target - launcher))
        if np.isfinite(distance) and distance > limit:
            out[inject.id] = (
                f"{inject.target!r} was {distance:,.0f} km from weapon {weapon.id!r}, beyond its "
                f"reach of {limit:,.0f} km"
            )
    return out


def unreachable(state: ExerciseState, inject: Inject, truth: Truth, ranges: dict[str, str]) -> str | None:
    """Why an inject's effect cannot reach its target now: beyond its weapon's range, or its
    target's regime (on its orbit this move) is not one the rule or its approacher reaches."""
    if inject.id in ranges:
        return ranges[inject.id]
    target = inject.target
    if target is None or state.asset(target) is None:
        return None
    params = recorded_params(inject.type, inject.params)
    approacher = params.approacher if isinstance(params, OrbitalWeaponParams) else None
    launcher = truth.orbits[approacher] if approacher is not None and state.asset(approacher) else None
    return reach_refusal(state.ruleset, inject.type, target, truth.orbits[target], launcher)


def missed_resolution(inject_id: str, reason: str) -> InjectResolved:
    """An inject that could not reach its target: a miss, with the reason, and no draw."""
    limits = InjectResolved.model_fields["outcome"].metadata
    limit = next(m.max_length for m in limits if isinstance(m, MaxLen))
    outcome = f"out of reach: {reason}"
    outcome = outcome if len(outcome) <= limit else outcome[: limit - 3] + "..."
    return InjectResolved(
        inject_id=inject_id, outcome=outcome, p_success=0.0, succeeded=False, details={"out_of_reach": reason}
    )
