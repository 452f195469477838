"""The process-pool adjudicator gives the inline result, also after the parallel kernels ran here."""

from __future__ import annotations

from adj_builders import make_state

from wargame.adjudication import threads
from wargame.services.adjudicators import InlineAdjudicator, PooledAdjudicator


def test_pooled_adjudication_equals_inline_after_this_process_used_threads() -> None:
    state = make_state()
    inline = InlineAdjudicator().adjudicate_move(state, {})  # starts the kernels' thread pool here
    pooled = PooledAdjudicator(max_workers=1)
    try:
        assert pooled.adjudicate_move(state, {}) == inline
        assert pooled.initial_pictures(state, {}) == InlineAdjudicator().initial_pictures(state, {})
    finally:
        pooled.shutdown()
    assert any(e.type == "picture_updated" for e in inline)
    assert threads.THREADSAFE, "OpenMP or TBB must load on the supported platforms"


def test_a_pool_whose_worker_died_is_replaced_so_the_move_can_be_adjudicated_again() -> None:
    import os
    from concurrent.futures.process import BrokenProcessPool

    import pytest

    state = make_state()
    pooled = PooledAdjudicator(max_workers=1)
    try:
        with pytest.raises(BrokenProcessPool):
            pooled._pool.submit(os._exit, 1).result()  # the worker dies (as when killed or out of memory)
        with pytest.raises(BrokenProcessPool):
            pooled.adjudicate_move(state, {})  # this move fails (the service reopens it) ...
        retried = pooled.adjudicate_move(state, {})  # ... and a retry runs in a new pool
        assert retried == InlineAdjudicator().adjudicate_move(state, {})
    finally:
        pooled.shutdown()
