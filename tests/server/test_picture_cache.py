"""The picture cache: one render per resource however many seats ask at once, kept gzipped."""

from __future__ import annotations

import gzip
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.picture_format import read_picture
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.pictures import PictureResources


def started_tutorial() -> ExerciseService:
    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    created = ExerciseCreated(
        title="cache", scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed,
    )
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("x", created, background)
    start = command_adapter.validate_python({"type": "start_exercise"})
    assert service.handle("x", Seat(role=Role.WHITE_CELL, label="w"), "s", start)["status"] == "accepted"
    return service


def test_seats_asking_at_once_share_one_render() -> None:
    resources = PictureResources(started_tutorial())
    renders: list[str | None] = []
    real_render = resources._render
    gate = threading.Barrier(8)

    def counting_render(state: Any, pictures: Any, whose: str | None) -> Any:
        renders.append(whose)
        return real_render(state, pictures, whose)

    resources._render = counting_render  # type: ignore[method-assign]

    def ask(_: int) -> Any:
        gate.wait(timeout=10)
        return resources.get("x", "team:USA", None)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(ask, range(8)))
    assert renders == ["USA"]
    assert all(g is got[0] for g in got)
    header, _ = read_picture(got[0].data)
    assert header["nation"] == "USA" and got[0].data == gzip.decompress(got[0].gzipped)
    resources.get("x", "white_cell", None, truth=True)
    resources.get("x", "team:USA", 0)
    assert renders == ["USA", None]  # the truth is a resource of its own; move 0 is the latest
