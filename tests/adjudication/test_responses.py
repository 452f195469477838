"""Adjudicated responses with the standard ruleset: evasion, safe mode, ground segment, spares, DIME."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adj_builders import adjudicate, after, make_objects, make_ruleset, make_scenario, make_state

from wargame.adjudication.responses import RESPONSE_STREAM, evasion_factor, response_rng
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import AssetStatusChanged, InjectResolved, MoveAdjudicated
from wargame.domain.orders import ManoeuvreOrder
from wargame.domain.response_events import (
    DimeTaken,
    EscalationChanged,
    EvasionResolved,
    GroundSegmentActed,
    ResponseFailed,
    SpareActivated,
    SpareArrived,
)
from wargame.domain.response_orders import DimeOrder, GroundSegmentOrder, ReconstituteOrder, SafeModeOrder
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject, Spare
from wargame.domain.state import ExerciseState, NationState, SubmittedOrder
from wargame.resources import shipped_root
from wargame.scenario.loader import load_ruleset

STANDARD = load_ruleset(shipped_root() / "rulesets" / "standard.yaml")
RESP = STANDARD.responses
assert RESP is not None


def rules(**changes: Any) -> Ruleset:
    values: dict[str, Any] = {
        "effects": STANDARD.effects,
        "capability": STANDARD.capability,
        "responses": RESP,
    }
    return make_ruleset(**{**values, **changes})


def inject(type_: InjectType, target: str, inject_id: str = "i1") -> Inject:
    return Inject(id=inject_id, title="t", type=type_, target=target, actor="RED")


def with_orders(state: ExerciseState, nation: str, orders: Sequence[object]) -> ExerciseState:
    nations = dict(state.nations)
    nations[nation] = NationState(
        id=nation,
        orders={
            f"o{k}": SubmittedOrder(order_id=f"o{k}", nation=nation, move=state.move, order=o)  # type: ignore[arg-type]
            for k, o in enumerate(orders)
        },
    )
    return state.model_copy(update={"nations": nations})


def of(events: Sequence[object], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def resolved_p(events: Sequence[object]) -> float:
    return float(of(events, InjectResolved)[0].p_success)


def test_an_evasion_burn_cuts_a_co_orbital_attack_by_the_ruleset_factor() -> None:
    threat = inject(InjectType.CO_ORBITAL, "USA-LEO")
    plain = make_state(ruleset=rules(), injects=(threat,))
    burn = ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=20.0, purpose="evasion")
    evaded = with_orders(plain, "USA", [burn])
    p_rule = STANDARD.effects[InjectType.CO_ORBITAL].p_success
    factor = max(RESP.evasion.min_factor, 1.0 - RESP.evasion.factor_per_m_per_s * 20.0)
    assert evasion_factor(RESP, 20.0) == factor == 0.2  # 20 m/s: 1 - 0.04 * 20 floored at 0.2
    assert resolved_p(adjudicate(plain)) == p_rule == 0.7
    events = adjudicate(evaded)
    assert abs(resolved_p(events) - p_rule * factor) < 1e-12
    (outcome,) = of(events, EvasionResolved)
    assert (outcome.asset_id, outcome.owner, outcome.inject_id) == ("USA-LEO", "USA", "i1")
    assert abs(outcome.p_before - p_rule) < 1e-12 and abs(outcome.p_after - p_rule * factor) < 1e-12
    assert outcome.hit == ("USA-LEO" in of(events, InjectResolved)[0].details["hit"])
    small = with_orders(plain, "USA", [burn.model_copy(update={"dv_m_per_s": 5.0})])
    assert abs(resolved_p(adjudicate(small)) - p_rule * (1.0 - 0.04 * 5.0)) < 1e-12


def test_a_collision_avoidance_burn_does_not_evade() -> None:
    threat = inject(InjectType.CO_ORBITAL, "USA-LEO")
    burn = ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=20.0)
    events = adjudicate(with_orders(make_state(ruleset=rules(), injects=(threat,)), "USA", [burn]))
    assert resolved_p(events) == 0.7 and not of(events, EvasionResolved)


def test_safe_mode_protects_against_the_ruleset_types() -> None:
    dazzle = inject(InjectType.LASER_DAZZLE, "USA-LEO")
    state = with_orders(
        make_state(ruleset=rules(), injects=(dazzle,)),
        "USA",
        [SafeModeOrder(kind="safe_mode", asset_id="USA-LEO", enter=True)],
    )
    events = adjudicate(state)
    first = of(events, AssetStatusChanged)[0]
    assert (first.asset_id, first.owner, first.status, first.cause) == (
        "USA-LEO",
        "USA",
        AssetStatus.SAFE_MODE,
        "safe mode: entered on the owner's order",
    )
    p_dazzle = STANDARD.effects[InjectType.LASER_DAZZLE].p_success
    factor = RESP.safe_mode.protection_factors[InjectType.LASER_DAZZLE]
    assert abs(resolved_p(events) - p_dazzle * factor) < 1e-12 and factor == 0.2
    jam = inject(InjectType.UPLINK_JAMMING, "USA-LEO")  # not a type safe mode protects against
    jammed = state.model_copy(
        update={"injects": {"i1": state.injects["i1"].model_copy(update={"inject": jam})}}
    )
    assert resolved_p(adjudicate(jammed)) == STANDARD.effects[InjectType.UPLINK_JAMMING].p_success


def test_safe_mode_costs_service_until_the_owner_orders_it_out() -> None:
    state = with_orders(
        make_state(ruleset=rules()), "USA", [SafeModeOrder(kind="safe_mode", asset_id="USA-LEO", enter=True)]
    )
    events = adjudicate(state)
    share = STANDARD.capability.service_by_status[AssetStatus.SAFE_MODE]
    assert of(events, MoveAdjudicated)[0].capability["USA"]["ISR"] == share == 0.2
    moved = after(state, events)
    assert moved.assets["USA-LEO"].status is AssetStatus.SAFE_MODE
    stays = adjudicate(with_orders(moved.model_copy(update={"move": 2}), "USA", []))
    assert of(stays, MoveAdjudicated)[0].capability["USA"]["ISR"] == share
    out = with_orders(
        moved.model_copy(update={"move": 2}),
        "USA",
        [SafeModeOrder(kind="safe_mode", asset_id="USA-LEO", enter=False)],
    )
    left = adjudicate(out)
    assert [(e.status, e.cause) for e in of(left, AssetStatusChanged)] == [
        (AssetStatus.NOMINAL, "safe mode: left on the owner's order")
    ]
    assert of(left, MoveAdjudicated)[0].capability["USA"]["ISR"] == 1.0


def test_safe_mode_needs_a_nominal_asset() -> None:
    state = make_state(ruleset=rules())
    hit = state.assets["USA-LEO"].model_copy(update={"status": AssetStatus.DISABLED, "status_until_move": 3})
    state = with_orders(
        state.model_copy(update={"assets": {**state.assets, "USA-LEO": hit}}),
        "USA",
        [SafeModeOrder(kind="safe_mode", asset_id="USA-LEO", enter=True)],
    )
    (failed,) = of(adjudicate(state), ResponseFailed)
    assert (failed.nation, failed.subject) == ("USA", "USA-LEO")
    assert failed.explanation == "USA-LEO is disabled: it cannot enter safe mode this move"


def test_a_switched_ground_station_protects_from_the_next_move() -> None:
    switch = RESP.ground_segment.switch_ground_station
    state = with_orders(
        make_state(ruleset=rules()),
        "GBR",
        [GroundSegmentOrder(kind="ground_segment", asset_id="GBR-SKYNET", action="switch_ground_station")],
    )
    draw = float(response_rng(state).random())
    assert RESPONSE_STREAM == 7
    events = adjudicate(state)
    (acted,) = of(events, GroundSegmentActed)
    assert acted.succeeded == (draw < switch.p_success) and acted.p_success == switch.p_success == 0.8
    forced = rules(
        responses=RESP.model_copy(
            update={
                "ground_segment": RESP.ground_segment.model_copy(
                    update={"switch_ground_station": switch.model_copy(update={"p_success": 1.0})}
                )
            }
        )
    )
    sure = state.model_copy(update={"ruleset": forced})
    events = adjudicate(sure)
    (acted,) = of(events, GroundSegmentActed)
    assert (acted.succeeded, acted.from_move, acted.until_move) == (True, 2, 1 + switch.duration_moves)
    moved = after(sure, events)
    jam = inject(InjectType.UPLINK_JAMMING, "GBR-SKYNET")
    next_move = moved.model_copy(update={"move": 2, "injects": {}})
    from wargame.domain.state import InjectState

    next_move = next_move.model_copy(update={"injects": {"i1": InjectState(inject=jam, released_move=2)}})
    p_jam = STANDARD.effects[InjectType.UPLINK_JAMMING].p_success
    expected = p_jam * switch.protection_factors[InjectType.UPLINK_JAMMING]
    assert abs(resolved_p(adjudicate(next_move)) - expected) < 1e-12


def test_hardening_costs_service_and_protects_against_cyber() -> None:
    harden = RESP.ground_segment.harden
    state = with_orders(
        make_state(ruleset=rules()),
        "JPN",
        [GroundSegmentOrder(kind="ground_segment", asset_id="JPN-GEO", action="harden")],
    )
    events = adjudicate(state)
    (acted,) = of(events, GroundSegmentActed)
    assert (acted.succeeded, acted.from_move, acted.until_move) == (True, 2, 1 + harden.duration_moves)
    assert of(events, MoveAdjudicated)[0].capability["JPN"]["SATCOM"] == 1.0  # the cost starts with it
    from wargame.domain.state import InjectState

    moved = after(state, events).model_copy(update={"move": 2})
    quiet = adjudicate(moved)
    assert of(quiet, MoveAdjudicated)[0].capability["JPN"]["SATCOM"] == harden.service_factor == 0.9
    cyber = inject(InjectType.CYBER_SEIZURE, "JPN-GEO")
    attacked = moved.model_copy(update={"injects": {"i1": InjectState(inject=cyber, released_move=2)}})
    p_cyber = STANDARD.effects[InjectType.CYBER_SEIZURE].p_success
    factor = harden.protection_factors[InjectType.CYBER_SEIZURE]
    assert abs(resolved_p(adjudicate(attacked)) - p_cyber * factor) < 1e-12


def test_restore_link_ends_a_reversible_jamming_early() -> None:
    from wargame.domain.state import InjectState

    restore = RESP.ground_segment.restore_link
    jam = inject(InjectType.UPLINK_JAMMING, "GBR-SKYNET", "j1")
    state = make_state(ruleset=rules())
    jammed = state.assets["GBR-SKYNET"].model_copy(
        update={"status": AssetStatus.DEGRADED, "status_until_move": 3, "cause": "inject:j1"}
    )
    state = state.model_copy(
        update={
            "assets": {**state.assets, "GBR-SKYNET": jammed},
            "injects": {"j1": InjectState(inject=jam, released_move=1, resolved=True)},
        }
    )
    state = with_orders(
        state,
        "GBR",
        [GroundSegmentOrder(kind="ground_segment", asset_id="GBR-SKYNET", action="restore_link")],
    )
    draw = float(response_rng(state).random())
    events = adjudicate(state)
    (acted,) = of(events, GroundSegmentActed)
    assert acted.p_success == restore.p_success == 0.5
    assert acted.succeeded == (draw < restore.p_success)
    restored = [e for e in of(events, AssetStatusChanged) if e.cause == "link restored on the owner's order"]
    assert len(restored) == int(acted.succeeded)
    laser = Inject(id="j1", title="t", type=InjectType.LASER_DAMAGE, target="GBR-SKYNET", actor="RED")
    damaged = state.model_copy(
        update={"injects": {"j1": InjectState(inject=laser, released_move=1, resolved=True)}}
    )
    (acted,) = of(adjudicate(damaged), GroundSegmentActed)
    assert (
        not acted.succeeded
        and acted.explanation == "a laser_damage effect cannot be worked around from the ground"
    )


def test_a_spare_arrives_after_its_lead_time_and_counts_in_capability() -> None:
    spec = next(o for o in make_objects() if o.id == "USA-LEO")
    spare = Spare(**{**spec.model_dump(), "id": "USA-SPARE", "name": "spare", "lead_time_moves": 2})
    scenario = make_scenario(spares=(spare,))
    state = with_orders(
        make_state(scenario=scenario, ruleset=rules()),
        "USA",
        [ReconstituteOrder(kind="reconstitute", spare_id="USA-SPARE")],
    )
    events = adjudicate(state)
    assert [(e.spare_id, e.owner, e.arrives_move) for e in of(events, SpareActivated)] == [
        ("USA-SPARE", "USA", 3)
    ]
    assert not of(events, SpareArrived)
    move2 = after(state, events).model_copy(update={"move": 2})
    events2 = adjudicate(with_orders(move2, "USA", []))
    assert [(e.spare_id, e.owner) for e in of(events2, SpareArrived)] == [("USA-SPARE", "USA")]
    move3 = after(move2, events2).model_copy(update={"move": 3})
    assert move3.assets["USA-SPARE"].owner == "USA" and move3.responses.spares["USA-SPARE"].arrived
    assert move3.object_spec("USA-SPARE") == spare
    events3 = adjudicate(move3)
    assert not of(events3, SpareArrived)
    assert of(events3, MoveAdjudicated)[0].capability["USA"]["ISR"] == 1.0
    assert "USA-SPARE" in move3.object_ids()


def test_dime_moves_escalation_and_deters_the_target() -> None:
    from wargame.domain.state import InjectState

    posture = RESP.dime["military_posture"]
    state = with_orders(
        make_state(ruleset=rules()),
        "USA",
        [DimeOrder(kind="dime", instrument="military_posture", target_nation="RED", text="bombers forward")],
    )
    events = adjudicate(state)
    (taken,) = of(events, DimeTaken)
    assert (taken.escalation_delta, taken.deterrence_factor) == (
        posture.escalation_delta,
        posture.deterrence_factor,
    )
    assert (taken.from_move, taken.until_move) == (2, 1 + posture.deterrence_moves)
    (escalated,) = of(events, EscalationChanged)
    assert escalated.score == posture.escalation_delta == 0.5 and escalated.level == 0
    assert escalated.reasons == ("USA military posture against RED: +0.5",)
    threat = inject(InjectType.CO_ORBITAL, "USA-LEO")
    move2 = after(state, events).model_copy(
        update={"move": 2, "injects": {"i1": InjectState(inject=threat, released_move=2)}}
    )
    events2 = adjudicate(move2)
    assert abs(resolved_p(events2) - 0.7 * posture.deterrence_factor) < 1e-12
    other = threat.model_copy(update={"actor": "JPN"})
    undeterred = move2.model_copy(update={"injects": {"i1": InjectState(inject=other, released_move=2)}})
    assert resolved_p(adjudicate(undeterred)) == 0.7
