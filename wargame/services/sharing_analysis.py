"""The value-of-sharing analysis as a use case: read the log it names, re-adjudicate it under
each variant (in a process of its own in a server), and record its progress and result."""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from wargame.aar.sharing_analysis import Progress, analyse, plan_variants
from wargame.aar.sharing_value import value_of
from wargame.domain.analysis_commands import analysis_refusal
from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog
from wargame.domain.commands import Rejection, reject
from wargame.domain.events import (
    EventBody,
    EventEnvelope,
    ExerciseCreated,
    SharingAnalysisCompleted,
    SharingAnalysisFailed,
    SharingAnalysisProgress,
)
from wargame.domain.sharing_analysis import SharingAnalysisResult, SharingVariant
from wargame.domain.state import ExerciseState
from wargame.services.commands import ExerciseService
from wargame.services.memory import map_large_blocks, release_free_memory

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0
"""At most one progress event per this many seconds (the last move of each run always shows)."""


class Compute(Protocol):
    """Runs the analysis: aar.sharing_analysis.analyse, here or in another process."""

    def __call__(
        self,
        events: Sequence[EventEnvelope],
        variants: Sequence[SharingVariant],
        background: BackgroundCatalog,
        progress: Progress | None,
    ) -> SharingAnalysisResult: ...


def _recorded(found: list[EventEnvelope] | Rejection) -> bool:
    return not isinstance(found, Rejection)


class AnalysisRunner:
    """Runs one requested analysis to its end and records it; safe to run twice (a worker's job
    taken over): whatever comes second records nothing."""

    def __init__(
        self,
        service: ExerciseService,
        compute: Compute = analyse,
        progress_every_s: float = PROGRESS_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service, self.compute = service, compute
        self.progress_every_s, self.clock = progress_every_s, clock

    def run(self, exercise_id: str, analysis_id: str) -> str:
        """Run it and record the result (or why it failed); returns the phase recorded, or
        'skipped' when it was already done, failed or never requested."""
        state = self.service.state(exercise_id)
        if analysis_refusal(state, analysis_id) is not None:
            return "skipped"
        status = state.analyses[analysis_id]
        (request,) = self.service.store.read_seqs(exercise_id, [status.requested_seq])
        actor = request.actor
        try:
            events = self._log(exercise_id, status.through_seq)
            variants = plan_variants(events, status.variants, status.per_release)
            progress = self._progress(exercise_id, analysis_id, actor)
            result = self.compute(events, variants, self._background(events[0]), progress)
        except Exception as exc:  # recorded for control seats; the exercise goes on
            logger.exception("exercise %s: sharing analysis %s failed", exercise_id, analysis_id)
            reason = f"{type(exc).__name__}: {exc}"[:200]
            failure = SharingAnalysisFailed(analysis_id=analysis_id, reason=reason)
            return "failed" if self._record(exercise_id, analysis_id, actor, failure) else "skipped"
        completed = SharingAnalysisCompleted(analysis_id=analysis_id, result=result)
        done = self._record(exercise_id, analysis_id, actor, completed)
        return "done" if done else "skipped"

    def _log(self, exercise_id: str, through_seq: int) -> list[EventEnvelope]:
        events: list[EventEnvelope] = []
        for event in self.service.store.iter_after(exercise_id, 0):
            if event.seq > through_seq:
                break
            events.append(event)
        return events

    def _background(self, created: EventEnvelope) -> BackgroundCatalog:
        ref = created.body.catalog if isinstance(created.body, ExerciseCreated) else None
        return EMPTY_CATALOG if ref is None else self.service.catalog(ref)

    def _record(self, exercise_id: str, analysis_id: str, actor: str, body: EventBody) -> bool:
        def decision(state: ExerciseState) -> list[EventBody] | Rejection:
            refusal = analysis_refusal(state, analysis_id)
            return [body] if refusal is None else reject(state, "already_done", refusal)

        return _recorded(self.service.record(exercise_id, actor, decision))

    def _progress(self, exercise_id: str, analysis_id: str, actor: str) -> Progress:
        last = [float("-inf")]

        def progress(done: int, total: int, step: str) -> None:
            now = self.clock()
            if now - last[0] < self.progress_every_s and done < total:
                return
            last[0] = now
            body = SharingAnalysisProgress(analysis_id=analysis_id, done=done, total=total, step=step[:200])
            self._record(exercise_id, analysis_id, actor, body)

        return progress


def _analyse_task(
    events: Sequence[EventEnvelope],
    variants: Sequence[SharingVariant],
    background: BackgroundCatalog,
    updates: Any,
) -> SharingAnalysisResult:
    """In the analysis process: the analysis, telling `updates` (a managed queue) its progress."""
    try:
        return analyse(events, variants, background, lambda d, t, s: updates.put((d, t, s)))
    finally:
        release_free_memory()


class AnalysisPool:
    """Runs analyses in a process of their own, apart from the adjudication pool, so that an
    hour-long analysis never holds up a move's adjudication nor the server's threads (a
    forkserver process, like PooledAdjudicator's; its progress comes back through a queue)."""

    def __init__(self, max_workers: int = 1) -> None:
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("forkserver")
        self._pool: ProcessPoolExecutor | None = None
        self._manager: Any = None

    def _started(self) -> tuple[ProcessPoolExecutor, Any]:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self._max_workers, mp_context=self._context, initializer=map_large_blocks
                )
            if self._manager is None:
                self._manager = self._context.Manager()
            return self._pool, self._manager

    def __call__(
        self,
        events: Sequence[EventEnvelope],
        variants: Sequence[SharingVariant],
        background: BackgroundCatalog,
        progress: Progress | None,
    ) -> SharingAnalysisResult:
        pool, manager = self._started()
        updates = manager.Queue()
        try:
            future = pool.submit(_analyse_task, list(events), list(variants), background, updates)
        except BrokenProcessPool:
            self._replace(pool)
            raise
        while True:
            try:
                done, total, step = updates.get(timeout=0.5)
            except queue.Empty:
                if future.done():
                    break
                continue
            if progress is not None:
                progress(done, total, step)
        try:
            return future.result()
        except BrokenProcessPool:
            self._replace(pool)
            raise

    def _replace(self, pool: ProcessPoolExecutor) -> None:
        """A pool whose process died is broken for good: the next analysis gets a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            if self._manager is not None:
                self._manager.shutdown()
            self._pool = self._manager = None


def analyses_view(service: ExerciseService, exercise_id: str) -> dict[str, Any]:
    """For control seats: every requested analysis (phase, progress) and the latest result's
    tables (aar.sharing_value.value_of), read from the log at its result_seq."""
    state = service.state(exercise_id)
    statuses = [s.model_dump(mode="json") for s in state.analyses.values()]
    done = [s for s in state.analyses.values() if s.phase == "done" and s.result_seq is not None]
    latest: dict[str, Any] | None = None
    if done:
        newest = max(done, key=lambda s: s.result_seq or 0)
        (event,) = service.store.read_seqs(exercise_id, [newest.result_seq or 0])
        assert isinstance(event.body, SharingAnalysisCompleted)
        latest = {"analysis_id": newest.analysis_id, "seq": event.seq, **value_of(event.body.result)}
    return {"analyses": statuses, "latest": latest, "nations": state.played_nations()}
