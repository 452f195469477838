"""Ad-hoc inject params are checked in decide: a bad one is refused, nothing changes, play goes on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import run_command
from tests.scenario.test_shipped_scenarios import load
from wargame.domain.events import ExerciseCreated, InjectReleased, InjectResolved, ManoeuvreExecuted
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, load_ruleset
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EX = "adhoc-params"
APPROACH = {
    "type": "adhoc_inject",
    "inject_type": "close_approach",
    "title": "Inspector closes on Kirameki-1",
    "target": "jpn-kirameki-1",
    "actor": "RED",
    "recipients": ["JPN"],
    "params": {"approacher": "red-inspector-1", "range_km": 5.0},
}


@pytest.fixture(scope="module")
def tutorial_service() -> tuple[ExerciseService, MemoryEventStore]:
    scenario = load("tutorial")
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    created = ExerciseCreated(title=scenario.title, scenario=scenario, ruleset=ruleset, seed=scenario.seed)
    service.create(EX, created)
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return service, store


def _refused(service: ExerciseService, store: MemoryEventStore, data: dict[str, Any]) -> dict[str, Any]:
    before = service.state(EX).model_dump_json()
    count = len(store.read_after(EX, 0))
    result = run_command(service, EX, "white_cell", data)
    assert result["status"] == "rejected", result
    assert service.state(EX).model_dump_json() == before
    assert len(store.read_after(EX, 0)) == count
    return result


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"approacher": "red-inspector-1", "range_km": "five"},
            "invalid",
            "close_approach inject: params.range_km: Input should be a valid number, "
            "unable to parse string as a number (got 'five')",
        ),
        (
            {"approacher": "red-inspector-1", "range_km": -5},
            "invalid",
            "close_approach inject: params.range_km: Input should be greater than 0 (got -5)",
        ),
        (
            {"approacher": "red-inspector-1", "range_km": 5, "duration_hours": 2},
            "invalid",
            "close_approach inject: params.duration_hours: not a parameter of close_approach "
            "injects (they take approacher, range_km)",
        ),
        ({"range_km": 5}, "invalid", "close_approach inject: params.approacher: Field required"),
        (
            {"approacher": "red-inspektor", "range_km": 5},
            "unknown_target",
            "params.approacher: no space object 'red-inspektor'",
        ),
        (
            {"approacher": "jpn-kirameki-1", "range_km": 5},
            "invalid",
            "params.approacher: 'jpn-kirameki-1' is the target itself",
        ),
    ],
)
def test_bad_adhoc_params_are_refused_and_change_nothing(
    tutorial_service: tuple[ExerciseService, MemoryEventStore],
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    service, store = tutorial_service
    result = _refused(service, store, {**APPROACH, "params": params})
    assert (result["code"], result["message"]) == (code, message)


def test_after_a_refused_five_km_the_next_advance_succeeds(
    tutorial_service: tuple[ExerciseService, MemoryEventStore],
) -> None:
    service, store = tutorial_service
    _refused(service, store, {**APPROACH, "params": {"approacher": "red-inspector-1", "range_km": "five"}})
    storm = {"type": "adhoc_inject", "inject_type": "space_weather", "title": "G3", "params": {"g_level": 3},
             "releasability": "PUBLIC"}
    refused = _refused(service, store, storm)
    assert refused["message"] == (
        "space_weather inject: params.g_level: not a parameter of space_weather injects "
        "(they take duration_moves, severity)"
    )
    five = {"approacher": "red-inspector-1", "range_km": "5"}
    accepted = run_command(service, EX, "white_cell", {**APPROACH, "params": five})
    assert accepted["status"] == "accepted", accepted
    log = store.read_after(EX, 0)
    (released,) = [e.body for e in log if isinstance(e.body, InjectReleased) and e.body.adhoc]
    assert released.inject.params == {"approacher": "red-inspector-1", "range_km": 5.0}  # as the type reads

    advanced = run_command(service, EX, "white_cell", {"type": "advance_move", "from_move": 1})
    assert advanced["status"] == "accepted", advanced
    bodies = [e.body for e in store.read_after(EX, 0)]
    (resolved,) = [b for b in bodies if isinstance(b, InjectResolved) and b.inject_id == released.inject.id]
    assert (resolved.outcome, resolved.succeeded) == ("approach to 5 km", True)
    assert any(isinstance(b, ManoeuvreExecuted) and b.asset_id == "red-inspector-1" for b in bodies)
    assert service.state(EX).move == 2
