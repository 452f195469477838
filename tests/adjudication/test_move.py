"""The public API: event order, determinism, initial pictures, manoeuvres and recoveries."""

from __future__ import annotations

import numpy as np
from adj_builders import after, make_state, picture_blobs, pictures_by_nation

from wargame.adjudication import adjudicate_move, initial_pictures
from wargame.adjudication.picture_set import custody_from
from wargame.adjudication.records import stored_sigma_km
from wargame.domain.common import AssetStatus, InjectType, SharingLevel
from wargame.domain.events import (
    AntiJamSet,
    AssetStatusChanged,
    ManoeuvreExecuted,
    MoveAdjudicated,
    PictureUpdated,
)
from wargame.domain.orders import AntiJamOrder, ManoeuvreOrder
from wargame.domain.scenario_model import Inject, KeplerianOrbit
from wargame.domain.state import ExerciseState, NationState, SubmittedOrder

ORDER = [
    "anti_jam_set",
    "manoeuvre_executed",
    "asset_status_changed",
    "inject_resolved",
    "picture_updated",
    "conjunction_warning",
    "close_approach_detected",
    "team_notified",
    "move_adjudicated",
]


def _busy_state() -> ExerciseState:
    injects = (
        Inject(id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET"),
        Inject(id="sw", title="storm", type=InjectType.SPACE_WEATHER),
        Inject(
            id="rpo",
            title="rpo",
            type=InjectType.CLOSE_APPROACH,
            target="JPN-IGS",
            params={"approacher": "RED-INSP", "range_km": 4.0},
        ),
    )
    state = make_state(injects=injects, seed=42)
    nations = dict(state.nations)
    orders = {
        "a": SubmittedOrder(
            order_id="a",
            nation="GBR",
            move=1,
            order=AntiJamOrder(kind="anti_jam", asset_id="GBR-SKYNET", enabled=True),
        ),
        "b": SubmittedOrder(
            order_id="b",
            nation="GBR",
            move=1,
            order=ManoeuvreOrder(
                kind="manoeuvre", asset_id="GBR-SKYNET", dv_m_per_s=1.5, purpose="reposition"
            ),
        ),
    }
    nations["GBR"] = NationState(id="GBR", orders=orders, sharing={"USA": SharingLevel.FULL})
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.DEGRADED, "JPN": SharingLevel.FULL})
    return state.model_copy(update={"nations": nations})


def test_event_order_follows_the_contract() -> None:
    events = adjudicate_move(_busy_state())
    kinds = [e.type for e in events]
    ranks: list[int] = []
    in_injects = False
    for kind in kinds:
        in_injects = in_injects or kind == "inject_resolved"
        in_step_4 = in_injects and kind in ("manoeuvre_executed", "asset_status_changed")
        ranks.append(3 if in_step_4 else ORDER.index(kind))
    assert kinds[0] == "anti_jam_set" and kinds[1] == "manoeuvre_executed"
    assert ranks == sorted(ranks), kinds
    assert kinds[-1] == "move_adjudicated"
    assert [e.nation for e in events if isinstance(e, PictureUpdated)] == ["USA", "GBR", "JPN"]


def test_deterministic_and_replayable_from_json() -> None:
    state = _busy_state()
    first = [e.model_dump_json() for e in adjudicate_move(state)]
    second = [e.model_dump_json() for e in adjudicate_move(state)]
    assert first == second
    reloaded = ExerciseState.model_validate_json(state.model_dump_json())
    assert [e.model_dump_json() for e in adjudicate_move(reloaded)] == first
    other_seed = state.model_copy(update={"seed": 43})
    assert adjudicate_move(other_seed)[-1].type == "move_adjudicated"


def test_initial_pictures_one_per_played_nation() -> None:
    state = make_state(move=0, phase="setup")
    pictures = initial_pictures(state)
    assert [p.nation for p in pictures if isinstance(p, PictureUpdated)] == ["USA", "GBR", "JPN"]
    usa = pictures_by_nation(state, pictures)["USA"]
    assert usa["USA-GPS"]["source"] == "owner" and usa["USA-GPS"]["sigma_km"] == 0.05
    assert usa["DEB-1"]["source"] == "catalog" and usa["DEB-1"]["sigma_km"] == 1.0
    assert usa["DEB-1"]["age_min"] is None and not usa["DEB-1"]["contributors"]
    assert len(usa) == len(state.assets)
    assert [p.model_dump_json() for p in initial_pictures(state)] == [p.model_dump_json() for p in pictures]


def test_manoeuvre_validation_and_orbit() -> None:
    state = make_state()
    orders = {
        "ok": ManoeuvreOrder(kind="manoeuvre", asset_id="USA-GPS", dv_m_per_s=-2.0),
        "too_much": ManoeuvreOrder(kind="manoeuvre", asset_id="USA-LEO", dv_m_per_s=45.0),
        "not_mine": ManoeuvreOrder(kind="manoeuvre", asset_id="GBR-SKYNET", dv_m_per_s=1.0),
        "over_max": ManoeuvreOrder(kind="manoeuvre", asset_id="USA-WGS", dv_m_per_s=60.0),
    }
    nations = dict(state.nations)
    nations["USA"] = NationState(
        id="USA",
        orders={k: SubmittedOrder(order_id=k, nation="USA", move=1, order=o) for k, o in orders.items()},
    )
    events = adjudicate_move(state.model_copy(update={"nations": nations}))
    done = [e for e in events if isinstance(e, ManoeuvreExecuted)]
    assert [e.asset_id for e in done] == ["USA-GPS"]
    assert done[0].propellant_dv_m_per_s == 28.0
    assert isinstance(done[0].orbit, KeplerianOrbit)
    assert done[0].orbit.epoch == state.move_start(1)
    assert done[0].orbit.semi_major_axis_km < 26560.0


def test_recovery_and_anti_jam_capability() -> None:
    state = make_state(move=3)
    assets = dict(state.assets)
    assets["USA-WGS"] = assets["USA-WGS"].model_copy(
        update={"status": AssetStatus.DEGRADED, "status_until_move": 3}
    )
    assets["JPN-GEO"] = assets["JPN-GEO"].model_copy(
        update={"status": AssetStatus.DISABLED, "status_until_move": 5}
    )
    nations = dict(state.nations)
    nations["GBR"] = NationState(
        id="GBR",
        orders={
            "x": SubmittedOrder(
                order_id="x",
                nation="GBR",
                move=3,
                order=AntiJamOrder(kind="anti_jam", asset_id="GBR-SKYNET", enabled=True),
            )
        },
    )
    events = adjudicate_move(state.model_copy(update={"assets": assets, "nations": nations}))
    recovered = [e for e in events if isinstance(e, AssetStatusChanged)]
    assert [(e.asset_id, e.status, e.cause) for e in recovered] == [
        ("USA-WGS", AssetStatus.NOMINAL, "recovered")
    ]
    assert any(isinstance(e, AntiJamSet) and e.enabled for e in events)
    summary = next(e for e in events if isinstance(e, MoveAdjudicated))
    assert summary.capability["USA"]["SATCOM"] == 1.0
    assert summary.capability["JPN"]["SATCOM"] == 0.0
    assert summary.capability["GBR"]["SATCOM"] == 0.7
    assert summary.shared_products["USA"] == {"GBR": "withhold", "JPN": "withhold"}


def test_custody_grows_across_moves_without_observation() -> None:
    state = make_state()
    first = adjudicate_move(state)
    blobs = picture_blobs(first)
    second_state = after(state, first).model_copy(update={"move": 2})
    second = adjudicate_move(second_state, blobs)
    blobs = picture_blobs(second, blobs)
    before = custody_from(blobs, second_state.pictures[-1].custody)
    now = custody_from(blobs, after(second_state, second).pictures[-1].custody)
    assert before is not None and now is not None
    gbr = now.nations.index("GBR")
    grow = state.ruleset.custody.growth_km_per_hour * 6.0
    unobserved = np.flatnonzero(np.isfinite(now.own_sigma_km[gbr]) & (now.own_age_min[gbr] >= 360.0))
    assert unobserved.size
    for k in unobserved:
        assert now.own_age_min[gbr, k] == before.own_age_min[gbr, k] + 360.0
        assert now.own_sigma_km[gbr, k] == stored_sigma_km(np.array([before.own_sigma_km[gbr, k] + grow]))[0]


def test_precise_custody_counts_the_tracks_at_conjunction_grade() -> None:
    events = adjudicate_move(_busy_state())
    summary = next(e for e in events if isinstance(e, MoveAdjudicated))
    precise_km = _busy_state().ruleset.custody.precise_sigma_km
    pictures = pictures_by_nation(_busy_state(), events)
    assert set(summary.precise_custody) == set(pictures)
    for nation, rows in pictures.items():
        assert summary.precise_custody[nation] == sum(r["sigma_km"] <= precise_km for r in rows.values())
        assert summary.precise_custody[nation] <= summary.custody[nation]
    # The owners' telemetry is precise: each nation has at least its own payloads.
    assert all(count > 0 for count in summary.precise_custody.values())
    # An event from before the field existed dumps (and hashes) as it did.
    old = MoveAdjudicated(move=1, escalation_level=0, capability={}, custody={}, shared_products={})
    assert "precise_custody" not in old.model_dump(mode="json")


def test_a_ruleset_recorded_before_the_custody_keys_adjudicates_as_it_did() -> None:
    from wargame.domain.ruleset_model import Ruleset

    state = _busy_state()
    data = state.ruleset.model_dump(mode="json")
    for key in ("manoeuvre_drift_factor", "precise_sigma_km"):
        del data["custody"][key]
    old_rules = Ruleset.model_validate(data)  # what an older exercise_created event holds
    events = adjudicate_move(state.model_copy(update={"ruleset": old_rules}))
    summary = next(e for e in events if isinstance(e, MoveAdjudicated))
    assert summary.precise_custody == {} and "precise_custody" not in summary.model_dump(mode="json")
