"""Custody records: own tracks only, stored compactly, and the pictures fused from them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from adj_builders import after, make_ruleset, make_state, picture_blobs, pictures_by_nation

from wargame.adjudication import adjudicate_move
from wargame.adjudication.picture_set import custody_from, fused_from_records
from wargame.adjudication.records import (
    RecordFormatError,
    decode_custody,
    encode_custody,
    quantize_sigma_km,
    sigma_from_code,
    stored_sigma_km,
)
from wargame.domain.common import SharingLevel
from wargame.domain.events import MoveAdvanced, PictureUpdated
from wargame.domain.evolve import evolve_body
from wargame.domain.state import ExerciseState, NationState


def _sharing_state(catalog: bool = False) -> ExerciseState:
    """USA and GBR share in full both ways; with catalog=False nobody has the public catalog."""
    rules = make_ruleset()
    if not catalog:
        rules = make_ruleset(custody=rules.custody.model_copy(update={"initial_custody": "own_sensors"}))
    state = make_state(ruleset=rules)
    nations = dict(state.nations)
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.FULL})
    nations["GBR"] = NationState(id="GBR", sharing={"USA": SharingLevel.FULL})
    return state.model_copy(update={"nations": nations})


def _move(state: ExerciseState, blobs: dict[str, bytes]) -> tuple[ExerciseState, list, dict[str, bytes]]:  # type: ignore[type-arg]
    events = adjudicate_move(state, blobs)
    blobs = picture_blobs(events, blobs)
    state = after(state, events)
    following = state.move + 1
    state = evolve_body(state, MoveAdvanced(move=following, scenario_time=state.move_start(following)))
    return state, events, blobs


def test_sigma_codes_are_within_two_percent_and_monotonic() -> None:
    sigma = np.geomspace(0.001, 60.0, 2000)
    stored = stored_sigma_km(sigma)
    assert np.all(np.abs(stored / sigma - 1.0) <= 0.022)
    assert np.all(np.diff(quantize_sigma_km(sigma).astype(int)) >= 0)
    assert sigma_from_code(quantize_sigma_km(np.array([0.5])))[0] == pytest.approx(0.5, rel=0.022)


def test_a_record_round_trips_and_garbage_is_refused() -> None:
    _state, events, blobs = _move(_sharing_state(catalog=True), {})
    ref = next(e.picture for e in events if isinstance(e, PictureUpdated) and e.picture)
    record = custody_from(blobs, ref.pictures.custody)
    assert record is not None and record.move == 1
    again = decode_custody(encode_custody(record))
    assert np.array_equal(again.own_sigma_km, record.own_sigma_km)
    assert np.array_equal(again.own_age_min, record.own_age_min, equal_nan=True)
    assert np.array_equal(again.owner, record.owner) and again.releases == record.releases
    assert len(blobs[ref.pictures.custody]) < 40 * record.n_obj * len(record.nations)
    with pytest.raises(RecordFormatError):
        decode_custody(b"not a record")


def test_own_tracks_never_hold_what_a_partner_released() -> None:
    state, events, blobs = _move(_sharing_state(), {})
    pictures = pictures_by_nation(make_state(), events, blobs)
    ref = next(e.picture for e in events if isinstance(e, PictureUpdated) and e.picture)
    record = custody_from(blobs, ref.pictures.custody)
    assert record is not None
    ids = state.object_ids()
    gbr = record.nations.index("GBR")
    shared = [o for o, row in pictures["GBR"].items() if row["source"] == "shared"]
    assert shared, "GBR should hold objects only USA observed"
    for object_id in shared:
        assert np.isinf(record.own_sigma_km[gbr, ids.index(object_id)])  # not a prior next move
    fused = [o for o, row in pictures["GBR"].items() if row["source"] == "fused"]
    for object_id in fused:
        own = record.own_sigma_km[gbr, ids.index(object_id)]
        assert own >= pictures["GBR"][object_id]["sigma_km"] - 1e-9  # fusion only adds information


def test_the_next_move_starts_from_the_own_record_and_delayed_releases_are_a_move_old() -> None:
    state, _events, blobs = _move(_sharing_state(), {})
    nations = dict(state.nations)
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.DELAYED})
    nations["GBR"] = NationState(id="GBR")
    state = state.model_copy(update={"nations": nations})
    state, events, blobs = _move(state, blobs)
    first, second = state.pictures[-2], state.pictures[-1]
    record_1 = custody_from(blobs, first.custody)
    record_2 = custody_from(blobs, second.custody)
    assert record_1 is not None and record_2 is not None
    assert second.previous_custody == first.custody
    fused = fused_from_records(record_2, record_1, state.ruleset)
    usa, gbr = record_2.nations.index("USA"), record_2.nations.index("GBR")
    grow_km = state.ruleset.custody.growth_km_per_hour * 6.0
    only_delayed = np.flatnonzero(fused.delayed_only[gbr])
    assert only_delayed.size, "GBR should hold objects only through USA's delayed release"
    for k in only_delayed:
        assert fused.sigma_km[gbr, k] == pytest.approx(record_1.own_sigma_km[usa, k] + grow_km)
    rendered = pictures_by_nation(state, events, blobs)["GBR"]
    ids = state.object_ids()
    for k in only_delayed[:20]:
        assert rendered[ids[k]]["delayed"] is True
    assert record_2.epoch - record_1.epoch == timedelta(hours=6)
