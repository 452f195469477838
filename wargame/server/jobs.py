"""Jobs for `wargame worker`: adjudicating commands and scheduled injects, each run exactly once.

A server queues a job (one per exercise and seat/command_id, so a resent command waits on the
same job) and polls for its result. A worker claims the oldest due job with
SELECT ... FOR UPDATE SKIP LOCKED and holds that row lock while it runs the command through the
service, inside the same transaction: the events, the command's recorded result and the job's
`done` commit together or not at all. If the worker dies, PostgreSQL drops the lock and another
worker takes the job; the command's idempotency key makes a rerun return the first result.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from pydantic import TypeAdapter

from wargame.domain.audience import Seat
from wargame.domain.commands import Command
from wargame.server.models import Job
from wargame.server.runtime import get_service

logger = logging.getLogger(__name__)

JOB_COMMANDS = frozenset({"start_exercise", "advance_move"})
"""Commands that run the adjudication core (initial pictures, move adjudication)."""

_command_adapter: TypeAdapter[Any] = TypeAdapter(Command)


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


def result_of(job_id: int) -> dict[str, Any] | None:
    """The command result of a finished job, else None."""
    row = Job.objects.filter(id=job_id).values_list("status", "result").first()
    if row is None or row[0] == "queued":
        return None
    return dict(row[1] or {})


def schedule_inject(exercise_id: str, inject_id: str, delay_s: float) -> int:
    """Release an MSEL inject as the white cell after `delay_s` seconds (run by a worker)."""
    from wargame.services.commands import white_cell

    command = _command_adapter.validate_python({"type": "release_inject", "inject_id": inject_id})
    run_after = timezone.now() + timedelta(seconds=delay_s)
    stamp = run_after.strftime("%Y%m%dT%H%M%S")
    return enqueue(exercise_id, white_cell(), f"scheduled:{inject_id}:{stamp}", command, run_after)


def run_one(worker_id: str) -> bool:
    """Claim and run one due job; False when none is due. Database errors propagate (the job
    stays queued); any other failure marks the job failed with a structured rejection."""
    if connection.vendor != "postgresql":
        raise RuntimeError("`wargame worker` needs PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED)")
    claimed: Job | None = None
    try:
        with transaction.atomic():
            claimed = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(status="queued", run_after__lte=timezone.now())
                .order_by("run_after", "id")
                .first()
            )
            if claimed is None:
                return False
            seat = Seat.model_validate(claimed.seat)
            command = _command_adapter.validate_python(claimed.command)
            command_id = claimed.key.split("/", 1)[1]
            result = get_service().handle(claimed.exercise_id, seat, command_id, command)
            claimed.status, claimed.result, claimed.owner = "done", result, worker_id
            claimed.finished_at = timezone.now()
            claimed.save(update_fields=["status", "result", "owner", "finished_at"])
        return True
    except DatabaseError:
        if claimed is not None:
            get_service().forget(claimed.exercise_id)
        raise
    except Exception as exc:
        assert claimed is not None
        get_service().forget(claimed.exercise_id)
        logger.exception("job %s failed", claimed.id)
        _fail(claimed.id, worker_id, exc)
        return True


def _fail(job_id: int, worker_id: str, exc: Exception) -> None:
    result = {
        "status": "rejected",
        "code": "internal",
        "message": f"the worker could not run this command: {type(exc).__name__}",
        "current_seq": 0,
    }
    Job.objects.filter(id=job_id, status="queued").update(
        status="failed", result=result, owner=worker_id, finished_at=timezone.now()
    )


def work(worker_id: str, max_jobs: int | None = None, idle_s: float = 0.2) -> int:
    """Run jobs until `max_jobs` ran (forever when None); returns how many ran."""
    ran = 0
    heartbeat = os.environ.get("WARGAME_WORKER_HEARTBEAT")
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
        else:
            time.sleep(idle_s)
    return ran
