"""The snapshot a seat is sent on hello: its view of a state at its stream position, as JSON."""

from __future__ import annotations

import json
from typing import Any

from wargame.domain.audience import is_control_viewer
from wargame.domain.state import ExerciseState
from wargame.protocol.projection import view_for

JsonDict = dict[str, Any]


def position_of(viewer: str, state: ExerciseState) -> int:
    """The viewer's stream position at the state's head (the log's seq for control seats)."""
    return state.last_seq if is_control_viewer(viewer) else state.stream_heads.get(viewer, 0)


def snapshot_view(viewer: str, state: ExerciseState) -> JsonDict:
    """The view `viewer` is sent on hello at the state's head (its `pos` is the stream position):
    the server's hello and `wargame replay` both build it here."""
    view = view_for(viewer, state, position_of(viewer, state))
    assert view is not None  # a state always has a view, if only the observer's
    return view


def snapshot_text(view: JsonDict) -> str:
    """The JSON text of a snapshot view, as it travels in the snapshot's parts."""
    return json.dumps(view, separators=(",", ":"), ensure_ascii=False)
