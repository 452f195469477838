"""Who runs the tempo step (services/tempo.py) when the move clock's next moment comes: this
process's scheduler thread in embedded mode, or a worker job due then in worker mode (the queue
that holds `wargame inject schedule`'s wall-clock releases). After every commit the service tells
`published` the state; it asks `domain.tempo.next_due` when to look again. A pause stops the
clock, so nothing of the tempo falls due in it; the queued wall-clock inject releases of an
exercise are parked when it pauses, keeping the time they had left, and due again on resume."""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wargame.domain.common import utc_now
from wargame.domain.events import EventEnvelope, ExercisePaused, ExerciseResumed
from wargame.domain.state import ExerciseState
from wargame.domain.tempo import next_due

logger = logging.getLogger(__name__)

TEMPO_TASK = "tempo"
"""A worker job that runs the tempo step (its `command` is {"task": TEMPO_TASK})."""
SCHEDULED_PREFIX = "white_cell/scheduled:"
"""Job keys of `wargame inject schedule`'s releases (server/jobs.py schedule_inject)."""
PARKED = "paused_remaining_s"
"""Key, in a parked release job's `result`, of the seconds it had left when the exercise paused."""
PARKED_FOR = timedelta(days=3650)


class EmbeddedScheduler:
    """One thread that runs `run(exercise_id)` at each exercise's next moment; `run` returns the
    one after (None: none). A later `at` for the same exercise replaces the earlier one."""

    def __init__(self, run: Callable[[str], datetime | None], now: Callable[[], datetime] = utc_now) -> None:
        self.run, self.now = run, now
        self._next: dict[str, datetime] = {}
        self._heap: list[tuple[datetime, str]] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def at(self, exercise_id: str, when: datetime | None) -> None:
        with self._wake:
            if when is None:
                self._next.pop(exercise_id, None)
                return
            if self._next.get(exercise_id) == when:
                return
            self._next[exercise_id] = when
            heapq.heappush(self._heap, (when, exercise_id))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="wargame-tempo", daemon=True)
                self._thread.start()
            self._wake.notify()

    def pending(self, exercise_id: str) -> datetime | None:
        with self._wake:
            return self._next.get(exercise_id)

    def _take(self) -> str:
        """Wait for the earliest live entry to come due and take it."""
        with self._wake:
            while True:
                while self._heap and self._next.get(self._heap[0][1]) != self._heap[0][0]:
                    heapq.heappop(self._heap)  # replaced or cancelled
                if not self._heap:
                    self._wake.wait()
                    continue
                when, exercise_id = self._heap[0]
                wait = (when - self.now()).total_seconds()
                if wait > 0:
                    self._wake.wait(min(wait, 60.0))
                    continue
                heapq.heappop(self._heap)
                del self._next[exercise_id]
                return exercise_id

    def _loop(self) -> None:
        while True:
            exercise_id = self._take()
            try:
                following = self.run(exercise_id)
            except Exception:  # the next command's commit schedules it again
                logger.exception("tempo step failed", extra={"exercise": exercise_id})
                continue
            if following is not None and self.pending(exercise_id) is None:
                self.at(exercise_id, following)


_lock = threading.Lock()
_embedded: EmbeddedScheduler | None = None


def embedded() -> EmbeddedScheduler:
    """This process's scheduler thread (started at its first appointment)."""
    global _embedded
    with _lock:
        if _embedded is None:
            _embedded = EmbeddedScheduler(_run_here)
        return _embedded


def _run_here(exercise_id: str) -> datetime | None:
    from django.db import connections

    from wargame.server.runtime import get_service
    from wargame.services.states import ExerciseNotFound
    from wargame.services.tempo import tick

    try:
        return tick(get_service(), exercise_id)
    except ExerciseNotFound:  # deleted meanwhile
        return None
    finally:
        connections.close_all()


def published(state: ExerciseState, events: list[EventEnvelope]) -> None:
    """After a commit: schedule the tempo step at the clock's next moment, and park or resume
    the exercise's wall-clock inject releases when it paused or resumed."""
    from wargame.server.runtime import uses_workers

    try:
        when = next_due(state)
        if uses_workers():
            if when is not None:
                enqueue_tempo(state.exercise_id, when)
            for event in events:
                if isinstance(event.body, ExercisePaused):
                    park_releases(state.exercise_id)
                elif isinstance(event.body, ExerciseResumed):
                    resume_releases(state.exercise_id)
        else:
            embedded().at(state.exercise_id, when)
    except Exception:  # the commit stands; the next one schedules again
        logger.exception("could not schedule the tempo", extra={"exercise": state.exercise_id})


def enqueue_tempo(exercise_id: str, when: datetime) -> None:
    """A worker job that runs the tempo step at `when` (one per exercise and moment)."""
    from wargame.server.models import Job
    from wargame.services.commands import white_cell

    key = f"scheduler/tempo:{when.strftime('%Y%m%dT%H%M%S.%f')}"
    seat = white_cell().model_dump(mode="json")
    defaults = {"seat": seat, "command": {"task": TEMPO_TASK}, "run_after": when}
    Job.objects.get_or_create(exercise_id=exercise_id, key=key, defaults=defaults)


def park_releases(exercise_id: str) -> int:
    """Park the exercise's queued wall-clock releases, each keeping the seconds it had left."""
    from wargame.server.models import Job

    now = timezone.now()
    parked = 0
    with transaction.atomic():
        queued = Job.objects.select_for_update().filter(
            exercise_id=exercise_id, status="queued", key__startswith=SCHEDULED_PREFIX
        )
        for job in queued:
            if isinstance(job.result, dict) and PARKED in job.result:
                continue
            left = max(0.0, (job.run_after - now).total_seconds())
            job.result, job.run_after = {PARKED: left}, now + PARKED_FOR
            job.save(update_fields=["result", "run_after"])
            parked += 1
    return parked


def resume_releases(exercise_id: str) -> int:
    """Make the parked releases due again, each after the time it had left."""
    from wargame.server.models import Job

    now = timezone.now()
    resumed = 0
    with transaction.atomic():
        queued = Job.objects.select_for_update().filter(
            exercise_id=exercise_id, status="queued", key__startswith=SCHEDULED_PREFIX
        )
        for job in queued:
            if not (isinstance(job.result, dict) and PARKED in job.result):
                continue
            job.run_after = now + timedelta(seconds=float(job.result[PARKED]))
            job.result = None
            job.save(update_fields=["result", "run_after"])
            resumed += 1
    return resumed
