"""The embedded tempo scheduler: it runs an exercise's step when its moment has come, a later
appointment replaces an earlier one, a cancelled one never runs; a process that first loads an
exercise tells the scheduler (a restarted server re-arms the running clocks)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from tests.factories import FakeAdjudicator, make_created
from wargame.domain.events import EventEnvelope
from wargame.domain.state import ExerciseState
from wargame.eventlog.store import MemoryEventStore
from wargame.server.tempo_schedule import EmbeddedScheduler
from wargame.services.commands import ExerciseService

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def test_the_scheduler_runs_due_steps_and_skips_replaced_or_cancelled_ones() -> None:
    ran: list[str] = []
    done = threading.Event()

    def run(exercise_id: str) -> datetime | None:
        ran.append(exercise_id)
        if exercise_id == "last":
            done.set()
        return None

    scheduler = EmbeddedScheduler(run, now=lambda: NOW)
    scheduler.at("later", NOW + timedelta(days=1))
    scheduler.at("cancelled", NOW - timedelta(seconds=5) + timedelta(days=2))
    scheduler.at("cancelled", None)
    scheduler.at("moved", NOW + timedelta(days=1))
    scheduler.at("moved", NOW - timedelta(seconds=2))  # replaced by an earlier, due moment
    scheduler.at("last", NOW - timedelta(seconds=1))
    assert done.wait(10)
    assert ran == ["moved", "last"]
    assert scheduler.pending("later") == NOW + timedelta(days=1) and scheduler.pending("cancelled") is None


def test_a_process_that_first_loads_an_exercise_tells_the_scheduler() -> None:
    store = MemoryEventStore()
    first = ExerciseService(store, FakeAdjudicator())
    first.create("ex", make_created())
    told: list[tuple[int, int]] = []

    def published(state: ExerciseState, events: list[EventEnvelope]) -> None:
        told.append((state.last_seq, len(events)))

    restarted = ExerciseService(store, FakeAdjudicator())
    restarted.on_published = published
    restarted.state("ex")
    restarted.state("ex")
    assert told == [(1, 0)]
