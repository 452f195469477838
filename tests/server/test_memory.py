"""A process gives a move's memory back: large blocks are mapped apart, the heap is trimmed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from wargame.services.memory import _libc

PROBE = textwrap.dedent(
    """
    import os, numpy as np
    from wargame.ops.procstats import rss_mb
    from wargame.services.memory import map_large_blocks, release_free_memory
    if {managed}:
        map_large_blocks()
    first = np.ones(4_000_000)  # one 32 MB array, freed: glibc raises its mmap threshold to 32 MB
    del first
    def move():
        # a move's transient: arrays below that threshold, small objects kept alive between them
        keep, big = [], []
        for k in range(60):
            big.append(np.ones(1_000_000))  # 8 MB each
            keep.append(bytearray(100_000))
        del big
        return keep
    before = rss_mb([os.getpid()])
    kept = move()
    if {managed}:
        release_free_memory()
    print(round(rss_mb([os.getpid()]) - before))
    """
)


def grown_mb(managed: bool) -> int:
    """MB a process still holds after a move's 480 MB of arrays were freed (6 MB stay alive)."""
    probe = PROBE.format(managed=managed)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(_libc() is None, reason="glibc only (malloc_trim, mallopt)")
def test_a_moves_arrays_go_back_to_the_system() -> None:
    unmanaged, managed = grown_mb(False), grown_mb(True)
    assert unmanaged > 200, f"the probe no longer shows glibc keeping freed arrays ({unmanaged} MB)"
    assert managed < 40, f"{managed} MB still held after the arrays were freed"
