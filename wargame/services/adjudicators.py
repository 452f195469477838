"""Adapters that run the adjudication core inline or in a process pool, outside the event loop."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from wargame import adjudication
from wargame.domain.events import EventBody
from wargame.domain.state import ExerciseState


class InlineAdjudicator:
    """Runs the core in the calling thread (tests, tools and the worker process)."""

    def initial_pictures(self, state: ExerciseState) -> list[EventBody]:
        return adjudication.initial_pictures(state)

    def adjudicate_move(self, state: ExerciseState) -> list[EventBody]:
        return adjudication.adjudicate_move(state)


class PooledAdjudicator:
    """Runs the core in a process pool so a long move never blocks the server's threads.

    Workers start from a fork server, not by forking the server process: the core's parallel
    kernels use OpenMP threads, which a forked child must not inherit."""

    def __init__(self, max_workers: int = 1) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=max_workers, mp_context=multiprocessing.get_context("forkserver")
        )

    def initial_pictures(self, state: ExerciseState) -> list[EventBody]:
        return self._pool.submit(adjudication.initial_pictures, state).result()

    def adjudicate_move(self, state: ExerciseState) -> list[EventBody]:
        return self._pool.submit(adjudication.adjudicate_move, state).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
