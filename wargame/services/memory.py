"""Giving memory back to the system after a move: big arrays freed at once, the heap trimmed."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache

M_MMAP_THRESHOLD = -3
"""glibc mallopt parameter: allocations of at least this many bytes are mmapped."""
LARGE_BLOCK_BYTES = 1 << 20


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.malloc_trim  # noqa: B018  (glibc only: musl has no malloc_trim)
    except (OSError, AttributeError):
        return None
    return libc


def map_large_blocks() -> None:
    """Serve allocations of 1 MiB and more (numpy arrays of a move: up to 200 MB each at 47,000
    objects) from their own mappings, returned to the system when freed. glibc otherwise raises
    its threshold after the first big free, and later arrays fragment the heap for good."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES)


def trim_heap() -> None:
    """Hand the heap's free pages back to the system (glibc keeps them, per thread arena, after
    a big transient such as a picture render). ctypes releases the GIL meanwhile."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def release_free_memory() -> None:
    """Collect garbage, then trim the heap: after a move, in a process that only adjudicates (a
    full collection would hold up a server's event loop)."""
    gc.collect()
    trim_heap()
