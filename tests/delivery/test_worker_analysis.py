"""A value-of-sharing analysis run by a `wargame worker`: queued as its own job, claimed like a
command's, its result recorded once; past its time limit it is recorded as failed. PostgreSQL
only (workers claim with SKIP LOCKED)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import Rejection, command_adapter
from wargame.services.sharing_analysis import AnalysisRunner

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
]

FACILITATOR = Seat(role=Role.FACILITATOR)


@pytest.fixture
def started(transactional_db: None, settings: Any) -> Iterator[tuple[Any, str]]:
    """The tutorial with the real core, move 1 adjudicated, in worker mode."""
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import launch_analysis, notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService, white_cell

    settings.WARGAME = {**settings.WARGAME, "ADJUDICATION": "worker", "ANALYSIS_PROGRESS_SECONDS": 0.0}
    service = ExerciseService(DjangoEventStore(), InlineAdjudicator(), notify_news)
    service.launch_analysis = launch_analysis
    set_service(service)
    exercise_id = create_exercise("tutorial").exercise_id
    for command_id, data in (("start", {"type": "start_exercise"}),
                             ("advance", {"type": "advance_move", "from_move": 1})):
        result = service.handle(exercise_id, white_cell(), command_id, command_adapter.validate_python(data))
        assert result["status"] == "accepted", result
    yield service, exercise_id
    set_service(None)


def ask(service: Any, exercise_id: str, command_id: str) -> str:
    request = command_adapter.validate_python({"type": "request_sharing_analysis", "per_release": False})
    assert service.handle(exercise_id, FACILITATOR, command_id, request)["status"] == "accepted"
    return str(max(service.state(exercise_id).analyses.values(), key=lambda a: a.requested_seq).analysis_id)


def test_a_worker_claims_the_analysis_job_and_records_its_result_once(started: tuple[Any, str]) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job

    service, exercise_id = started
    analysis_id = ask(service, exercise_id, "ask-1")
    job = jobs.claim("worker-a")
    assert job is not None and job.key == f"analysis/{analysis_id}"
    outcome = jobs.execute(job, "worker-a")
    assert outcome == {"status": "done", "analysis_id": analysis_id}
    assert Job.objects.get(id=job.id).status == "done"
    state = service.state(exercise_id)
    assert state.analyses[analysis_id].phase == "done"
    (last,) = service.store.read_after(exercise_id, state.last_seq - 1)
    assert last.body.type == "sharing_analysis_completed" and last.body.result.exact
    jobs.release(job)
    assert jobs.claim("worker-b") is None  # nothing left to run


def test_an_analysis_past_its_time_limit_is_recorded_as_failed(started: tuple[Any, str]) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job

    service, exercise_id = started
    analysis_id = ask(service, exercise_id, "ask-2")
    job = jobs.claim("worker-a")
    assert job is not None
    message = "the analysis ran past the workers' analysis time limit (1 s)"
    jobs._fail(job, "worker-a", Rejection(code="time_limit", message=message))
    jobs.release(job)
    assert Job.objects.get(id=job.id).status == "failed"
    status = service.state(exercise_id).analyses[analysis_id]
    assert (status.phase, status.reason) == ("failed", message)
    seq = service.state(exercise_id).last_seq
    assert AnalysisRunner(service).run(exercise_id, analysis_id) == "skipped"  # a late run records nothing
    assert service.state(exercise_id).last_seq == seq
