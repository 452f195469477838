"""The Monte Carlo preview starts where the move does: this move's anti-jam orders and recoveries."""

from __future__ import annotations

import pytest
from adj_builders import make_state

from wargame.adjudication import adjudicate_move, preview
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import InjectResolved, MoveAdjudicated
from wargame.domain.orders import AntiJamOrder
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, NationState, SubmittedOrder

JAM = Inject(id="J1", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET", actor="RED")


def _move_3_with_anti_jam_and_a_recovery() -> ExerciseState:
    """Move 3: GBR turns anti-jam on for GBR-SKYNET, which RED jams; USA-WGS recovers."""
    state = make_state(move=3, injects=(JAM,))
    assets = dict(state.assets)
    assets["USA-WGS"] = assets["USA-WGS"].model_copy(
        update={"status": AssetStatus.DISABLED, "status_until_move": 3}
    )
    order = AntiJamOrder(kind="anti_jam", asset_id="GBR-SKYNET", enabled=True)
    nations = dict(state.nations)
    nations["GBR"] = NationState(
        id="GBR", orders={"x": SubmittedOrder(order_id="x", nation="GBR", move=3, order=order)}
    )
    return state.model_copy(update={"assets": assets, "nations": nations})


def test_preview_odds_match_the_move_that_follows() -> None:
    state = _move_3_with_anti_jam_and_a_recovery()
    sampled = preview(state, None, 2000)
    (resolved,) = [e for e in adjudicate_move(state) if isinstance(e, InjectResolved)]
    jam = state.ruleset.effects[InjectType.UPLINK_JAMMING]
    assert resolved.p_success == pytest.approx(jam.p_success * jam.protection_factors["anti_jam"])
    assert sampled["targets"]["GBR-SKYNET"]["p_success"] == pytest.approx(resolved.p_success)


def test_preview_capability_has_the_anti_jam_cap_and_the_recovery() -> None:
    state = _move_3_with_anti_jam_and_a_recovery()
    capability = preview(state, None, 2000)["capability"]
    move_capability = next(
        e for e in adjudicate_move(state) if isinstance(e, MoveAdjudicated)
    ).capability
    cap = state.ruleset.orders.anti_jam_service_factor
    service = state.ruleset.capability.service_by_status
    # GBR-SKYNET is GBR's only SATCOM asset: capped when not jammed, degraded when jammed.
    assert capability["GBR"]["SATCOM"]["p95"] == pytest.approx(cap)
    assert capability["GBR"]["SATCOM"]["p05"] == pytest.approx(min(cap, service[AssetStatus.DEGRADED]))
    # USA-WGS recovers at the start of move 3, so USA's SATCOM is whole, as the move says.
    assert capability["USA"]["SATCOM"]["mean"] == pytest.approx(move_capability["USA"]["SATCOM"])
    assert capability["USA"]["SATCOM"]["mean"] == pytest.approx(service[AssetStatus.NOMINAL])


def test_preview_samples_a_sensor_target() -> None:
    from adj_builders import make_ruleset

    rules = make_ruleset()
    jam = rules.effects[InjectType.UPLINK_JAMMING].model_copy(update={"targets": ("objects", "sensors")})
    rules = make_ruleset(effects={**rules.effects, InjectType.UPLINK_JAMMING: jam})
    inject = Inject(id="J2", title="jam the radar", type=InjectType.UPLINK_JAMMING, target="FYLINGDALES")
    sampled = preview(make_state(ruleset=rules, injects=(inject,)), inject, 1000)
    assert sampled["targets"]["FYLINGDALES"]["p_success"] == pytest.approx(jam.p_success)
    assert sampled["targets"]["FYLINGDALES"]["hit_frequency"] == pytest.approx(jam.p_success, abs=0.05)
    assert sampled["capability"]["GBR"]["SATCOM"]["p05"] == 1.0  # a sensor carries no mission
