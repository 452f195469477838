"""Reads for delivery (catch-up, snapshots, the hub's pulls) on threads of their own, bounded, so
that reconnecting seats never queue in front of commands on Channels' database thread."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connections

T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(
            max_workers=settings.WARGAME["READ_THREADS"], thread_name_prefix="wargame-read"
        )
    return _pool


def _call(fn: Callable[..., T], *args: Any) -> T:
    close_old_connections()  # each read thread keeps its own connection, renewed as Django would
    try:
        return fn(*args)
    finally:
        close_old_connections()


async def run_read(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking read on the delivery read pool (READ_THREADS threads)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), functools.partial(_call, fn, *args))


def close_read_connections() -> None:
    """Close each read thread's database connection and end the pool (a later read starts a new
    one): for a test database about to be dropped, or a process shutting down."""
    global _pool
    pool, _pool = _pool, None
    if pool is None:
        return
    threads = pool._max_workers
    everyone_here = threading.Barrier(threads)

    def close_mine() -> None:
        everyone_here.wait(timeout=30)  # one task per thread: each waits until all threads hold one
        connections.close_all()

    for future in [pool.submit(close_mine) for _ in range(threads)]:
        future.result()
    pool.shutdown(wait=True)
