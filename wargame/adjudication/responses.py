"""Adjudication of the response orders: safe mode, ground segment, spares, DIME and evasion burns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wargame.adjudication.manoeuvres import Truth
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import AssetStatusChanged, EventBody, InjectResolved, ManoeuvreExecuted
from wargame.domain.orders import ManoeuvreOrder
from wargame.domain.response_events import (
    DimeTaken,
    EvasionResolved,
    GroundSegmentActed,
    ResponseFailed,
    SpareActivated,
    SpareArrived,
)
from wargame.domain.response_orders import DimeOrder, GroundSegmentOrder, ReconstituteOrder, SafeModeOrder
from wargame.domain.response_rules import ResponseRules
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, SubmittedOrder
from wargame.domain.team_feed import OWN_ORDER

RESPONSE_STREAM = 7
"""Key of the response draws' generator: (seed, move, RESPONSE_STREAM), apart from the move's
main sequence so the draws of injects and breakups keep their numbers."""
SAFE_MODE_IN = f"safe mode: entered {OWN_ORDER}"
SAFE_MODE_OUT = f"safe mode: left {OWN_ORDER}"
LINK_RESTORED = f"link restored {OWN_ORDER}"


@dataclass
class Responded:
    """What the response orders did at the move start, and what they add to the escalation score."""

    events: list[EventBody] = field(default_factory=list)
    escalation: list[tuple[float, str]] = field(default_factory=list)


def response_rng(state: ExerciseState) -> np.random.Generator:
    return np.random.default_rng([state.seed, state.move, RESPONSE_STREAM])


def apply_responses(
    state: ExerciseState, orders: Sequence[SubmittedOrder], truth: Truth, burns: Sequence[ManoeuvreExecuted]
) -> Responded:
    """Apply the move's response orders in order (nation, order id) at the move start: safe mode
    in or out, ground-segment actions (one keyed draw each), spare activations, DIME responses;
    record the evasion burns' |dv| in `truth.evasion_dv`. Nothing when the ruleset has no
    `responses` section."""
    out = Responded()
    rules = state.ruleset.responses
    if rules is None:
        return out
    rng = response_rng(state)
    burned = {b.asset_id for b in burns}
    for submitted in orders:
        order, nation = submitted.order, submitted.nation
        match order:
            case ManoeuvreOrder(purpose="evasion") if order.asset_id in burned:
                dv = truth.evasion_dv.get(order.asset_id, 0.0) + order.dv_norm_m_per_s
                truth.evasion_dv[order.asset_id] = dv
            case SafeModeOrder():
                out.events.append(_safe_mode(state, nation, order, truth))
            case GroundSegmentOrder():
                out.events.extend(_ground_segment(state, rules, nation, order, truth, float(rng.random())))
            case ReconstituteOrder():
                out.events.append(_activate(state, nation, order))
            case DimeOrder():
                dime = _dime(state, rules, nation, order)
                out.events.append(dime)
                if dime.escalation_delta:
                    what = f"{nation} {order.instrument.replace('_', ' ')} against {order.target_nation}"
                    out.escalation.append((dime.escalation_delta, what))
    return out


def _safe_mode(state: ExerciseState, nation: str, order: SafeModeOrder, truth: Truth) -> EventBody:
    asset_id = order.asset_id
    current = truth.status[asset_id]
    wanted = AssetStatus.NOMINAL if order.enter else AssetStatus.SAFE_MODE
    if current != wanted:
        verb = "enter" if order.enter else "leave"
        reason = f"{asset_id} is {current.value}: it cannot {verb} safe mode this move"
        return ResponseFailed(nation=nation, order_kind="safe_mode", subject=asset_id, explanation=reason)
    status = AssetStatus.SAFE_MODE if order.enter else AssetStatus.NOMINAL
    truth.status[asset_id] = status
    truth.until_move[asset_id] = None
    truth.reversible[asset_id] = True
    cause = SAFE_MODE_IN if order.enter else SAFE_MODE_OUT
    return AssetStatusChanged(asset_id=asset_id, owner=nation, status=status, cause=cause)


def _cause_type(state: ExerciseState, asset_id: str) -> InjectType | None:
    """The inject type behind an asset's current status ('inject:<id>'), if any."""
    asset = state.asset(asset_id)
    cause = None if asset is None else asset.cause
    if cause is None or not cause.startswith("inject:"):
        return None
    entry = state.injects.get(cause.removeprefix("inject:"))
    return None if entry is None else entry.inject.type


def _ground_segment(
    state: ExerciseState,
    rules: ResponseRules,
    nation: str,
    order: GroundSegmentOrder,
    truth: Truth,
    draw: float,
) -> list[EventBody]:
    asset_id, move, ground = order.asset_id, state.move, rules.ground_segment
    base = {"asset_id": asset_id, "owner": nation, "action": order.action}
    if order.action == "switch_ground_station":
        switch = ground.switch_ground_station
        ok = draw < switch.p_success
        end = move + switch.duration_moves
        text = (
            f"links of {asset_id} moved to another station: protected in moves {move + 1}-{end}"
            if ok
            else f"the switch of {asset_id}'s ground station failed (p {switch.p_success:g})"
        )
        span = {"from_move": move + 1, "until_move": end} if ok else {}
        p = switch.p_success
        return [GroundSegmentActed(**base, succeeded=ok, p_success=p, explanation=text, **span)]
    if order.action == "harden":
        harden = ground.harden
        end = move + harden.duration_moves
        text = (
            f"{asset_id}'s ground segment hardened for moves {move + 1}-{end}; "
            f"service at most {harden.service_factor:g} meanwhile"
        )
        acted = GroundSegmentActed(
            **base, succeeded=True, p_success=1.0, from_move=move + 1, until_move=end, explanation=text
        )
        return [acted]
    restore = ground.restore_link
    cause = _cause_type(state, asset_id)
    status = truth.status[asset_id]
    if status in (AssetStatus.NOMINAL, AssetStatus.SAFE_MODE, AssetStatus.DESTROYED) or cause is None:
        text = f"nothing to restore: {asset_id} is {status.value}"
        return [GroundSegmentActed(**base, succeeded=False, p_success=0.0, explanation=text)]
    if cause not in restore.recovers or not truth.reversible[asset_id]:
        text = f"a {cause.value} effect cannot be worked around from the ground"
        return [GroundSegmentActed(**base, succeeded=False, p_success=0.0, explanation=text)]
    ok = draw < restore.p_success
    acted = GroundSegmentActed(
        **base,
        succeeded=ok,
        p_success=restore.p_success,
        explanation=f"{asset_id}'s link restored" if ok else f"{asset_id}'s link not restored this move",
    )
    if not ok:
        return [acted]
    truth.status[asset_id] = AssetStatus.NOMINAL
    truth.until_move[asset_id] = None
    truth.reversible[asset_id] = True
    nominal = AssetStatus.NOMINAL
    restored = AssetStatusChanged(asset_id=asset_id, owner=nation, status=nominal, cause=LINK_RESTORED)
    return [acted, restored]


def _activate(state: ExerciseState, nation: str, order: ReconstituteOrder) -> SpareActivated:
    spare = state.scenario.spare(order.spare_id)
    lead = spare.lead_time_moves if spare is not None else 1
    arrives = state.move + lead
    text = f"spare {order.spare_id} activated: in play from move {arrives} ({lead} move lead time)"
    return SpareActivated(spare_id=order.spare_id, owner=nation, arrives_move=arrives, explanation=text)


def _dime(state: ExerciseState, rules: ResponseRules, nation: str, order: DimeOrder) -> DimeTaken:
    rule = rules.dime[order.instrument]
    deters = rule.deterrence_moves > 0 and rule.deterrence_factor < 1.0
    what = f"{nation} {order.instrument.replace('_', ' ')} against {order.target_nation}"
    start, end = state.move + 1, state.move + rule.deterrence_moves
    effect = (
        f"{order.target_nation}'s attacks x{rule.deterrence_factor:g} in moves {start}-{end}"
        if deters
        else "no deterrence"
    )
    return DimeTaken(
        nation=nation,
        instrument=order.instrument,
        target_nation=order.target_nation,
        text=order.text,
        escalation_delta=rule.escalation_delta,
        deterrence_factor=rule.deterrence_factor if deters else 1.0,
        from_move=state.move + 1,
        until_move=end if deters else None,
        explanation=f"{what}: escalation {rule.escalation_delta:+g}; {effect}",
    )


def evasion_factor(rules: ResponseRules, dv_m_per_s: float) -> float:
    """The factor an evasion burn of |dv| puts on a co-orbital threat's p_success."""
    evasion = rules.evasion
    return max(evasion.min_factor, 1.0 - evasion.factor_per_m_per_s * dv_m_per_s)


def response_factor(state: ExerciseState, truth: Truth, inject: Inject, asset_id: str) -> float:
    """The responses' multiplier on an effect's p_success against `asset_id`: safe mode, link
    protections in force this move, the deterrence of the inject's actor, an evasion burn."""
    rules = state.ruleset.responses
    if rules is None:
        return 1.0
    kind, move = inject.type, state.move
    factor = 1.0
    if truth.status[asset_id] == AssetStatus.SAFE_MODE:
        factor *= rules.safe_mode.protection_factors.get(kind, 1.0)
    ground = rules.ground_segment
    for protection in state.responses.protections_of(asset_id, move):
        table = (
            ground.switch_ground_station.protection_factors
            if protection.action == "switch_ground_station"
            else ground.harden.protection_factors
        )
        factor *= table.get(kind, 1.0)
    if inject.actor is not None:
        for deterrence in state.responses.deterrence_of(inject.actor, move):
            factor *= deterrence.factor
    dv = truth.evasion_dv.get(asset_id, 0.0)
    if dv > 0.0 and kind in rules.evasion.inject_types:
        factor *= evasion_factor(rules, dv)
    return factor


def evasion_outcomes(
    state: ExerciseState, injects: Sequence[Inject], resolved: Sequence[EventBody], truth: Truth
) -> list[EvasionResolved]:
    """An EvasionResolved for the owner of each asset that burned to evade a threat resolved this move."""
    rules = state.ruleset.responses
    if rules is None or not truth.evasion_dv:
        return []
    by_id = {i.id: i for i in injects}
    out: list[EvasionResolved] = []
    for body in resolved:
        inject = by_id.get(body.inject_id) if isinstance(body, InjectResolved) else None
        threat = inject is not None and inject.type in rules.evasion.inject_types
        if not isinstance(body, InjectResolved) or inject is None or not threat:
            continue
        for target, p in body.details.get("p_by_target", {}).items():
            dv = truth.evasion_dv.get(target, 0.0)
            asset = state.asset(target)
            if dv <= 0.0 or asset is None or asset.owner is None:
                continue
            factor = evasion_factor(rules, dv)
            hit = target in body.details.get("hit", [])
            text = (
                f"evasion burn of {dv:g} m/s by {target} against {inject.id}: p {p / factor:.2f} -> {p:.2f}, "
                + ("it still hit" if hit else "it missed")
            )
            out.append(
                EvasionResolved(
                    asset_id=target, owner=asset.owner, inject_id=inject.id, dv_m_per_s=dv, factor=factor,
                    p_before=p / factor, p_after=p, hit=hit, explanation=text,
                )
            )
    return out


def spare_arrivals(state: ExerciseState, responded: Responded) -> list[SpareArrived]:
    """Spares that enter play at the start of the next move (activated now or before)."""
    spares = state.responses.spares.values()
    due = {s.spare_id: s.owner for s in spares if not s.arrived and s.arrives_move <= state.move + 1}
    for body in responded.events:
        if isinstance(body, SpareActivated) and body.arrives_move <= state.move + 1:
            due[body.spare_id] = body.owner
    text = "spare {} entered play: it counts in your capability from move {}"
    arrived: list[SpareArrived] = []
    for spare_id, owner in sorted(due.items()):
        spec = state.scenario.spare(spare_id)
        if spec is None:
            continue
        arrived.append(
            SpareArrived(
                spare_id=spare_id,
                owner=owner,
                name=spec.name,
                kind=spec.kind,
                mission=spec.mission.value if spec.mission else None,
                propellant_dv_m_per_s=spec.propellant_dv_m_per_s,
                explanation=text.format(spare_id, state.move + 1),
            )
        )
    return arrived
