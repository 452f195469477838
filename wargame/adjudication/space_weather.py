"""Geomagnetic storm severity (NOAA G1-G5): a storm's odds, its duration and its drag on LEO custody."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog
from wargame.adjudication.orbits import REGIMES
from wargame.domain.common import InjectType
from wargame.domain.inject_params import SpaceWeatherParams, recorded_params
from wargame.domain.ruleset_model import Ruleset, StormLevel
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]
LEO = REGIMES.index("LEO")


def storm_level(rules: Ruleset, inject: Inject) -> StormLevel | None:
    """The ruleset's level for a space-weather inject: its params' `severity`, else the
    ruleset's `space_weather.default_severity`; None for other types or a ruleset without levels."""
    if inject.type is not InjectType.SPACE_WEATHER or rules.space_weather is None:
        return None
    params = recorded_params(inject.type, inject.params)
    own = params.severity if isinstance(params, SpaceWeatherParams) else None
    return rules.space_weather.levels[own or rules.space_weather.default_severity]


def storm_moves(rules: Ruleset, inject: Inject) -> int:
    """Moves a storm's drag lasts, from the move it is released: its params' duration_moves,
    else its level's (at least the move it arrives in)."""
    level = storm_level(rules, inject)
    params = recorded_params(inject.type, inject.params)
    own = params.duration_moves if isinstance(params, SpaceWeatherParams) else None
    moves = own if own is not None else level.duration_moves if level is not None else 1
    return max(moves, 1)


def active_storm_levels(state: ExerciseState) -> list[StormLevel]:
    """Levels of the storms released in this move or lasting into it."""
    levels = []
    for entry in state.injects.values():
        released = entry.released_move
        level = storm_level(state.ruleset, entry.inject)
        if level is None or released is None:
            continue
        if released <= state.move < released + storm_moves(state.ruleset, entry.inject):
            levels.append(level)
    return levels


def custody_growth_factor(state: ExerciseState, catalog: Catalog) -> F64 | None:
    """(n_obj,) factor on custody.growth_km_per_hour this move: the strongest active storm's
    leo_custody_growth_factor on LEO objects (drag the catalog's orbits do not model), 1 elsewhere;
    None when no storm is active."""
    levels = active_storm_levels(state)
    if not levels:
        return None
    factor = max(level.leo_custody_growth_factor for level in levels)
    return np.where(catalog.regime_idx == LEO, factor, 1.0)
