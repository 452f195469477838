"""A small allied scenario with missile warning and RF geolocation sensors, pictures applied."""

from __future__ import annotations

from adj_builders import (
    geo,
    initial,
    make_objects,
    make_ruleset,
    make_scenario,
    make_sensors,
    make_state,
)

from wargame.domain.common import MissionArea
from wargame.domain.events import EventBody
from wargame.domain.evolve import evolve_body
from wargame.domain.scenario_model import Inject, Sensor, SpaceObject
from wargame.domain.state import ExerciseState

RULES = make_ruleset()


def apply_events(state: ExerciseState, bodies: list[EventBody]) -> ExerciseState:
    for body in bodies:
        state = evolve_body(state, body)
    return state


def attribution_state(*injects: Inject, seed: int = 1, catalog_denied: tuple[str, ...] = ()) -> ExerciseState:
    """The small allied scenario plus a US missile-warning satellite and RF geolocation sensors
    (GBR in England, under Skynet's footprint; JPN in Japan), with initial pictures applied.
    The nations of `catalog_denied` do not have the public catalog."""
    models = {
        **RULES.sensor_models,
        "rf_geo": RULES.sensor_models["radar_deep"].model_copy(update={"type": "rf"}),
    }
    ruleset = make_ruleset(sensor_models=models)
    sbirs = SpaceObject(
        id="USA-SBIRS", name="SBIRS", owner="USA", mission=MissionArea.MISSILE_WARNING, orbit=geo(-60.0)
    )
    sensors = (
        *make_sensors(),
        Sensor(id="GBR-RF", name="RF", owner="GBR", model="rf_geo", lat_deg=51.0, lon_deg=-1.0),
        Sensor(id="JPN-RF", name="RF", owner="JPN", model="rf_geo", lat_deg=35.0, lon_deg=139.0),
    )
    scenario = make_scenario(objects=(*make_objects(), sbirs), sensors=sensors)
    nations = tuple(
        n.model_copy(update={"public_catalog": n.id not in catalog_denied}) for n in scenario.nations
    )
    scenario = scenario.model_copy(update={"nations": nations})
    state = make_state(scenario=scenario, ruleset=ruleset, injects=injects, seed=seed)
    return apply_events(state, initial(state))
