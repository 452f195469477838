"""Inject effects: protections and anti-jam, observers, area effects, conjunctions, approaches."""

from __future__ import annotations

import math
from collections.abc import Sequence

from adj_builders import KNOWN_BLOBS, adjudicate, make_state, pictures_by_nation

from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import (
    AssetStatusChanged,
    CloseApproachDetected,
    ConjunctionWarning,
    InjectResolved,
    ManoeuvreExecuted,
    MoveAdjudicated,
)
from wargame.domain.orders import AntiJamOrder, ManoeuvreOrder
from wargame.domain.ruleset_model import EffectRule
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, NationState, OwnerBelief, SubmittedOrder


def _inject(type_: InjectType, target: str | None, **params: object) -> Inject:
    return Inject(id="i1", title="t", type=type_, target=target, actor="RED", params=params)


def _with_orders(state: ExerciseState, nation: str, orders: Sequence[object]) -> ExerciseState:
    nations = dict(state.nations)
    nations[nation] = NationState(
        id=nation,
        orders={
            f"o{k}": SubmittedOrder(order_id=f"o{k}", nation=nation, move=state.move, order=o)  # type: ignore[arg-type]
            for k, o in enumerate(orders)
        },
    )
    return state.model_copy(update={"nations": nations})


def _of(events: Sequence[object], kind: type) -> list:  # type: ignore[type-arg]
    return [e for e in events if isinstance(e, kind)]


def test_anti_jam_reduces_success_probability() -> None:
    inject = _inject(InjectType.UPLINK_JAMMING, "GBR-SKYNET")
    plain = make_state(injects=(inject,))
    on = _with_orders(plain, "GBR", [AntiJamOrder(kind="anti_jam", asset_id="GBR-SKYNET", enabled=True)])
    p_plain = _of(adjudicate(plain), InjectResolved)[0].p_success
    p_on = _of(adjudicate(on), InjectResolved)[0].p_success
    assert p_plain == 0.6
    assert p_on == 0.6 * 0.25
    hardened = make_state(injects=(_inject(InjectType.UPLINK_JAMMING, "USA-WGS"),))
    assert _of(adjudicate(hardened), InjectResolved)[0].p_success == 0.6 * 0.5


def test_success_frequency_follows_p_over_seeds() -> None:
    inject = _inject(InjectType.UPLINK_JAMMING, "GBR-SKYNET")
    wins = 0
    n = 200
    for seed in range(n):
        events = adjudicate(make_state(injects=(inject,), seed=seed))
        resolved = _of(events, InjectResolved)[0]
        hit = _of(events, AssetStatusChanged)
        assert resolved.succeeded == bool(hit)
        wins += resolved.succeeded
        if hit:
            assert hit[0].status == AssetStatus.DEGRADED and hit[0].until_move == 2
            assert hit[0].observers == ()  # observable_by owner
    assert 0.5 < wins / n < 0.7


def test_unnoticed_effect_and_escalation() -> None:
    events = adjudicate(make_state(injects=(_inject(InjectType.CYBER_CORRUPTION, "JPN-GEO"),)))
    change = _of(events, AssetStatusChanged)[0]
    assert change.status == AssetStatus.DISABLED and change.observers == ()
    assert change.noticed_by_owner is False  # JPN's team is not told (addressing)
    assert _of(events, InjectResolved)[0].details["noticed_by_owner"] is False
    summary = _of(events, MoveAdjudicated)[0]
    assert summary.escalation_level == 2
    assert summary.capability["JPN"]["SATCOM"] == 0.0
    # When it ends (duration 3), the owner, who never knew, is not told either.
    state = make_state(move=4)
    belief = OwnerBelief(status=AssetStatus.NOMINAL)
    seized = state.assets["JPN-GEO"].model_copy(
        update={"status": AssetStatus.DISABLED, "status_until_move": 4, "owner_belief": belief}
    )
    ended = adjudicate(state.model_copy(update={"assets": {**state.assets, "JPN-GEO": seized}}))
    (recovery,) = _of(ended, AssetStatusChanged)
    assert (recovery.status, recovery.noticed_by_owner) == (AssetStatus.NOMINAL, False)


def test_the_owner_notices_the_other_effects() -> None:
    events = adjudicate(make_state(injects=(_inject(InjectType.DIRECT_ASCENT_ASAT, "USA-LEO"),)))
    assert _of(events, AssetStatusChanged)[0].noticed_by_owner is True


def test_everyone_observes_asat_and_message_has_no_effect() -> None:
    events = adjudicate(make_state(injects=(_inject(InjectType.DIRECT_ASCENT_ASAT, "USA-LEO"),)))
    change = _of(events, AssetStatusChanged)[0]
    assert change.status == AssetStatus.DESTROYED and set(change.observers) == {"GBR", "JPN"}
    msg = adjudicate(make_state(injects=(_inject(InjectType.MESSAGE, None),)))
    assert _of(msg, InjectResolved)[0].outcome == "no physical effect"
    assert not _of(msg, AssetStatusChanged)


def test_area_effect_rolls_per_asset() -> None:
    events = adjudicate(make_state(injects=(_inject(InjectType.SPACE_WEATHER, None),)))
    resolved = _of(events, InjectResolved)[0]
    assert set(resolved.details["p_by_target"]) == {"USA-GPS", "USA-WGS", "GBR-SKYNET", "JPN-GEO"}
    hit = {e.asset_id for e in _of(events, AssetStatusChanged)}
    assert hit == set(resolved.details["hit"])


def test_conjunction_collision_and_avoidance() -> None:
    inject = _inject(
        InjectType.CONJUNCTION, "USA-LEO", secondary="DEB-1", miss_km=0.003, tca_offset_hours=2.0
    )
    state = make_state(injects=(inject,))
    events = adjudicate(state)
    destroyed = {e.asset_id for e in _of(events, AssetStatusChanged)}
    assert destroyed == {"USA-LEO", "DEB-1"}
    assert _of(events, MoveAdjudicated)[0].collisions == (("USA-LEO", "DEB-1"),)
    warnings = _of(events, ConjunctionWarning)
    usa = [w for w in warnings if w.nation == "USA" and w.other_id == "DEB-1"]
    assert usa and usa[0].action_threshold_exceeded
    avoid = _with_orders(state, "USA", [ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=0.1)])
    events = adjudicate(avoid)
    assert not _of(events, AssetStatusChanged)
    assert _of(events, InjectResolved)[0].outcome == "avoided"
    assert _of(events, ManoeuvreExecuted)[0].propellant_dv_m_per_s == 20.0 - 0.1


def test_close_approach_moves_approacher_and_warns_holders() -> None:
    inject = _inject(InjectType.CLOSE_APPROACH, "USA-LEO", approacher="RED-INSP", range_km=3.0)
    events = adjudicate(make_state(injects=(inject,)))
    man = _of(events, ManoeuvreExecuted)[0]
    assert man.asset_id == "RED-INSP" and man.owner == "RED"
    detected = _of(events, CloseApproachDetected)
    assert "USA" in {d.nation for d in detected}
    pictures = pictures_by_nation(make_state(injects=(inject,)), events, KNOWN_BLOBS)
    for d in detected:  # each nation's estimate of the range, off by about its combined sigma
        rows = pictures[d.nation]
        sigma_km = math.hypot(rows["USA-LEO"]["sigma_km"], rows["RED-INSP"]["sigma_km"])
        assert abs(d.range_km - 3.0) <= 5.0 * sigma_km + 1e-9
    summary = _of(events, MoveAdjudicated)[0]
    assert summary.escalation_level == 1


def test_a_burn_below_the_avoidance_delta_v_does_not_clear_the_conjunction() -> None:
    inject = _inject(
        InjectType.CONJUNCTION, "USA-LEO", secondary="DEB-1", miss_km=0.003, tca_offset_hours=2.0
    )
    state = make_state(injects=(inject,))
    assert state.ruleset.conjunction.avoidance_dv_m_per_s == 0.1
    burn = ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=0.05)
    small = _with_orders(state, "USA", [burn])
    events = adjudicate(small)
    assert _of(events, ManoeuvreExecuted)[0].propellant_dv_m_per_s == 20.0 - 0.05
    assert _of(events, InjectResolved)[0].outcome == "collision"
    across = ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=0.0, dv_cross_track_m_per_s=0.1)
    assert _of(adjudicate(_with_orders(state, "USA", [across])), InjectResolved)[0].outcome == "avoided"


def test_the_worse_status_and_the_later_end_win() -> None:
    from wargame.adjudication.effects import combined_status

    n, dg, ds, dx = AssetStatus.NOMINAL, AssetStatus.DEGRADED, AssetStatus.DISABLED, AssetStatus.DESTROYED
    assert combined_status(n, None, dg, 3) == (dg, 3)
    assert combined_status(ds, 4, dg, 9) == (ds, 4)  # milder: nothing changes
    assert combined_status(dg, 4, dg, 6) == (dg, 6)
    assert combined_status(dg, 6, dg, 4) == (dg, 6)
    assert combined_status(dg, None, dg, 4) == (dg, None)
    assert combined_status(dg, 2, ds, 3) == (ds, 3)
    assert combined_status(dx, None, ds, 2) == (dx, None)


def test_a_milder_effect_on_a_disabled_asset_emits_no_status_change() -> None:
    jam = Inject(id="jam", title="t", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET", actor="RED")
    state = make_state(injects=(jam,))
    assets = dict(state.assets)
    assets["GBR-SKYNET"] = assets["GBR-SKYNET"].model_copy(
        update={"status": AssetStatus.DISABLED, "status_until_move": state.move + 3}
    )
    state = state.model_copy(update={"assets": assets})
    hits = 0
    for seed in range(12):
        events = adjudicate(state.model_copy(update={"seed": seed}))
        hits += bool(_of(events, InjectResolved)[0].details["hit"])
        assert not [e for e in _of(events, AssetStatusChanged) if e.asset_id == "GBR-SKYNET"]
    assert hits > 0, "the jamming must land on the disabled asset in some seeds"
    rule = state.ruleset.effects[InjectType.UPLINK_JAMMING]
    assert rule.status == AssetStatus.DEGRADED and rule.p_success > 0.2


def test_custody_observers_are_the_trackers_of_the_named_actor_object() -> None:
    from types import SimpleNamespace

    import numpy as np

    from wargame.adjudication.effects import observers_of

    state = make_state()
    nations = ("USA", "GBR", "JPN")
    ids = ("GBR-SKYNET", "RED-INSP")
    held = np.array([[False, True], [True, False], [True, True]])  # USA holds only the inspector
    # (holder, contributor, object): USA tracks the inspector on its own observations; JPN holds
    # it on the public catalog alone (no contributor), and tracks Skynet itself.
    contributors = np.zeros((3, 3, 2), dtype=bool)
    contributors[0, 0, 1] = True
    contributors[1, 1, 0] = True
    contributors[2, 2, 0] = True
    ctx = SimpleNamespace(
        state=state,
        catalog=SimpleNamespace(nations=nations, index={o: k for k, o in enumerate(ids)}),
        fused=SimpleNamespace(held=held, contributors=contributors),
    )
    rpo = Inject(id="i", title="t", type=InjectType.CO_ORBITAL, target="GBR-SKYNET", actor="RED",
                 params={"approacher": "RED-INSP"})
    assert observers_of(ctx, "custody", "GBR-SKYNET", rpo) == ("USA",)  # type: ignore[arg-type]
    unnamed = rpo.model_copy(update={"params": {}})
    assert observers_of(ctx, "custody", "GBR-SKYNET", unnamed) == ("JPN",)  # type: ignore[arg-type]
    assert observers_of(ctx, "everyone", "GBR-SKYNET", rpo) == ("USA", "JPN")  # type: ignore[arg-type]


def _with_status(
    state: ExerciseState, asset_id: str, status: AssetStatus, until: int | None, reversible: bool
) -> ExerciseState:
    assets = dict(state.assets)
    assets[asset_id] = assets[asset_id].model_copy(
        update={"status": status, "status_until_move": until, "status_reversible": reversible,
                "cause": "inject:before"}
    )
    return state.model_copy(update={"assets": assets})


def _with_grapple(state: ExerciseState) -> ExerciseState:
    """The ruleset plus a certain, irreversible co-orbital grapple (disabled for good)."""
    grapple = EffectRule(p_success=1.0, status=AssetStatus.DISABLED, duration_moves=None, reversible=False,
                         escalation_level=4, observable_by="owner")
    effects = {**state.ruleset.effects, InjectType.CO_ORBITAL: grapple}
    return state.model_copy(update={"ruleset": state.ruleset.model_copy(update={"effects": effects})})


def test_events_carry_the_reversibility_of_the_effect() -> None:
    grapple = _with_grapple(make_state(injects=(_inject(InjectType.CO_ORBITAL, "JPN-GEO"),)))
    (change,) = _of(adjudicate(grapple), AssetStatusChanged)
    assert (change.status, change.until_move, change.reversible) == (AssetStatus.DISABLED, None, False)
    assert change.model_dump(mode="json")["reversible"] is False
    cyber = make_state(injects=(_inject(InjectType.CYBER_CORRUPTION, "JPN-GEO"),))
    (change,) = _of(adjudicate(cyber), AssetStatusChanged)
    assert (change.status, change.reversible) == (AssetStatus.DISABLED, True)
    assert "reversible" not in change.model_dump(mode="json")  # as events were before the field
    asat = make_state(injects=(_inject(InjectType.DIRECT_ASCENT_ASAT, "USA-LEO"),))
    assert [e.reversible for e in _of(adjudicate(asat), AssetStatusChanged)] == [False]


def test_reversibility_combines_with_the_current_status() -> None:
    # An irreversible effect at the same status makes a reversible disablement irreversible.
    seized = make_state(injects=(_inject(InjectType.CO_ORBITAL, "JPN-GEO"),))
    grapple = _with_grapple(_with_status(seized, "JPN-GEO", AssetStatus.DISABLED, None, True))
    (change,) = _of(adjudicate(grapple), AssetStatusChanged)
    assert (change.status, change.reversible, change.cause) == (AssetStatus.DISABLED, False, "inject:i1")
    # A reversible effect at the same or a milder status leaves an irreversible one as it is.
    for kind in (InjectType.CYBER_CORRUPTION, InjectType.UPLINK_JAMMING):
        held = _with_status(
            make_state(injects=(_inject(kind, "JPN-GEO"),)), "JPN-GEO", AssetStatus.DISABLED, None, False
        )
        hits = 0
        for seed in range(12):
            events = adjudicate(held.model_copy(update={"seed": seed}))
            hits += bool(_of(events, InjectResolved)[0].details["hit"])
            assert not _of(events, AssetStatusChanged), kind
        assert hits > 0, kind
    # A worse status brings its own: destruction of a reversibly disabled asset is irreversible.
    asat = make_state(injects=(_inject(InjectType.DIRECT_ASCENT_ASAT, "USA-LEO"),))
    (change,) = _of(
        adjudicate(_with_status(asat, "USA-LEO", AssetStatus.DISABLED, 4, True)), AssetStatusChanged
    )
    assert (change.status, change.reversible) == (AssetStatus.DESTROYED, False)


def test_the_reversibility_rule() -> None:
    from wargame.adjudication.statuses import combined_reversible

    n, dg, ds, dx = AssetStatus.NOMINAL, AssetStatus.DEGRADED, AssetStatus.DISABLED, AssetStatus.DESTROYED
    assert combined_reversible(n, True, ds, False) is False
    assert combined_reversible(ds, False, dg, True) is False  # milder: the current one stands
    assert combined_reversible(ds, True, dg, False) is True
    assert combined_reversible(ds, True, ds, False) is False
    assert combined_reversible(ds, False, ds, True) is False
    assert combined_reversible(ds, True, dx, False) is False
    assert combined_reversible(n, True, n, False) is True  # nominal is never irreversible


def test_collisions_are_irreversible_and_recoveries_reversible() -> None:
    inject = _inject(
        InjectType.CONJUNCTION, "USA-LEO", secondary="DEB-1", miss_km=0.003, tca_offset_hours=2.0
    )
    collided = _of(adjudicate(make_state(injects=(inject,))), AssetStatusChanged)
    assert [e.reversible for e in collided] == [False, False]
    due = _with_status(make_state(move=3), "USA-WGS", AssetStatus.DEGRADED, 3, True)
    (recovered,) = _of(adjudicate(due), AssetStatusChanged)
    assert (recovered.status, recovered.cause) == (AssetStatus.NOMINAL, "recovered")
    assert recovered.reversible is True
