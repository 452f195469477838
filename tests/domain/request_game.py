"""A small exercise for the request tests: GBR lends SATCOM, COM (commercial, not played) lends
ISR, and the test ruleset with a requests section."""

from __future__ import annotations

from typing import Any

from tests.factories import FakeAdjudicator, command, ruleset_data, scenario_data, seat
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.domain.state import ExerciseState
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

REQUEST_RULES = {"capability_per_unit": 0.1, "max_capability": 1.0, "max_moves": 3}
GBR_OFFER = {"capacity": {"SATCOM": 4}, "max_request": {"SATCOM": 3}}
COM_OFFER = {"capacity": {"ISR": 2}}


def request_created(requests: dict[str, Any] | None = REQUEST_RULES) -> ExerciseCreated:
    data = scenario_data()
    nations = [dict(n) for n in data["nations"]]
    nations[1]["fallback"] = GBR_OFFER
    nations.append(
        {"id": "COM", "name": "Commercial", "side": "commercial", "played": False, "fallback": COM_OFFER}
    )
    scenario = Scenario.model_validate({**data, "nations": nations})
    rules = ruleset_data() if requests is None else {**ruleset_data(), "requests": requests}
    return ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=Ruleset.model_validate(rules), seed=scenario.seed
    )


class RequestGame:
    """An exercise of `request_created` on a memory store, started (move 1 open)."""

    def __init__(
        self, exercise_id: str = "req", created: ExerciseCreated | None = None, start: bool = True
    ) -> None:
        self.exercise_id = exercise_id
        self.store = MemoryEventStore()
        self.service = ExerciseService(self.store, FakeAdjudicator())
        self.service.create(exercise_id, created or request_created())
        self._n = 0
        if start:
            self.ok("white_cell", {"type": "start_exercise"})

    def send(self, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
        self._n += 1
        return dict(self.service.handle(self.exercise_id, seat(viewer), f"c{self._n}", command(data)))

    def ok(self, viewer: str, data: dict[str, Any]) -> list[EventEnvelope]:
        before = self.state.last_seq
        result = self.send(viewer, data)
        assert result["status"] == "accepted", (data, result)
        return self.store.read_after(self.exercise_id, before)

    def refused(self, viewer: str, data: dict[str, Any], code: str) -> str:
        before = self.state
        result = self.send(viewer, data)
        assert result["status"] == "rejected", (data, result)
        assert result["code"] == code, result
        assert self.state == before
        return str(result["message"])

    @property
    def state(self) -> ExerciseState:
        return self.service.state(self.exercise_id)

    def advance(self) -> list[EventEnvelope]:
        return self.ok("white_cell", {"type": "advance_move", "from_move": self.state.move})

    def last_id(self, kind: str) -> str:
        book = self.state.requests
        items: dict[str, Any] = {"capacity": book.capacity, "statement": book.statements, "ask": book.asks}[
            kind
        ]
        return str(list(items)[-1])
