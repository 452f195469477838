"""Adapters that run the adjudication core inline or in a process pool, outside the event loop."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from wargame import adjudication
from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, decode_catalog
from wargame.domain.events import EventBody
from wargame.domain.state import ExerciseState
from wargame.services.memory import map_large_blocks, release_free_memory

Blobs = Mapping[str, bytes]


class InlineAdjudicator:
    """Runs the core in the calling thread (tests, tools and the worker process)."""

    def initial_pictures(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        return adjudication.initial_pictures(state, blobs)

    def adjudicate_move(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        return adjudication.adjudicate_move(state, blobs)


_catalogs: dict[str, BackgroundCatalog] = {}
"""Background catalogs a pool worker has decoded, by digest (one or two exercises at a time)."""


def _with_background(state: ExerciseState, blobs: Blobs) -> ExerciseState:
    """In a pool worker: the state with its background catalog decoded from `blobs` (once)."""
    if state.catalog is None:
        return state
    digest = state.catalog.digest
    found = _catalogs.get(digest)
    if found is None:
        if len(_catalogs) >= 2:
            _catalogs.pop(next(iter(_catalogs)))
        found = _catalogs[digest] = decode_catalog(blobs[digest], digest)
    return state.model_copy(update={"background": found})


def _initial_pictures(state: ExerciseState, blobs: Blobs) -> list[EventBody]:
    try:
        return adjudication.initial_pictures(_with_background(state, blobs), blobs)
    finally:
        release_free_memory()


def _adjudicate_move(state: ExerciseState, blobs: Blobs) -> list[EventBody]:
    try:
        return adjudication.adjudicate_move(_with_background(state, blobs), blobs)
    finally:
        release_free_memory()


class PooledAdjudicator:
    """Runs the core in a process pool so a long move never blocks the server's threads.

    Workers start from a fork server, not by forking the server process: the core's parallel
    kernels use OpenMP threads, which a forked child must not inherit. The state travels without
    its background catalog; the worker decodes the catalog's blob (in `blobs`) once and keeps it."""

    def __init__(self, max_workers: int = 1) -> None:
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(
            max_workers=self._max_workers, mp_context=context, initializer=map_large_blocks
        )

    def initial_pictures(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        return self._run(_initial_pictures, state, blobs)

    def adjudicate_move(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        return self._run(_adjudicate_move, state, blobs)

    def _run(
        self, task: Callable[[ExerciseState, Blobs], list[EventBody]], state: ExerciseState, blobs: Blobs
    ) -> list[EventBody]:
        """Run `task` in the pool. A pool whose worker died (killed, out of memory) is broken for
        good: it is replaced, so that the failed move, reopened, can be advanced again."""
        light = state.model_copy(update={"background": EMPTY_CATALOG})
        with self._lock:
            pool = self._pool
        try:
            return pool.submit(task, light, dict(blobs)).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    def shutdown(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=False, cancel_futures=True)
