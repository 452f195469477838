"""A fused track keeps the holder's own part: the next move's prior and 'delayed' releases use it."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from adj_builders import make_ruleset, make_state
from pydantic import ValidationError

from wargame.adjudication import adjudicate_move
from wargame.adjudication.catalog import build_catalog
from wargame.adjudication.custody import prior_own_tracks
from wargame.adjudication.fusion import delayed_tracks
from wargame.adjudication.manoeuvres import Truth
from wargame.domain.common import SharingLevel
from wargame.domain.events import MoveAdvanced, PictureUpdated
from wargame.domain.evolve import evolve_body
from wargame.domain.state import TRACK_SOURCES, ExerciseState, NationState, TrackTable

FUSED = TRACK_SOURCES.index("fused")


def _sharing_state() -> ExerciseState:
    """USA and GBR share in full both ways; nobody starts with the public catalog."""
    rules = make_ruleset()
    rules = make_ruleset(custody=rules.custody.model_copy(update={"initial_custody": "own_sensors"}))
    state = make_state(ruleset=rules)
    nations = dict(state.nations)
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.FULL})
    nations["GBR"] = NationState(id="GBR", sharing={"USA": SharingLevel.FULL})
    return state.model_copy(update={"nations": nations})


def _after_move_1(state: ExerciseState) -> tuple[ExerciseState, dict[str, TrackTable]]:
    events = adjudicate_move(state)
    for body in events:
        state = evolve_body(state, body)
    state = evolve_body(state, MoveAdvanced(move=2, scenario_time=state.move_start(2)))
    return state, {e.nation: e.tracks for e in events if isinstance(e, PictureUpdated)}


def test_fused_rows_carry_the_own_part_and_it_is_never_tighter_than_the_fused_track() -> None:
    _, tables = _after_move_1(_sharing_state())
    checked = 0
    for nation in ("USA", "GBR"):
        table = tables[nation]
        fused_rows = [i for i, code in enumerate(table.source) if code == FUSED]
        assert fused_rows, f"{nation} should fuse some objects with its partner"
        assert list(table.own_part_rows) == fused_rows  # every fused row rests on own observations
        for row, own_sigma, own_obs in zip(
            table.own_part_rows, table.own_part_sigma_km, table.own_part_observed_min, strict=True
        ):
            assert own_sigma >= table.sigma_km[row] - 1e-4  # fusion only adds information
            assert own_obs <= (table.observed_min[row] or 0.0) + 1e-3
            checked += 1
        assert "own_part_rows" not in table.rows()[0]  # viewers get Track rows only
    assert checked


def test_next_move_prior_starts_from_the_own_part_not_from_nothing() -> None:
    state, tables = _after_move_1(_sharing_state())
    catalog = build_catalog(state, Truth.of(state).orbits)
    sigma, obs = prior_own_tracks(
        state.nations, catalog, state.ruleset.custody, state.scenario.start_time, state.move_start(2)
    )
    gbr = catalog.nations.index("GBR")
    table = tables["GBR"]
    for row, own_sigma, own_obs in zip(
        table.own_part_rows, table.own_part_sigma_km, table.own_part_observed_min, strict=True
    ):
        k = catalog.index[table.object_ids[row]]
        # initial_custody 'own_sensors': without the own part the prior would be no estimate.
        assert sigma[gbr, k] == pytest.approx(own_sigma)
        assert obs[gbr, k] == pytest.approx(own_obs - state.scenario.move_length_hours * 60.0)


def test_delayed_release_carries_the_own_part_grown_but_nothing_received() -> None:
    state, tables = _after_move_1(_sharing_state())
    nations = dict(state.nations)  # as in move 3: the move-1 picture is the previous one
    nations["GBR"] = nations["GBR"].model_copy(update={"previous_picture": tables["GBR"]})
    catalog = build_catalog(state, Truth.of(state).orbits)
    move_start, move_end = state.move_start(2), state.move_start(3)
    sigma, _obs = delayed_tracks(
        nations, catalog, state.ruleset.custody, state.move_start(1), move_start, move_end
    )
    grow_km = state.ruleset.custody.growth_km_per_hour * (move_end - state.move_start(1)) / timedelta(hours=1)
    gbr = catalog.nations.index("GBR")
    table = tables["GBR"]
    own_part = dict(zip(table.own_part_rows, table.own_part_sigma_km, strict=True))
    for row, code in enumerate(table.source):
        k = catalog.index[table.object_ids[row]]
        if code == FUSED:
            assert sigma[gbr, k] == pytest.approx(own_part[row] + grow_km)
        elif TRACK_SOURCES[code] == "shared":
            assert np.isinf(sigma[gbr, k])  # USA's data is never re-released by GBR


def test_tables_without_own_parts_dump_as_before_and_bad_columns_are_refused() -> None:
    empty = TrackTable().model_dump(mode="json")
    assert not {"own_part_rows", "own_part_sigma_km", "own_part_observed_min"} & set(empty)
    one_row = dict(
        object_ids=("X",), sigma_km=(1.0,), source=(FUSED,), contributors=(3,), observed_min=(5.0,),
        lat_deg=(0.0,), lon_deg=(0.0,), alt_km=(500.0,), regime=(0,),
    )
    with pytest.raises(ValidationError, match="must match own_part_rows"):
        TrackTable(**one_row, own_part_rows=(0,), own_part_sigma_km=())
    with pytest.raises(ValidationError, match="must index rows"):
        TrackTable(**one_row, own_part_rows=(1,), own_part_sigma_km=(2.0,), own_part_observed_min=(1.0,))
