"""Tempo in worker mode: the move clock's next moment is a worker job (the queue of wall-clock
inject releases), a passed deadline advances the move from the worker, and wall-clock releases
wait out a pause with the time they had left. PostgreSQL only (workers claim with SKIP LOCKED)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import FakeAdjudicator, command, make_created
from wargame.services.commands import white_cell

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
]


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def worker_game(transactional_db: None, settings: Any) -> Iterator[tuple[Any, Clock]]:
    """The unit scenario (60-minute deadlines, advance) started in worker mode, on a test clock."""
    from wargame.server.models import Exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.server.tempo_schedule import published
    from wargame.services.commands import ExerciseService

    settings.WARGAME = {**settings.WARGAME, "ADJUDICATION": "worker"}
    clock = Clock()
    service = ExerciseService(DjangoEventStore(), FakeAdjudicator(), notify_news, clock=clock)
    service.on_published = published
    set_service(service)
    created = make_created(tempo={"move_deadline_minutes": 60, "on_deadline": "advance"})
    Exercise.objects.create(id="w", title=created.title, scenario_id=created.scenario.id)
    service.create("w", created)
    do(service, "start", {"type": "start_exercise"})
    yield service, clock
    set_service(None)


def do(service: Any, command_id: str, data: dict[str, Any]) -> None:
    result = service.handle("w", white_cell(), command_id, command(data))
    assert result["status"] == "accepted", result


def test_a_worker_job_runs_the_deadline_and_advances_the_move(worker_game: tuple[Any, Clock]) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job

    service, clock = worker_game
    tempo_jobs = Job.objects.filter(exercise_id="w", key__startswith="scheduler/tempo:", status="queued")
    first = tempo_jobs.order_by("run_after").first()
    assert first is not None and first.command == {"task": "tempo"}
    assert first.run_after == clock.now + timedelta(minutes=50)  # the 10-minute warning
    assert not jobs.run_one("w1")  # not due yet
    clock.now += timedelta(minutes=60)
    Job.objects.filter(id=first.id).update(run_after=timezone.now())
    assert jobs.run_one("w1")
    state = service.state("w")
    assert state.move == 2 and Job.objects.get(id=first.id).status == "done"
    log = service.store.read_after("w", 0)
    kinds = [e.body.type for e in log if e.body.type in ("deadline_warning", "deadline_passed")]
    assert kinds == ["deadline_passed"]  # the step came at the deadline itself: no late warnings
    closing = [e for e in log if e.body.type == "move_closing"][-1]
    assert (closing.move, closing.member) == (1, "scheduler")
    assert tempo_jobs.filter(run_after=clock.now + timedelta(minutes=50)).exists()  # move 2's first moment


def test_wall_clock_releases_wait_out_a_pause_with_their_time_left(worker_game: tuple[Any, Clock]) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job
    from wargame.server.tempo_schedule import PARKED

    service, _ = worker_game
    Job.objects.filter(exercise_id="w", key__startswith="scheduler/").delete()  # the tempo's own jobs
    job_id = jobs.schedule_inject("w", "INJ-1", 30.0)
    do(service, "pause", {"type": "pause_exercise", "reason": "a break"})
    parked = Job.objects.get(id=job_id)
    assert 29.0 < parked.result[PARKED] <= 30.0 and parked.run_after > timezone.now() + timedelta(days=3000)
    late = jobs.schedule_inject("w", "INJ-3", 0.0)  # scheduled during the pause: due, but must wait
    assert jobs.run_one("w1")
    assert Job.objects.get(id=late).status == "queued" and Job.objects.get(id=late).result == {PARKED: 0.0}
    assert service.state("w").injects["INJ-3"].released_move is None
    assert not jobs.run_one("w1")
    do(service, "resume", {"type": "resume_exercise"})
    resumed = Job.objects.get(id=job_id)
    left = (resumed.run_after - timezone.now()).total_seconds()
    assert resumed.result is None and 28.0 < left <= 30.0
    assert jobs.run_one("w1")
    assert service.state("w").injects["INJ-3"].released_move == 1
    assert Job.objects.get(id=job_id).status == "queued"
