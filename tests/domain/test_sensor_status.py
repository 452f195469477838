"""Sensor statuses in the domain: who sees them, restoring them, and ad-hoc injects aimed at them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import EffectsAdjudicator, FakeAdjudicator, make_created, run_command, service_at_move_2
from wargame.domain.common import AssetStatus
from wargame.domain.events import ExerciseCreated
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

EX = "ex-sensors"
@pytest.fixture
def service() -> ExerciseService:
    """Move 2 is open; move 1 disabled GBR's radar 'fyl' until move 3 (among other effects)."""
    return service_at_move_2(EX, EffectsAdjudicator())


def _sensor(svc: ExerciseService, viewer: str, sensor_id: str) -> dict[str, Any]:
    view = view_for(viewer, svc.state(EX))
    assert view is not None
    return next(s for s in view["sensors"] if s["id"] == sensor_id)


def test_only_the_owner_and_control_see_a_sensor_status(service: ExerciseService) -> None:
    assert service.state(EX).sensors["fyl"].status is AssetStatus.DISABLED
    gbr = _sensor(service, "team:GBR", "fyl")
    assert (gbr["status"], gbr["status_until_move"]) == ("disabled", 3)
    assert "status" not in _sensor(service, "team:USA", "fyl")  # a partner's sensor: no status
    assert _sensor(service, "team:GBR", "fence").keys() == _sensor(service, "team:USA", "fyl").keys()
    control = _sensor(service, "white_cell", "fyl")
    assert (control["status"], control["cause"], control["status_reversible"]) == (
        "disabled", "inject:INJ-S", True)
    assert _sensor(service, "white_cell", "fence")["status"] == "nominal"
    (event,) = [e for e in service.store.read_after(EX, 0) if getattr(e.body, "asset_id", "") == "fyl"]
    assert view_for("team:USA", event) is None and view_for("observer", event) is None
    assert view_for("team:GBR", event) is not None


def test_the_white_cell_restores_a_sensor(service: ExerciseService) -> None:
    result = run_command(service, EX, "white_cell",
                         {"type": "restore_asset", "asset_id": "fyl", "reason": "network rebuilt"})
    assert result["status"] == "accepted", result
    assert _sensor(service, "team:GBR", "fyl")["status"] == "nominal"
    assert service.state(EX).sensors["fyl"].status is AssetStatus.NOMINAL


def test_ad_hoc_injects_hit_sensors_only_where_the_ruleset_allows() -> None:
    service = service_at_move_2(EX, FakeAdjudicator())
    data = {"type": "adhoc_inject", "inject_type": "uplink_jamming", "title": "jam the radar link",
            "target": "fence", "actor": "RED", "recipients": ["USA"]}
    before = service.state(EX).model_dump_json()
    refused = run_command(service, EX, "white_cell", data)
    assert (refused["status"], refused["code"]) == ("rejected", "invalid")
    assert "effects.uplink_jamming.targets in ruleset" in refused["message"]
    assert service.state(EX).model_dump_json() == before
    unknown = run_command(service, EX, "white_cell", {**data, "target": "nowhere"})
    assert unknown["code"] == "unknown_target" and "no space object or sensor 'nowhere'" in unknown["message"]

    created = make_created()
    effects = dict(created.ruleset.effects)
    both = {"targets": ("objects", "sensors")}
    effects["uplink_jamming"] = effects["uplink_jamming"].model_copy(update=both)
    ruleset = created.ruleset.model_copy(update={"effects": effects})
    allowing = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    allowing.create(EX, ExerciseCreated(title=created.title, scenario=created.scenario, ruleset=ruleset,
                                        seed=created.seed))
    assert run_command(allowing, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    assert run_command(allowing, EX, "white_cell", data)["status"] == "accepted"
    view = view_for("white_cell", allowing.state(EX))
    assert view is not None and view["sensor_inject_types"] == ["uplink_jamming"]


def test_a_scenario_names_each_sensor_and_object_once_and_targets_must_exist() -> None:
    from pydantic import ValidationError

    from tests.factories import scenario_data
    from wargame.domain.scenario_model import Scenario

    data = scenario_data()
    object_id = data["objects"][0]["id"]
    clash = {**data, "sensors": [{**data["sensors"][0], "id": object_id}, *data["sensors"][1:]]}
    with pytest.raises(ValidationError, match=f"sensor id '{object_id}' also names an object"):
        Scenario.model_validate(clash)
    msel = list(data.get("msel", []))
    inject = {"id": "hit", "title": "t", "move": 1, "type": "uplink_jamming", "target": "nowhere"}
    with pytest.raises(ValidationError, match=r"unknown target 'nowhere' \(neither an object nor a sensor\)"):
        Scenario.model_validate({**data, "msel": [*msel, inject]})
    on_sensor = Scenario.model_validate({**data, "msel": [*msel, {**inject, "target": "fyl"}]})
    assert on_sensor.msel[-1].target == "fyl"
