"""Adapters that run the adjudication core inline or in a process pool, outside the event loop."""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

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
        self._pool = ProcessPoolExecutor(
            max_workers=max_workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=map_large_blocks,
        )

    def initial_pictures(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        light = state.model_copy(update={"background": EMPTY_CATALOG})
        return self._pool.submit(_initial_pictures, light, dict(blobs)).result()

    def adjudicate_move(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]:
        light = state.model_copy(update={"background": EMPTY_CATALOG})
        return self._pool.submit(_adjudicate_move, light, dict(blobs)).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
