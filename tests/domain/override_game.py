"""A tutorial game on the real core for the override and inject-control tests."""

from __future__ import annotations

from typing import Any

from tests.factories import run_command
from tests.scenario.test_shipped_scenarios import load
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.domain.state import ExerciseState
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, load_ruleset
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

REASON = "controller correction for the exercise's training objectives"


class Game:
    """One tutorial exercise in a memory store, played with the real core."""

    def __init__(self, exercise_id: str = "override", **scenario_changes: Any) -> None:
        scenario = load("tutorial")
        if scenario_changes:
            scenario = scenario.model_copy(update=scenario_changes)
        self.id = exercise_id
        self.store = MemoryEventStore()
        self.service = ExerciseService(self.store, InlineAdjudicator())
        ruleset = load_ruleset(find_ruleset(scenario.ruleset))
        created = ExerciseCreated(
            title=scenario.title, scenario=scenario, ruleset=ruleset, seed=scenario.seed, id_salt="0" * 32
        )
        self.service.create(exercise_id, created)
        self.ok("white_cell", {"type": "start_exercise"})

    def run(self, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
        return run_command(self.service, self.id, viewer, data)

    def ok(self, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
        result = self.run(viewer, data)
        assert result["status"] == "accepted", result
        return result

    def refused(self, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
        """A command that must be refused: nothing recorded, the state unchanged."""
        before = self.state.model_dump_json()
        count = len(self.events())
        result = self.run(viewer, data)
        assert result["status"] == "rejected", result
        assert self.state.model_dump_json() == before
        assert len(self.events()) == count
        return result

    def advance(self) -> None:
        self.ok("white_cell", {"type": "advance_move", "from_move": self.state.move})

    @property
    def state(self) -> ExerciseState:
        return self.service.state(self.id)

    def events(self, kind: str | None = None) -> list[EventEnvelope]:
        found = self.store.read_after(self.id, 0)
        return [e for e in found if kind is None or e.body.type == kind]

    def after(self, seq: int, kind: str | None = None) -> list[EventEnvelope]:
        return [e for e in self.events(kind) if e.seq > seq]
