"""Snapshots as frames: a seat's view built once per viewer and head, shared by every socket of
that viewer that asks at the same time, and cut under the message ceiling."""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from wargame.domain.state import ExerciseState
from wargame.protocol.messages import snapshot_frames
from wargame.protocol.seat_snapshot import snapshot_text, snapshot_view
from wargame.server.reads import run_read

KEPT = 64
"""Built snapshots kept per process (one per viewer and head): a reconnect storm of 200 seats of
25 teams builds 25 team views, not 200."""

Key = tuple[str, str, int, str]
"""(exercise, viewer, head seq, head hash): the hash tells apart two logs of one exercise id that
reach the same seq (an exercise recreated under its id, as tests do)."""
_built: OrderedDict[Key, tuple[list[str], int]] = OrderedDict()
_building: dict[Key, asyncio.Future[tuple[list[str], int]]] = {}


def build(viewer: str, state: ExerciseState) -> tuple[list[str], int]:
    """(frames, position): the viewer's view at the state's head (`snapshot_view`, the one
    `wargame replay` gives too), as snapshot frames."""
    view = snapshot_view(viewer, state)
    pos = int(view["pos"])
    return snapshot_frames(pos, snapshot_text(view)), pos


async def frames(viewer: str, state: ExerciseState) -> tuple[list[str], int]:
    """The frames of `viewer`'s snapshot at `state`, built off the event loop once per head."""
    key = (state.exercise_id, viewer, state.last_seq, state.last_hash)
    found = _built.get(key)
    if found is not None:
        _built.move_to_end(key)
        return found
    pending = _building.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    future: asyncio.Future[tuple[list[str], int]] = asyncio.get_running_loop().create_future()
    _building[key] = future
    try:
        result = await run_read(build, viewer, state)
        future.set_result(result)
    except BaseException as exc:
        future.set_exception(exc)
        raise
    finally:
        _building.pop(key, None)
    _built[key] = result
    while len(_built) > KEPT:
        _built.popitem(last=False)
    return result
