"""Worker jobs under a lease: a paused worker's job is taken over, its late commit refused; a time
limit fails a job and reopens its move. PostgreSQL only (workers claim with SKIP LOCKED)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import FakeAdjudicator, make_created
from wargame.domain.commands import AdvanceMove, StartExercise
from wargame.domain.events import EventBody
from wargame.domain.state import ExerciseState
from wargame.ops.topology import kill, spawn, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
]

EX = "lease1"
LAUNCHER = Path(__file__).with_name("slow_worker.py")


class GatedAdjudicator(FakeAdjudicator):
    def __init__(self) -> None:
        self.entered, self.gate = threading.Event(), threading.Event()

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        self.entered.set()
        assert self.gate.wait(20)
        return super().adjudicate_move(state, blobs)


class SlowAdjudicator(FakeAdjudicator):
    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        time.sleep(2.5)
        return super().adjudicate_move(state, blobs)


def service_with(adjudicator: FakeAdjudicator) -> Any:
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), adjudicator, notify_news)
    set_service(service)
    return service


@pytest.fixture
def running(transactional_db: None) -> Iterator[Any]:
    """Exercise EX started (move 1 open), on the test database."""
    from wargame.server.models import Exercise
    from wargame.server.runtime import set_service
    from wargame.services.commands import white_cell

    service = service_with(FakeAdjudicator())
    created = make_created()
    Exercise.objects.create(id=EX, title=created.title, scenario_id=created.scenario.id)
    service.create(EX, created)
    start = StartExercise(type="start_exercise")
    assert service.handle(EX, white_cell(), "start", start)["status"] == "accepted"
    yield service
    set_service(None)


def advance_job() -> int:
    from wargame.server import jobs
    from wargame.services.commands import white_cell

    return jobs.enqueue(EX, white_cell(), "adv-1", AdvanceMove(type="advance_move", from_move=1))


def log_types() -> list[str]:
    from wargame.server.models import EventRecord

    return list(EventRecord.objects.filter(exercise_id=EX).order_by("seq").values_list("type", flat=True))


def in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run `fn` in a thread with its own database connection (closed at its end)."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(fn())
        except BaseException as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_an_expired_lease_is_taken_over_and_the_paused_worker_commits_nothing(running: Any) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job

    job_id = advance_job()
    paused = GatedAdjudicator()
    service_with(paused)
    first = jobs.claim("worker-a")
    assert first is not None and (first.id, first.owner, first.attempts) == (job_id, "worker-a", 1)
    thread, outcome = in_thread(lambda: jobs.execute(first, "worker-a"))
    assert paused.entered.wait(10)  # worker-a closed the move and is computing... and pauses
    assert log_types().count("move_closing") == 2
    assert jobs.claim("worker-b") is None  # its lease still holds
    Job.objects.filter(id=job_id).update(lease_until=timezone.now() - timedelta(seconds=1))

    service_with(FakeAdjudicator())  # worker-b
    assert jobs.run_one("worker-b")
    job = Job.objects.get(id=job_id)
    assert (job.status, job.owner, job.attempts) == ("done", "worker-b", 2)
    assert job.result is not None and job.result["status"] == "accepted"
    assert jobs.result_of(job_id) == job.result

    paused.gate.set()  # worker-a wakes up and finishes its adjudication
    thread.join(20)
    assert isinstance(outcome[0], jobs.JobLost)
    types = log_types()
    assert types.count("move_advanced") == 1 and types.count("move_closing") == 2  # resumed, not re-closed
    assert Job.objects.get(id=job_id).owner == "worker-b"


def test_a_paused_worker_that_wakes_first_cannot_commit_the_job_taken_from_it(running: Any) -> None:
    """The owner is checked in the transaction that would record the adjudication."""
    from wargame.server import jobs
    from wargame.server.models import Job

    job_id = advance_job()
    slow_a, slow_b = GatedAdjudicator(), GatedAdjudicator()
    service_with(slow_a)
    first = jobs.claim("worker-a")
    assert first is not None
    thread_a, outcome_a = in_thread(lambda: jobs.execute(first, "worker-a"))
    assert slow_a.entered.wait(10)
    Job.objects.filter(id=job_id).update(lease_until=timezone.now() - timedelta(seconds=1))
    service_with(slow_b)
    second = jobs.claim("worker-b")
    assert second is not None and (second.id, second.attempts) == (job_id, 2)
    thread_b, outcome_b = in_thread(lambda: jobs.execute(second, "worker-b"))
    assert slow_b.entered.wait(10)

    slow_a.gate.set()  # worker-a wakes first: its adjudication is ready before worker-b's
    thread_a.join(20)
    assert isinstance(outcome_a[0], jobs.JobLost)
    assert "move_advanced" not in log_types()  # rolled back with the job's done
    slow_b.gate.set()
    thread_b.join(20)
    assert outcome_b[0]["status"] == "accepted"
    job = Job.objects.get(id=job_id)
    assert (job.status, job.owner) == ("done", "worker-b") and log_types().count("move_advanced") == 1


def test_a_job_past_its_time_limit_fails_and_its_move_reopens(running: Any, settings: Any) -> None:
    from wargame.server import jobs
    from wargame.server.models import Job

    settings.WARGAME = {**settings.WARGAME, "JOB_TIME_LIMIT_SECONDS": 1.0}
    job_id = advance_job()
    service = service_with(SlowAdjudicator())
    assert jobs.run_one("worker-a")  # the heartbeat fails it after 1 s; the core ends at 2.5 s
    job = Job.objects.get(id=job_id)
    assert job.status == "failed" and job.result is not None
    assert (job.result["status"], job.result["code"]) == ("rejected", "time_limit")
    limit = "the command ran past the worker's time limit (1 s); its move is open again"
    assert job.result["message"] == limit
    assert log_types()[-2:] == ["move_closing", "move_reopened"]
    state = service.state(EX)
    assert (state.move, state.closing) == (1, None)


def test_a_session_idle_in_a_transaction_is_bounded(transactional_db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        (value,) = cursor.fetchone()
    assert value == "1min"


@pytest.fixture
def worker_processes(running: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Starts `slow_worker.py` processes on the test database; stops them afterwards."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, delay_s: float, lease_s: float) -> tuple[subprocess.Popen[bytes], Path]:
        env = dict(os.environ, DATABASE_URL=url, WARGAME_JOB_LEASE_SECONDS=str(lease_s))
        env["WARGAME_LOG_LEVEL"] = "WARNING"
        env.pop("REDIS_URL", None)
        log = tmp_path / f"{name}.log"
        args = [sys.executable, str(LAUNCHER), "--id", name, "--delay", str(delay_s)]
        started.append(spawn(args, env, log.open("ab")))
        return started[-1], log

    yield start
    for proc in started:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
        kill(proc)


def test_a_stopped_worker_process_is_taken_over_after_its_lease(worker_processes: Any) -> None:
    from wargame.server.models import Job

    first, first_log = worker_processes("worker-a", 4.0, 1.5)
    job_id = advance_job()
    wait_until(lambda: "adjudicating move 1" in first_log.read_text(), 20, "worker-a computing")
    os.kill(first.pid, signal.SIGSTOP)  # paused mid-adjudication: its lease is no longer renewed
    worker_processes("worker-b", 0.2, 1.5)
    wait_until(lambda: Job.objects.get(id=job_id).status == "done", 30, "worker-b taking the job over")
    job = Job.objects.get(id=job_id)
    assert (job.owner, job.attempts, job.result["status"]) == ("worker-b", 2, "accepted")
    os.kill(first.pid, signal.SIGCONT)
    wait_until(lambda: "was not committed" in first_log.read_text(), 20, "worker-a refused")
    assert log_types().count("move_advanced") == 1
    assert Job.objects.get(id=job_id).owner == "worker-b"


def test_a_killed_worker_process_is_taken_over_before_its_lease_ends(worker_processes: Any) -> None:
    from wargame.server.models import Job

    first, first_log = worker_processes("worker-a", 4.0, 120)
    job_id = advance_job()
    wait_until(lambda: "adjudicating move 1" in first_log.read_text(), 20, "worker-a computing")
    first.kill()  # its connection, and with it the job's advisory lock, goes away
    first.wait()
    died = time.monotonic()
    worker_processes("worker-b", 0.2, 120)
    wait_until(lambda: Job.objects.get(id=job_id).status == "done", 30, "worker-b taking the job over")
    assert time.monotonic() - died < 30  # far less than the 120 s lease
    job = Job.objects.get(id=job_id)
    assert (job.owner, job.attempts, job.result["status"]) == ("worker-b", 2, "accepted")
    assert log_types().count("move_advanced") == 1
