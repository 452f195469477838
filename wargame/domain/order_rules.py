"""Checks an order against the rules of play before it is accepted into the sealed orders."""

from __future__ import annotations

from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.counterspace import CounterspaceOrder
from wargame.domain.counterspace_rules import check_counterspace
from wargame.domain.orders import (
    AntiJamOrder,
    ManoeuvreOrder,
    Order,
    PublicAttributionOrder,
    TaskingRequestOrder,
)
from wargame.domain.response_checks import check_own_asset, check_response
from wargame.domain.response_orders import DimeOrder, GroundSegmentOrder, ReconstituteOrder, SafeModeOrder
from wargame.domain.state import ExerciseState

Problem = tuple[str, str]
"""(rejection code, human message)."""


def check_order(state: ExerciseState, nation: str, order: Order) -> Problem | None:
    match order:
        case ManoeuvreOrder():
            return _check_manoeuvre(state, nation, order)
        case AntiJamOrder():
            return check_own_asset(state, nation, order.asset_id)
        case TaskingRequestOrder():
            return _check_tasking(state, nation, order)
        case PublicAttributionOrder():
            return _check_attribution(state, nation, order)
        case CounterspaceOrder():
            return check_counterspace(state, nation, order)
        case SafeModeOrder() | GroundSegmentOrder() | ReconstituteOrder() | DimeOrder():
            return check_response(state, nation, order)
    return ("invalid", "unknown order kind")


def _check_manoeuvre(state: ExerciseState, nation: str, order: ManoeuvreOrder) -> Problem | None:
    problem = check_own_asset(state, nation, order.asset_id)
    if problem is not None:
        return problem
    limit = state.ruleset.orders.max_manoeuvre_dv_m_per_s
    cost = order.dv_norm_m_per_s
    if cost > limit:
        return ("invalid", f"|dv| {cost:g} m/s exceeds the limit of {limit} m/s")
    if cost == 0:
        return ("invalid", "a manoeuvre needs a non-zero dv")
    asset = state.asset(order.asset_id)
    assert asset is not None
    committed = sum(
        o.order.dv_norm_m_per_s
        for o in state.nations[nation].orders.values()
        if isinstance(o.order, ManoeuvreOrder) and o.order.asset_id == order.asset_id
    )
    if committed + cost > asset.propellant_dv_m_per_s:
        return (
            "invalid",
            f"{order.asset_id!r} has {asset.propellant_dv_m_per_s - committed:.1f} m/s of propellant "
            f"left for this move, not {cost:g}",
        )
    return None


def _check_tasking(state: ExerciseState, nation: str, order: TaskingRequestOrder) -> Problem | None:
    if order.partner == nation:
        return ("invalid", "task your own sensors directly; requests go to partners")
    if order.partner not in state.played_nations():
        return ("unknown_target", f"{order.partner!r} is not a participating nation")
    sensor = next((s for s in state.scenario.sensors if s.id == order.sensor_id), None)
    if sensor is None or sensor.owner != order.partner:
        return ("unknown_target", f"{order.partner} has no sensor {order.sensor_id!r}")
    if not state.has_object(order.object_id):
        return ("unknown_target", f"no space object {order.object_id!r}")
    return None


def knows_inject(state: ExerciseState, nation: str, inject_id: str) -> bool:
    """Whether the nation was told of a released inject: it received it (its marking and
    recipients), a partner forwarded it, or it holds an assessment of it (its own, after it
    noticed the effect, or a partner's). Anything else answers as if the inject did not exist."""
    entry = state.injects.get(inject_id)
    if entry is None or entry.released_move is None:
        return False
    if can_see(inject_audience(entry.inject, state), team(nation)):
        return True
    if any(f.inject_id == inject_id and nation in f.recipients for f in state.forwards):
        return True
    holder = state.nations.get(nation)
    return holder is not None and any(a.inject_id == inject_id for a in holder.assessments)


def _check_attribution(
    state: ExerciseState, nation: str, order: PublicAttributionOrder
) -> Problem | None:
    if not knows_inject(state, nation, order.inject_id):
        return ("unknown_target", f"no released event {order.inject_id!r} to attribute")
    if state.scenario.nation(order.accused) is None:
        return ("unknown_target", f"unknown nation {order.accused!r}")
    levels = state.ruleset.orders.attribution_levels
    if order.likelihood not in levels:
        return ("invalid", f"likelihood must be one of {list(levels)}")
    return None
