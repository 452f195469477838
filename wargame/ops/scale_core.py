"""The scale benchmark's baseline: the adjudication core alone, and sgp4 propagation alone, per move."""

from __future__ import annotations

import time
from typing import Any

from wargame import adjudication
from wargame.adjudication.catalog import build_catalog, build_ephemeris
from wargame.adjudication.manoeuvres import Truth
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventBody, ExerciseCreated
from wargame.domain.state import ExerciseState
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import Blobs
from wargame.services.commands import ExerciseService

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")


class TimedAdjudicator:
    """The core inline, timing each move; and, apart, the move's sgp4 propagation alone."""

    def __init__(self) -> None:
        self.core_s: dict[int, float] = {}
        self.propagation_s: dict[int, float] = {}

    def initial_pictures(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        return adjudication.initial_pictures(state, blobs)

    def adjudicate_move(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        started = time.perf_counter()
        bodies = adjudication.adjudicate_move(state, blobs)
        self.core_s[state.move] = time.perf_counter() - started
        catalog = build_catalog(state, Truth.of(state).orbits)
        started = time.perf_counter()
        build_ephemeris(
            catalog, state.move_start(state.move), state.scenario.move_length, state.ruleset.time_step_minutes
        )
        self.propagation_s[state.move] = time.perf_counter() - started
        return bodies


def release_commands(nations: list[str]) -> dict[str, dict[str, Any]]:
    """Move 1 of the benchmark: each team releases its tracks to the next two teams."""
    out = {}
    for i, nation in enumerate(nations):
        partners = [nations[(i + k) % len(nations)] for k in (1, 2) if len(nations) > k]
        out[nation] = {
            "type": "release_product",
            "product": {"kind": "tracks"},
            "marking": {"releasability": "REL", "releasable_to": partners},
            "level": "full",
        }
    return out


def core_timings(scenario: str, moves: int) -> dict[str, dict[int, float]]:
    """Play `moves` moves of `scenario` headless (memory store), as the server run will, and
    return the seconds of the core and of propagation per move."""
    scenario_model, background = load_scenario_parts(find_scenario(scenario))
    created = ExerciseCreated(
        title=scenario_model.title,
        scenario=scenario_model,
        ruleset=load_ruleset(find_ruleset(scenario_model.ruleset)),
        seed=scenario_model.seed,
    )
    timed = TimedAdjudicator()
    service = ExerciseService(MemoryEventStore(), timed)
    service.create("bench", created, background)

    def run(seat: Seat, command: dict[str, Any], command_id: str) -> None:
        result = service.handle("bench", seat, command_id, command_adapter.validate_python(command))
        if result["status"] != "accepted":
            raise RuntimeError(f"{command['type']} refused headless: {result}")

    run(WHITE, {"type": "start_exercise"}, "start")
    nations = list(scenario_model.played_nations())
    for nation, command in release_commands(nations).items():
        run(Seat(role=Role.PLAYER, nation=nation), command, f"share-{nation}")
    for move in range(1, moves + 1):
        run(WHITE, {"type": "advance_move", "from_move": move}, f"advance-{move}")
    return {"core_s": timed.core_s, "propagation_s": timed.propagation_s}
