"""Effects on sensors: a disabled radar observes nothing, a degraded one at half weight, until it
recovers; its owner is told, nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from adj_builders import KNOWN_BLOBS, adjudicate, make_ruleset, make_state, pictures_by_nation

from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import (
    AssetStatusChanged,
    DebrisCreated,
    EventBody,
    InjectResolved,
    MoveAdvanced,
)
from wargame.domain.evolve import evolve_body
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState

RADAR = "FYLINGDALES"
"""GBR's only sensor in the test scenario (a LEO radar)."""


def _rules(status: AssetStatus, p_success: float = 1.0) -> Ruleset:
    rules = make_ruleset()
    outage = rules.effects[InjectType.CYBER_CORRUPTION].model_copy(
        update={"status": status, "duration_moves": 2, "targets": ("objects", "sensors"),
                "observable_by": "owner", "p_success": p_success}
    )
    return make_ruleset(effects={**rules.effects, InjectType.CYBER_CORRUPTION: outage})


def _hit_radar(status: AssetStatus, p_success: float = 1.0) -> tuple[ExerciseState, list[EventBody]]:
    """Move 1 adjudicated with a cyber attack on the radar (a miss with p_success 0); move 2 open."""
    inject = Inject(id="hack", title="radar network wiped", type=InjectType.CYBER_CORRUPTION, target=RADAR,
                    actor="RED")
    state = make_state(ruleset=_rules(status, p_success), injects=(inject,))
    events = adjudicate(state)
    for body in events:
        state = evolve_body(state, body)
    state = evolve_body(state, MoveAdvanced(move=2, scenario_time=state.move_start(2)))
    return state, events


def _gbr_picture(state: ExerciseState) -> dict[str, dict[str, Any]]:
    return pictures_by_nation(state, adjudicate(state), KNOWN_BLOBS)["GBR"]


def _own_passes(rows: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Objects GBR itself observed this move (not its own payloads), with their sigma."""
    return {
        obj: row["sigma_km"]
        for obj, row in rows.items()
        if row["age_min"] is not None and row["age_min"] <= 360.0 and "GBR" in row["contributors"]
        and row["source"] != "owner"
    }


def test_a_hit_sensor_gets_a_status_told_to_its_owner_and_no_debris() -> None:
    state, events = _hit_radar(AssetStatus.DISABLED)
    (change,) = [e for e in events if isinstance(e, AssetStatusChanged)]
    assert (change.asset_id, change.owner, change.status, change.until_move) == (
        RADAR, "GBR", AssetStatus.DISABLED, 3)
    assert change.observers == () and change.noticed_by_owner
    assert not [e for e in events if isinstance(e, DebrisCreated)]
    assert state.sensors[RADAR].status is AssetStatus.DISABLED
    assert RADAR not in state.assets


def test_a_disabled_radar_observes_nothing_and_a_degraded_one_at_half_weight() -> None:
    healthy, missed = _hit_radar(AssetStatus.DISABLED, p_success=0.0)
    assert not [e for e in missed if isinstance(e, AssetStatusChanged)]
    seen = _own_passes(_gbr_picture(healthy))
    assert seen, "Fylingdales should see some LEO objects in six hours"
    disabled, _ = _hit_radar(AssetStatus.DISABLED)
    assert _own_passes(_gbr_picture(disabled)) == {}
    degraded, _ = _hit_radar(AssetStatus.DEGRADED)
    half = _own_passes(_gbr_picture(degraded))
    assert set(half) == set(seen)
    assert all(half[obj] > seen[obj] for obj in seen)  # half the information: a larger sigma


def test_the_sensor_recovers_when_its_duration_ends() -> None:
    state, _ = _hit_radar(AssetStatus.DISABLED)
    state = evolve_body(state, MoveAdvanced(move=3, scenario_time=state.move_start(3)))
    events = adjudicate(state)
    recovered = [e for e in events if isinstance(e, AssetStatusChanged) and e.asset_id == RADAR]
    assert [(e.status, e.cause) for e in recovered] == [(AssetStatus.NOMINAL, "recovered")]
    assert _own_passes(_gbr_picture(evolve_body(state, recovered[0])))


def test_a_rule_for_objects_only_leaves_sensors_alone() -> None:
    """The ruleset, not the code, says which effects can hit sensors: with the default
    `targets` (objects only) a sensor target is skipped, and the rule dumps without the key."""
    rules = make_ruleset()
    assert rules.effects[InjectType.CYBER_CORRUPTION].targets == ("objects",)
    assert "targets" not in rules.effects[InjectType.CYBER_CORRUPTION].model_dump(mode="json")
    inject = Inject(id="hack", title="radar network wiped", type=InjectType.CYBER_CORRUPTION, target=RADAR,
                    actor="RED")
    events = adjudicate(make_state(ruleset=rules, injects=(inject,)))
    assert not [e for e in events if isinstance(e, AssetStatusChanged)]
    (resolved,) = [e for e in events if isinstance(e, InjectResolved)]
    assert resolved.outcome == "no target" and not resolved.succeeded


@pytest.mark.parametrize("status", [AssetStatus.DEGRADED, AssetStatus.DISABLED])
def test_sensor_status_survives_a_json_round_trip(status: AssetStatus) -> None:
    state, _ = _hit_radar(status)
    again = ExerciseState.model_validate_json(state.model_dump_json())
    assert again.sensors == state.sensors and again.sensors[RADAR].status is status
