"""The SSA capability score counts a nation's sensors, weighted by the ruleset."""

from __future__ import annotations

from tests.adjudication.adj_builders import make_state
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.scores import capability
from wargame.domain.common import AssetStatus, MissionArea
from wargame.domain.events import ExerciseCreated
from wargame.domain.evolve import initial_state
from wargame.domain.state import ExerciseState, SensorState
from wargame.scenario.loader import find_ruleset, find_scenario, load_ruleset, load_scenario


def _with_sensor_status(state: ExerciseState, statuses: dict[str, AssetStatus]) -> ExerciseState:
    sensors = dict(state.sensors)
    for sensor_id, status in statuses.items():
        owner = state.scenario.sensor(sensor_id).owner  # type: ignore[union-attr]
        sensors[sensor_id] = SensorState(id=sensor_id, owner=owner, status=status)
    return state.model_copy(update={"sensors": sensors})


def _with_weight(state: ExerciseState, weight: float | None) -> ExerciseState:
    rules = state.ruleset
    capability_rules = rules.capability.model_copy(update={"ssa_sensor_weight": weight})
    return state.model_copy(update={"ruleset": rules.model_copy(update={"capability": capability_rules})})


def test_disabled_sensors_lower_the_ssa_score_by_their_weight() -> None:
    state = _with_weight(make_state(), 1.0)
    usa_sensors = [s.id for s in state.scenario.sensors if s.owner == "USA"]
    assert len(usa_sensors) == 4
    assert capability(state, Truth.of(state))["USA"]["SSA"] == 1.0
    hit = _with_sensor_status(
        state, {usa_sensors[0]: AssetStatus.DISABLED, usa_sensors[1]: AssetStatus.DEGRADED}
    )
    degraded = state.ruleset.capability.service_by_status[AssetStatus.DEGRADED]
    assert capability(hit, Truth.of(hit))["USA"]["SSA"] == (0.0 + degraded + 1.0 + 1.0) / 4


def test_without_a_weight_sensors_do_not_count() -> None:
    state = _with_sensor_status(_with_weight(make_state(), None), {"FENCE": AssetStatus.DISABLED})
    assert "SSA" not in capability(state, Truth.of(state))["USA"]


def test_the_shipped_rulesets_count_ground_sensors_in_global_sentinel() -> None:
    """The measurement of issue 12: 5 of 7 USA SSA sensors disabled left the score at 1.00."""
    scenario = load_scenario(find_scenario("global-sentinel"))
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    state = initial_state("gs", ExerciseCreated(title="t", scenario=scenario, ruleset=ruleset, seed=1))
    weight = state.ruleset.capability.ssa_sensor_weight
    assert weight == 1.0
    usa_sensors = [s.id for s in state.scenario.sensors if s.owner == "USA"]
    usa_ssa_satellites = [
        o.id for o in state.scenario.objects if o.owner == "USA" and o.mission == MissionArea.SSA
    ]
    before = capability(state, Truth.of(state))["USA"]["SSA"]
    assert before == 1.0
    disabled = usa_sensors[:5]
    hit = _with_sensor_status(state, dict.fromkeys(disabled, AssetStatus.DISABLED))
    counted = len(usa_sensors) * weight + len(usa_ssa_satellites)
    assert capability(hit, Truth.of(hit))["USA"]["SSA"] == (counted - 5 * weight) / counted
