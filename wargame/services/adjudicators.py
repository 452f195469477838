"""Adapters that run the adjudication core inline or in a process pool, outside the event loop."""

from __future__ import annotations

import multiprocessing
import os
import select
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


def _exit_with(owner_pid: int) -> None:
    """In a pool worker: exit as soon as the process that owns the pool does, however it ended
    (killed included). The worker's parent is the fork server, not the owner, so the kernel's
    parent-death signal would not tell; a pidfd of the owner becomes readable when it exits."""
    try:
        pidfd = os.pidfd_open(owner_pid)
    except ProcessLookupError:
        os._exit(1)

    def watch() -> None:
        select.select([pidfd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="wargame-owner-watch", daemon=True).start()


def _start_worker(owner_pid: int) -> None:
    _exit_with(owner_pid)
    map_large_blocks()


class PooledAdjudicator:
    """Runs the core in a process pool so a long move never blocks the server's threads.

    Workers start from a fork server, not by forking the server process: the core's parallel
    kernels use OpenMP threads, which a forked child must not inherit. The state travels without
    its background catalog; the worker decodes the catalog's blob (in `blobs`) once and keeps it.
    A worker exits when the process that made the pool does, even one killed outright; the fork
    server exits when its pipe from that process closes."""

    def __init__(self, max_workers: int = 1) -> None:
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        self._running = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(
            max_workers=self._max_workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
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
            self._running += 1
        try:
            return pool.submit(task, light, dict(blobs)).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            with self._lock:
                self._running -= 1

    def shutdown(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def terminate(self) -> None:
        """End the pool now (a server shutting down): an idle pool as usual, a pool running a
        move by killing its workers, since the pool's exit would wait for the move to end.
        `_processes` is the executor's table of its workers (Python 3.14: `terminate_workers`)."""
        with self._lock:
            pool, running = self._pool, self._running
        if not running:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
