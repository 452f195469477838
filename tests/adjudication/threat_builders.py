"""A small allied scenario with missile warning and RF geolocation sensors, pictures applied."""

from __future__ import annotations

from adj_builders import geo, make_objects, make_ruleset, make_scenario, make_sensors, make_state

from wargame.adjudication import initial_pictures
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


def attribution_state(*injects: Inject, seed: int = 1) -> ExerciseState:
    """The small allied scenario plus a US missile-warning satellite and RF geolocation sensors
    (GBR in England, under Skynet's footprint; JPN in Japan), with initial pictures applied."""
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
    state = make_state(scenario=scenario, ruleset=ruleset, injects=injects, seed=seed)
    return apply_events(state, initial_pictures(state))
