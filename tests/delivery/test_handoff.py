"""The events a command hands to its process's hub equal what the other processes read from the log."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LiveExercise
from tests.factories import share
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventEnvelope
from wargame.protocol.projection import view_for
from wargame.server.hub import compact

pytestmark = [pytest.mark.integration]

VIEWERS = ["white_cell", "facilitator", "observer", "team:USA", "team:GBR", "team:JPN"]


def test_handed_over_events_frame_like_the_log(live_exercise: LiveExercise) -> None:
    from wargame.server.runtime import get_service

    service = get_service()
    white, usa = Seat(role=Role.WHITE_CELL, label="White Cell"), Seat(role=Role.PLAYER, nation="USA")
    handed: list[EventEnvelope] = []
    for n, (seat, data) in enumerate(
        [
            (white, {"type": "start_exercise"}),
            (usa, {"type": "post_chat", "channel": "coalition", "text": "hello \u00e9\u4e16"}),
            (usa, share("GBR")),
            (white, {"type": "advance_move", "from_move": 1}),
        ]
    ):
        command = command_adapter.validate_python(data)
        result, events = service.handle_events(
            live_exercise.exercise_id, seat, f"h{n}", command, committed=handed.extend
        )  # a move_closing is handed over as soon as it commits, the rest at the end
        assert result["status"] == "accepted", result
        handed.extend(events)
    logged = service.store.read_after(live_exercise.exercise_id, handed[0].seq - 1)
    assert "move_closing" in {e.body.type for e in handed}
    assert [e.seq for e in logged] == [e.seq for e in handed]
    assert len({e.body.type for e in handed}) > 4
    for viewer in VIEWERS:
        for mine, theirs in zip(handed, logged, strict=True):
            a, b = view_for(viewer, mine), view_for(viewer, theirs)
            assert (a is None) == (b is None)
            if a is not None:  # what the client parses is the same (PostgreSQL may order keys differently)
                assert json.loads(compact(a)) == json.loads(compact(b)), (viewer, mine.seq)
