"""A log recorded by an earlier version still verifies, replays and plays on after an upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove
from wargame.domain.events import EventEnvelope, MoveAdjudicated
from wargame.eventlog.chain import verify_chain
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

DATA = Path(__file__).parent / "data"
RECORDED = ["tutorial-log-57075b2.jsonl", "tutorial-log-2369566.jsonl"]
"""The tutorial started and played to move 3 by earlier versions, named by their commit:
57075b2 (the first release, 2026-11-28) and 2369566 (before the custody changes of 2026-12-06)."""


def _recorded(name: str) -> tuple[list[str], list[EventEnvelope]]:
    lines = (DATA / name).read_text().splitlines()
    return lines, [EventEnvelope.model_validate_json(line) for line in lines]


@pytest.mark.parametrize("name", RECORDED)
def test_an_older_log_dumps_byte_for_byte_and_its_chain_holds(name: str) -> None:
    lines, events = _recorded(name)
    assert [e.model_dump_json() for e in events] == lines  # new fields are left out at defaults
    assert verify_chain(events) == []
    state = fold(events)
    assert state is not None and (state.phase, state.move) == ("running", 3)
    assert state.ruleset.custody.manoeuvre_drift_factor == 0.0  # adjudicated without drift then


@pytest.mark.parametrize("name", RECORDED)
def test_an_older_exercise_plays_on_after_an_upgrade(name: str) -> None:
    _lines, events = _recorded(name)
    store = MemoryEventStore()
    with store.write(events[0].exercise_id) as tx:
        tx.append(events)
    service = ExerciseService(store, InlineAdjudicator())
    result = service.handle(
        events[0].exercise_id, Seat(role=Role.WHITE_CELL), "after-upgrade",
        AdvanceMove(type="advance_move", from_move=3),
    )
    assert result["status"] == "accepted", result
    log = store.read_after(events[0].exercise_id, 0)
    assert verify_chain(log) == [] and len(log) > len(events)
    summaries = [e.body for e in log if isinstance(e.body, MoveAdjudicated)]
    assert [s.move for s in summaries] == [1, 2, 3]
    assert summaries[-1].precise_custody == {}  # the recorded ruleset has no precise threshold
