"""The per-process service instance, wired to the Django store and the channel layer."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections, transaction

from wargame.aar.sharing_analysis import analyse
from wargame.domain.closing import Adjudicator
from wargame.server.store import DjangoEventStore
from wargame.server.tempo_schedule import published as tempo_published
from wargame.services.adjudicators import InlineAdjudicator, PooledAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.sharing_analysis import AnalysisPool, AnalysisRunner

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_service: ExerciseService | None = None
_adjudicating: ThreadPoolExecutor | None = None
T = TypeVar("T")


def exercise_group(exercise_id: str) -> str:
    return f"exercise.{exercise_id}"


_held = threading.local()


@contextmanager
def news_deferred() -> Iterator[list[tuple[str, int]]]:
    """Within this block, this thread's news is collected instead of sent.

    A websocket consumer runs commands in the database thread; sending the news from there
    would block that thread on the event loop (and on Redis) before it can return. The consumer
    hands its events to its own hub first and then sends the collected news with
    `announce_news` from the loop. News of a transaction committed after the block is sent as
    usual.
    """
    held: list[tuple[str, int]] = []
    previous = getattr(_held, "news", None)
    _held.news = held
    try:
        yield held
    finally:
        _held.news = previous


def notify_news(exercise_id: str, last_seq: int) -> None:
    """Tell every server process that the exercise has events up to last_seq (after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return

    def send() -> None:
        held = getattr(_held, "news", None)
        if held is not None:
            held.append((exercise_id, last_seq))
            return
        try:
            async_to_sync(layer.group_send)(
                exercise_group(exercise_id), {"type": "exercise.news", "seq": last_seq}
            )
        except Exception:  # the commit stands; hubs poll the log and find the events
            logger.warning("could not announce seq %s of %s", last_seq, exercise_id)

    transaction.on_commit(send)


async def announce_news(exercise_id: str, last_seq: int) -> None:
    """`notify_news` from an event loop, for news collected by `news_deferred`."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(exercise_group(exercise_id), {"type": "exercise.news", "seq": last_seq})
    except Exception:  # the commit stands; hubs poll the log and find the events
        logger.warning("could not announce seq %s of %s", last_seq, exercise_id)


def notify_revoked(exercise_id: str, token_hashes: list[str]) -> None:
    """Ask every server process to close the sockets of revoked seats (hubs also poll for it)."""
    layer = get_channel_layer()
    if layer is None or not token_hashes:
        return
    message = {"type": "seat.revoked", "token_hashes": token_hashes}
    try:
        async_to_sync(layer.group_send)(exercise_group(exercise_id), message)
    except Exception:  # the hubs' periodic check closes the sockets anyway
        logger.warning("could not announce a revocation; hubs will find it when they poll")


def uses_workers() -> bool:
    """Adjudication and scheduled injects run in `wargame worker` processes."""
    return bool(settings.WARGAME["ADJUDICATION"] == "worker")


def make_adjudicator() -> Adjudicator:
    if uses_workers():
        return InlineAdjudicator()
    processes = settings.WARGAME["ADJUDICATION_PROCESSES"]
    return PooledAdjudicator(processes) if processes > 0 else InlineAdjudicator()


def get_service() -> ExerciseService:
    global _service
    with _lock:
        if _service is None:
            lease = settings.WARGAME["ADJUDICATION_LEASE_SECONDS"]
            _service = ExerciseService(
                DjangoEventStore(), make_adjudicator(), notify_news, adjudication_lease_s=lease
            )
            _service.launch_analysis = launch_analysis
            _service.on_published = tempo_published
        return _service


_analysing: ThreadPoolExecutor | None = None
_analysis_pool: AnalysisPool | None = None


def launch_analysis(exercise_id: str, analysis_id: str) -> None:
    """Start a requested value-of-sharing analysis in the background: as a job for a `wargame
    worker`, or in this process's analysis thread, which waits on a process of its own
    (WARGAME_ANALYSIS_PROCESSES; 0 runs it in the thread). Never on the event loop, never under
    the exercise's lock: progress and the result are recorded as short writes."""
    if uses_workers():
        from wargame.server.jobs import enqueue_analysis

        enqueue_analysis(exercise_id, analysis_id)
        return
    global _analysing, _analysis_pool
    with _lock:
        if _analysing is None:
            _analysing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wargame-analysis")
        processes = settings.WARGAME["ANALYSIS_PROCESSES"]
        if _analysis_pool is None and processes > 0:
            _analysis_pool = AnalysisPool(processes)
        executor, pool = _analysing, _analysis_pool
    runner = AnalysisRunner(get_service(), pool or analyse, settings.WARGAME["ANALYSIS_PROGRESS_SECONDS"])
    future = executor.submit(_with_own_connection, runner.run, exercise_id, analysis_id)
    future.add_done_callback(_log_failure)


def _log_failure(future: Future[str]) -> None:
    exc = future.exception()
    if exc is not None:  # the runner records the analysis's own failures; this is the store's
        logger.error("a sharing analysis could not be recorded: %s", exc)


async def in_adjudication_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run a command that adjudicates in a thread of its own, not in Channels' one database
    thread (`database_sync_to_async`), which serves every other command of the process: it
    waits there for the core (seconds to a minute) between two short transactions.

    The thread opens its own database connection and closes it afterwards (such commands come
    once a move). `WARGAME_ADJUDICATION_THREADS` exercises adjudicate at once in a process;
    more wait for a thread."""
    global _adjudicating
    with _lock:
        if _adjudicating is None:
            _adjudicating = ThreadPoolExecutor(
                max_workers=settings.WARGAME["ADJUDICATION_THREADS"],
                thread_name_prefix="wargame-adjudicating",
            )
        executor = _adjudicating
    call = functools.partial(_with_own_connection, fn, *args)
    return await asyncio.get_running_loop().run_in_executor(executor, call)


def _with_own_connection(fn: Callable[..., T], *args: Any) -> T:
    try:
        return fn(*args)
    finally:
        connections.close_all()


def running_service() -> ExerciseService | None:
    """The process's service if one was made (None: nothing to shut down)."""
    with _lock:
        return _service


def set_service(service: ExerciseService | None) -> None:
    """Replace the process's service (tests)."""
    global _service
    with _lock:
        _service = service
