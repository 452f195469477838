"""Jobs for `wargame worker`: adjudicating commands and scheduled injects, each committed once.

A server queues a job (one per exercise and seat/command_id, so a resent command waits on the
same job) and polls for its result. A worker claims the oldest due job, or one whose lease
expired, with SELECT ... FOR UPDATE SKIP LOCKED and commits the claim at once: the job is
`running`, owned by that worker until `lease_until`. No transaction is held while the command
runs (the adjudication takes up to a minute); a heartbeat thread renews the lease meanwhile.
A worker that pauses stops renewing it, and once it expires another worker takes the job over
and runs the command again (its idempotency key makes a closing command resume its own
closing). A worker that dies is taken over at once: the owner holds a session advisory lock on
the job, which PostgreSQL drops with its connection. The
job's `done` commits in the same transaction as the command's result and events, and only
while the job is still this worker's: a worker whose job was taken over commits nothing. A job
that runs past `WARGAME_JOB_TIME_LIMIT_SECONDS`, or is claimed more than
`WARGAME_JOB_MAX_ATTEMPTS` times, fails with a structured rejection and its move reopens.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from pydantic import TypeAdapter

from wargame.domain.audience import Seat
from wargame.domain.closing import CLOSING_COMMANDS
from wargame.domain.commands import Command, Rejection
from wargame.eventlog.trust import TamperedLog
from wargame.server.models import Job
from wargame.server.runtime import get_service
from wargame.server.tempo_schedule import PARKED, PARKED_FOR, SCHEDULED_PREFIX, TEMPO_TASK
from wargame.services.memory import map_large_blocks, release_free_memory
from wargame.services.tempo import tick

logger = logging.getLogger(__name__)

JOB_COMMANDS = CLOSING_COMMANDS
"""Commands that run the adjudication core (initial pictures, move adjudication)."""

_command_adapter: TypeAdapter[Any] = TypeAdapter(Command)

LOCK_SPACE = 0x57474A42
"""First key of the session advisory lock a job's owner holds on (LOCK_SPACE, job id)."""
OWNER_CONNECTED = (
    "EXISTS (SELECT 1 FROM pg_locks AS l WHERE l.locktype = 'advisory' AND l.granted"
    f" AND l.classid = %s AND l.objid::bigint = {Job._meta.db_table}.id AND l.objsubid = 2)"
)
"""Whether some session holds the job's advisory lock: its owner's connection is alive."""


class JobLost(Exception):
    """The job is no longer this worker's (its lease expired and another worker took it over,
    or its time limit failed it): nothing of this run may be committed."""


def enqueue(
    exercise_id: str,
    seat: Seat,
    command_id: str,
    command: Command,
    run_after: datetime | None = None,
) -> int:
    """Queue a command for the workers; the same seat and command_id give the same job."""
    key = f"{seat.viewer}/{command_id}"
    existing = Job.objects.filter(exercise_id=exercise_id, key=key).values_list("id", flat=True)
    found = existing.first()
    if found is not None:
        return int(found)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                exercise_id=exercise_id,
                key=key,
                seat=seat.model_dump(mode="json"),
                command=command.model_dump(mode="json"),
                run_after=run_after or timezone.now(),
            )
    except IntegrityError:
        return int(Job.objects.get(exercise_id=exercise_id, key=key).id)
    return int(job.id)


ANALYSIS_TASK = "sharing_analysis"
"""A job that runs a requested value-of-sharing analysis, not a command (its `command` is
{"task": ANALYSIS_TASK, "analysis_id": ...})."""


def enqueue_analysis(exercise_id: str, analysis_id: str) -> int:
    """Queue a requested analysis for the workers (one job per analysis)."""
    from wargame.services.commands import white_cell

    key = f"analysis/{analysis_id}"
    found = Job.objects.filter(exercise_id=exercise_id, key=key).values_list("id", flat=True).first()
    if found is not None:
        return int(found)
    task = {"task": ANALYSIS_TASK, "analysis_id": analysis_id}
    try:
        with transaction.atomic():
            job = Job.objects.create(
                exercise_id=exercise_id, key=key, seat=white_cell().model_dump(mode="json"), command=task,
                run_after=timezone.now(),
            )
    except IntegrityError:
        return int(Job.objects.get(exercise_id=exercise_id, key=key).id)
    return int(job.id)


def _analysis_of(job: Job) -> str | None:
    """The analysis a job runs, or None for a command's job."""
    task = job.command if isinstance(job.command, dict) else {}
    return str(task["analysis_id"]) if task.get("task") == ANALYSIS_TASK else None


TIMED_OUT: dict[str, Any] = {
    "status": "rejected",
    "code": "timeout",
    "message": "no worker finished this command in time; it may still run",
}
"""The result of a queued command no worker finished within JOB_TIMEOUT_SECONDS."""


async def await_result(job_id: int) -> dict[str, Any]:
    """A worker's result for a queued command, polled with a growing delay until
    WARGAME JOB_TIMEOUT_SECONDS (then TIMED_OUT): how the websocket and the operator API wait."""
    from channels.db import database_sync_to_async

    deadline = time.monotonic() + settings.WARGAME["JOB_TIMEOUT_SECONDS"]
    delay = 0.02
    while time.monotonic() < deadline:
        result = await database_sync_to_async(result_of)(job_id)
        if result is not None:
            return result
        await asyncio.sleep(delay)
        delay = min(0.25, delay * 1.5)
    return dict(TIMED_OUT)


def result_of(job_id: int) -> dict[str, Any] | None:
    """The command result of a finished job, else None."""
    row = Job.objects.filter(id=job_id).values_list("status", "result").first()
    if row is None or row[0] in ("queued", "running"):
        return None
    return dict(row[1] or {})


def schedule_inject(exercise_id: str, inject_id: str, delay_s: float) -> int:
    """Release an MSEL inject as the white cell after `delay_s` seconds (run by a worker)."""
    from wargame.services.commands import white_cell

    command = _command_adapter.validate_python({"type": "release_inject", "inject_id": inject_id})
    run_after = timezone.now() + timedelta(seconds=delay_s)
    stamp = run_after.strftime("%Y%m%dT%H%M%S")
    return enqueue(exercise_id, white_cell(), f"scheduled:{inject_id}:{stamp}", command, run_after)


def claim(worker_id: str) -> Job | None:
    """Take the oldest due job, or one whose lease expired (its worker paused or died), and
    commit the claim: running, owned by `worker_id` until its lease ends."""
    if connection.vendor != "postgresql":
        raise RuntimeError("`wargame worker` needs PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED)")
    now = timezone.now()
    abandoned = Q(lease_until__lt=now) | Q(owner_connected=False)
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True, of=("self",))
            .annotate(owner_connected=RawSQL(OWNER_CONNECTED, (LOCK_SPACE,), output_field=BooleanField()))
            .filter(Q(status="queued", run_after__lte=now) | (Q(status="running") & abandoned))
            .order_by("run_after", "id")
            .first()
        )
        if job is None:
            return None
        context = {"exercise": job.exercise_id, "job": job.id, "key": job.key, "worker": worker_id}
        if job.status == "running":
            why = "its lease expired" if job.lease_until and job.lease_until < now else "its worker is gone"
            logger.warning("job taken over", extra={**context, "from_worker": job.owner, "why": why})
        else:
            logger.info("job claimed", extra={**context, "attempt": job.attempts + 1})
        job.status, job.owner, job.attempts = "running", worker_id, job.attempts + 1
        job.lease_until = now + timedelta(seconds=settings.WARGAME["JOB_LEASE_SECONDS"])
        job.save(update_fields=["status", "owner", "attempts", "lease_until"])
        with connection.cursor() as cursor:  # held by this session until released (or it dies)
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, job.id])
    return job


def release(job: Job) -> None:
    """Drop the job's advisory lock (the connection outlives the job; a lost one took it along)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, job.id])
    except DatabaseError as exc:
        logger.warning("job %s: could not release its lock: %s", job.id, exc)


def run_one(worker_id: str) -> bool:
    """Claim and run one job; False when none is due. Database errors propagate (the job's
    lease expires and it is taken over); any other failure fails the job with a structured
    rejection."""
    job = claim(worker_id)
    if job is None:
        return False
    limit = settings.WARGAME["JOB_MAX_ATTEMPTS"]
    if job.attempts > limit:
        message = f"the command was started {limit} times and never finished; it will not run again"
        _fail(job, worker_id, Rejection(code="time_limit", message=message))
        release(job)
        return True
    heartbeat = Heartbeat(job, worker_id)
    heartbeat.start()
    try:
        execute(job, worker_id)
    except JobLost as exc:
        logger.warning("job %s: %s; its result was not committed", job.id, exc)
    except TamperedLog as exc:  # logged where it was found
        _fail(job, worker_id, {"status": "rejected", "code": "log_tampered", "message": str(exc)})
    except DatabaseError:
        get_service().forget(job.exercise_id)
        raise
    except Exception as exc:
        get_service().forget(job.exercise_id)
        logger.exception("job %s failed", job.id)
        message = f"the worker could not run this command: {type(exc).__name__}"
        _fail(job, worker_id, {"status": "rejected", "code": "internal", "message": message})
    finally:
        heartbeat.stop()
        release(job)
    return True


def execute(job: Job, worker_id: str) -> dict[str, Any]:
    """Run a claimed job's command through the service; the job is marked done in the
    transaction that records the command's result, if it is still this worker's. An analysis
    job records its progress and result itself (each once), then is marked done."""
    analysis_id = _analysis_of(job)
    if analysis_id is not None:
        from wargame.aar.sharing_analysis import analyse
        from wargame.services.sharing_analysis import AnalysisRunner

        every = settings.WARGAME["ANALYSIS_PROGRESS_SECONDS"]
        phase = AnalysisRunner(get_service(), analyse, every).run(job.exercise_id, analysis_id)
        outcome = {"status": phase, "analysis_id": analysis_id}
        _finisher(job.id, worker_id)(outcome)
        return outcome
    if _task_of(job) == TEMPO_TASK:
        following = tick(get_service(), job.exercise_id)
        stepped: dict[str, Any] = {"status": "done", "next": following.isoformat() if following else None}
        _finisher(job.id, worker_id)(stepped)
        return stepped
    if job.key.startswith(SCHEDULED_PREFIX) and get_service().state(job.exercise_id).phase == "paused":
        _park(job, worker_id)  # nothing fires in a pause: due again when the exercise resumes
        return {"status": "parked"}
    seat, command, command_id = _command_of(job)
    result, _ = get_service().handle_events(
        job.exercise_id, seat, command_id, command, finish=_finisher(job.id, worker_id)
    )
    outcome = {"exercise": job.exercise_id, "job": job.id, "status": str(result.get("status"))}
    logger.info("job done", extra=outcome)
    return result


def _task_of(job: Job) -> str | None:
    """The task of a job that runs no command (an analysis, the tempo step), else None."""
    task = job.command if isinstance(job.command, dict) else {}
    return str(task["task"]) if "task" in task else None


def _park(job: Job, worker_id: str) -> None:
    """Put a wall-clock release that came due in a pause back in the queue, parked (no time
    left): `resume_releases` makes it due when the exercise resumes."""
    parked_until = timezone.now() + PARKED_FOR
    Job.objects.filter(id=job.id, owner=worker_id, status="running").update(
        status="queued", owner="", lease_until=None, run_after=parked_until, result={PARKED: 0.0},
        attempts=max(0, job.attempts - 1),
    )
    logger.info("scheduled release parked: the exercise is paused", extra={"job": job.id})


def _command_of(job: Job) -> tuple[Seat, Command, str]:
    seat = Seat.model_validate(job.seat)
    command: Command = _command_adapter.validate_python(job.command)
    return seat, command, job.key.split("/", 1)[1]


def _finisher(job_id: int, worker_id: str) -> Callable[[dict[str, Any]], None]:
    def finish(result: dict[str, Any]) -> None:
        done = Job.objects.filter(id=job_id, owner=worker_id, status="running").update(
            status="done", result=result, finished_at=timezone.now()
        )
        if done != 1:
            raise JobLost(f"job {job_id} is no longer {worker_id}'s")

    return finish


def _fail(job: Job, worker_id: str, outcome: Rejection | dict[str, Any]) -> None:
    """Fail a job this worker holds: a closing command's move reopens and the rejection is its
    recorded result, in the transaction that marks the job failed."""
    updates = {"status": "failed", "finished_at": timezone.now()}

    def mark(result: dict[str, Any]) -> None:
        result = {"current_seq": 0, **result}
        failed = Job.objects.filter(id=job.id, owner=worker_id, status="running")
        if failed.update(result=result, **updates) != 1:
            raise JobLost(f"job {job.id} is no longer {worker_id}'s")

    try:
        analysis_id = _analysis_of(job)
        if _task_of(job) == TEMPO_TASK:
            mark(outcome.model_dump() if isinstance(outcome, Rejection) else outcome)
        elif analysis_id is not None and isinstance(outcome, Rejection):
            _fail_analysis(job.exercise_id, analysis_id, outcome.message)
            mark(outcome.model_dump())
        elif isinstance(outcome, Rejection):
            seat, _, command_id = _command_of(job)
            get_service().give_up(job.exercise_id, seat, command_id, outcome, finish=mark)
        else:
            mark(outcome)
    except JobLost as exc:
        logger.warning("job %s: %s; not failed", job.id, exc)


def _fail_analysis(exercise_id: str, analysis_id: str, reason: str) -> None:
    """Record that an analysis will not finish (its job's time limit or attempts ran out)."""
    from wargame.domain.analysis_commands import analysis_refusal
    from wargame.domain.commands import reject
    from wargame.domain.events import SharingAnalysisFailed

    def decision(state: Any) -> Any:
        refusal = analysis_refusal(state, analysis_id)
        if refusal is not None:
            return reject(state, "already_done", refusal)
        return [SharingAnalysisFailed(analysis_id=analysis_id, reason=reason[:200])]

    get_service().record(exercise_id, "white_cell", decision)


class Heartbeat:
    """Renews a running job's lease every third of it, from a thread of its own (the worker's
    thread is busy with the command), and fails the job at its time limit."""

    def __init__(self, job: Job, worker_id: str) -> None:
        self.job, self.worker_id = job, worker_id
        self.lease_s = float(settings.WARGAME["JOB_LEASE_SECONDS"])
        limit = "ANALYSIS_TIME_LIMIT_SECONDS" if _analysis_of(job) else "JOB_TIME_LIMIT_SECONDS"
        self.limit_s = float(settings.WARGAME[limit])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job.id}-heartbeat", daemon=True)
        self.started = time.monotonic()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(min(self.lease_s / 3, self._left())):
                if self._left() <= 0:
                    self._time_out()
                    return
                if not self._renew():
                    logger.warning("job %s: lease lost (taken over or finished)", self.job.id)
                    return
        except DatabaseError as exc:  # the lease expires; another worker takes the job
            logger.warning("job %s: cannot renew its lease: %s", self.job.id, exc)
        finally:
            connection.close()

    def _left(self) -> float:
        return max(0.0, self.limit_s - (time.monotonic() - self.started))

    def _renew(self) -> bool:
        until = timezone.now() + timedelta(seconds=self.lease_s)
        mine = Job.objects.filter(id=self.job.id, owner=self.worker_id, status="running")
        return mine.update(lease_until=until) == 1

    def _time_out(self) -> None:
        limit = f"{self.limit_s:g}"
        message = f"the command ran past the worker's time limit ({limit} s); its move is open again"
        if _analysis_of(self.job):
            message = f"the analysis ran past the workers' analysis time limit ({limit} s)"
        logger.warning("job %s: %s", self.job.id, message)
        _fail(self.job, self.worker_id, Rejection(code="time_limit", message=message))


def serve_metrics(port: int) -> None:
    """A worker's own Prometheus endpoint on `port` (0: none): the commands it ran, their
    adjudication seconds and the events it appended. On WARGAME_METRICS_ADDR (127.0.0.1; a
    container sets 0.0.0.0 for a scraper on another host)."""
    if not port:
        return
    from prometheus_client import start_http_server

    addr = os.environ.get("WARGAME_METRICS_ADDR", "127.0.0.1")
    start_http_server(port, addr=addr)
    logger.info("metrics served", extra={"addr": addr, "port": port})


def work(worker_id: str, max_jobs: int | None = None, idle_s: float = 0.2) -> int:
    """Run jobs until `max_jobs` ran (forever when None); returns how many ran."""
    ran = 0
    heartbeat = os.environ.get("WARGAME_WORKER_HEARTBEAT")
    map_large_blocks()
    while max_jobs is None or ran < max_jobs:
        if heartbeat:  # touched every loop: the container health check reads its age
            Path(heartbeat).touch()
        close_old_connections()
        try:
            did = run_one(worker_id)
        except DatabaseError as exc:  # database gone: wait and retry
            logger.warning("worker cannot reach the database (%s); retrying", exc)
            time.sleep(1.0)
            continue
        if did:
            ran += 1
            release_free_memory()  # a move's arrays: hand them back before the next job
        else:
            time.sleep(idle_s)
    return ran

