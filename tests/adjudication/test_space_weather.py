"""Storm severity (NOAA G1-G5) scales a space-weather inject's odds, its duration and LEO drag,
with the shipped standard ruleset's numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from adj_builders import adjudicate, make_ruleset, make_state, pictures_by_nation

from wargame.adjudication.catalog import build_catalog
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.orbits import REGIMES
from wargame.adjudication.space_weather import active_storm_levels, custody_growth_factor
from wargame.domain.common import InjectType
from wargame.domain.events import AssetStatusChanged, InjectResolved
from wargame.domain.inject_params import check_params
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState
from wargame.scenario.loader import find_ruleset, load_ruleset

STANDARD = load_ruleset(find_ruleset("standard"))
LEVELS = STANDARD.space_weather.levels if STANDARD.space_weather else {}


def _ruleset() -> Ruleset:
    """The test ruleset with the standard ruleset's storm levels and space-weather rule."""
    effects = dict(make_ruleset().effects)
    effects[InjectType.SPACE_WEATHER] = STANDARD.effects[InjectType.SPACE_WEATHER]
    return make_ruleset(effects=effects, space_weather=STANDARD.space_weather)


def _storm(**params: Any) -> Inject:
    return Inject(id="storm", title="storm", type=InjectType.SPACE_WEATHER, params=params)


def _state(inject: Inject, move: int = 1, released: int | None = None) -> ExerciseState:
    state = make_state(ruleset=_ruleset(), move=move, injects=(inject,))
    if released is not None:
        entry = state.injects["storm"].model_copy(update={"released_move": released, "resolved": True})
        state = state.model_copy(update={"injects": {"storm": entry}})
    return state


def test_the_standard_ruleset_defines_all_five_levels_in_rising_order() -> None:
    assert list(LEVELS) == ["G1", "G2", "G3", "G4", "G5"]
    factors = [level.p_factor for level in LEVELS.values()]
    drags = [level.leo_custody_growth_factor for level in LEVELS.values()]
    assert factors == sorted(factors) and drags == sorted(drags) and factors[0] < factors[-1]


@pytest.mark.parametrize("severity", ["G1", "G3", "G5"])
def test_severity_scales_the_odds_of_every_target(severity: str) -> None:
    resolved = next(e for e in adjudicate(_state(_storm(severity=severity))) if isinstance(e, InjectResolved))
    expected = min(1.0, STANDARD.effects[InjectType.SPACE_WEATHER].p_success * LEVELS[severity].p_factor)
    assert resolved.details["p_by_target"]
    p_by_target = resolved.details["p_by_target"]
    assert list(p_by_target.values()) == pytest.approx([expected] * len(p_by_target))


def test_without_a_severity_the_default_level_applies() -> None:
    resolved = next(e for e in adjudicate(_state(_storm())) if isinstance(e, InjectResolved))
    default = STANDARD.space_weather.default_severity if STANDARD.space_weather else "G3"
    assert resolved.p_success == pytest.approx(LEVELS[default].p_factor)


def test_a_severe_storm_lasts_its_levels_moves() -> None:
    changed = [e for e in adjudicate(_state(_storm(severity="G5"))) if isinstance(e, AssetStatusChanged)]
    assert changed and {e.until_move for e in changed} == {1 + LEVELS["G5"].duration_moves}
    short = _state(_storm(severity="G5", duration_moves=1))
    own = [e for e in adjudicate(short) if isinstance(e, AssetStatusChanged)]
    assert own and {e.until_move for e in own} == {2}


def test_drag_multiplies_leo_custody_growth_while_the_storm_lasts() -> None:
    state = _state(_storm(severity="G4"))
    catalog = build_catalog(state, Truth.of(state).orbits)
    factor = custody_growth_factor(state, catalog)
    assert factor is not None
    leo = catalog.regime_idx == REGIMES.index("LEO")
    assert leo.any() and (~leo).any()
    assert np.all(factor[leo] == LEVELS["G4"].leo_custody_growth_factor) and np.all(factor[~leo] == 1.0)
    last_move = LEVELS["G4"].duration_moves
    assert active_storm_levels(_state(_storm(severity="G4"), move=last_move, released=1))
    assert not active_storm_levels(_state(_storm(severity="G4"), move=last_move + 1, released=1))
    assert custody_growth_factor(make_state(ruleset=_ruleset()), catalog) is None


def test_a_storm_makes_unobserved_leo_tracks_worse_in_the_move() -> None:
    calm = make_state(ruleset=_ruleset())
    storm = _state(_storm(severity="G5"))
    sigma_calm = pictures_by_nation(calm, adjudicate(calm))
    sigma_storm = pictures_by_nation(storm, adjudicate(storm))
    state = make_state()
    catalog = build_catalog(state, Truth.of(state).orbits)
    leo = {catalog.ids[k] for k in np.flatnonzero(catalog.regime_idx == REGIMES.index("LEO"))}
    worse = 0
    for nation, rows in sigma_calm.items():
        for object_id, row in rows.items():
            other = sigma_storm[nation].get(object_id)
            if object_id in leo and other is not None and row["source"] != "own_asset":
                assert other["sigma_km"] >= row["sigma_km"]
                worse += other["sigma_km"] > row["sigma_km"]
            elif object_id not in leo and other is not None:
                assert other["sigma_km"] == row["sigma_km"]
    assert worse > 0


def test_severity_is_checked_where_input_enters() -> None:
    problems = check_params(InjectType.SPACE_WEATHER, {"severity": "G9"})
    assert problems and "severity" in str(problems)
