"""A log recorded before params were checked, with ad-hoc injects the core cannot use, loads,
replays and plays on: each such inject resolves as invalid with the reason, and the move goes on."""

from __future__ import annotations

from pathlib import Path

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove
from wargame.domain.events import (
    AssetStatusChanged,
    EventBody,
    EventEnvelope,
    InjectReleased,
    InjectResolved,
    ManoeuvreExecuted,
    MoveAdjudicated,
    ThreatAssessed,
)
from wargame.eventlog.chain import verify_chain
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

RECORDED = Path(__file__).parent / "data" / "tutorial-log-78af8fa-bad-params.jsonl"
"""The tutorial started by 78af8fa (before params were checked), with three ad-hoc injects it
accepted in move 1: ADHOC-8, a close approach at `range_km: "five"`; ADHOC-9, an uplink jamming
with `site_lat_deg: "north"`; ADHOC-10, a message with a `g_level` no message takes. With them,
78af8fa failed every advance of move 1. Its scenario still has the params the core never read
(inj-003's band and duration_hours)."""


def _recorded() -> tuple[list[str], list[EventEnvelope]]:
    lines = RECORDED.read_text().splitlines()
    return lines, [EventEnvelope.model_validate_json(line) for line in lines]


def _resolution(bodies: list[EventBody], inject_id: str) -> InjectResolved:
    (resolved,) = [b for b in bodies if isinstance(b, InjectResolved) and b.inject_id == inject_id]
    return resolved


def test_the_log_loads_verifies_and_replays_with_its_params_as_recorded() -> None:
    lines, events = _recorded()
    assert [e.model_dump_json() for e in events] == lines
    assert verify_chain(events) == []
    state = fold(events)
    assert state is not None and (state.phase, state.move) == ("running", 1)
    assert state.injects["ADHOC-8"].inject.params == {"approacher": "red-inspector-1", "range_km": "five"}
    assert state.injects["ADHOC-9"].released_move == 1


def test_injects_with_bad_params_resolve_as_invalid_and_the_exercise_plays_on() -> None:
    _lines, events = _recorded()
    store = MemoryEventStore()
    with store.write(events[0].exercise_id) as tx:
        tx.append(events)
    service = ExerciseService(store, InlineAdjudicator())
    white = Seat(role=Role.WHITE_CELL)
    exercise = events[0].exercise_id

    first = service.handle(exercise, white, "advance-1", AdvanceMove(type="advance_move", from_move=1))
    assert first["status"] == "accepted", first
    log = store.read_after(exercise, 0)
    assert verify_chain(log) == []
    bodies = [e.body for e in log[len(events):]]
    approach = _resolution(bodies, "ADHOC-8")
    assert (approach.succeeded, approach.p_success) == (False, 0.0)
    assert approach.outcome == (
        "invalid parameters: params.range_km: Input should be a valid number, "
        "unable to parse string as a number (got 'five')"
    )
    assert approach.details == {"invalid_params": [approach.outcome.removeprefix("invalid parameters: ")]}
    jamming = _resolution(bodies, "ADHOC-9")
    assert (jamming.succeeded, jamming.p_success) == (False, 0.0)
    assert jamming.outcome.startswith("invalid parameters: params.site_lat_deg: Input should be a valid ")
    # No effect: the inspector did not move, Skynet 5D was not jammed, nobody assessed either.
    bad = ("ADHOC-8", "ADHOC-9")
    assert not any(isinstance(b, ManoeuvreExecuted) and b.asset_id == "red-inspector-1" for b in bodies)
    assert not any(isinstance(b, AssetStatusChanged) and b.inject_id in bad for b in bodies)
    assert not any(isinstance(b, ThreatAssessed) and b.inject_id in bad for b in bodies)
    # A key the type does not take was never read, and still is not: the message resolves as before.
    assert _resolution(bodies, "ADHOC-10").outcome == "no physical effect"
    assert _resolution(bodies, "inj-002").outcome in ("miss", "avoided", "collision")

    second = service.handle(exercise, white, "advance-2", AdvanceMove(type="advance_move", from_move=2))
    assert second["status"] == "accepted", second
    later = [e.body for e in store.read_after(exercise, len(log))]
    (jamming_released,) = [b for b in bodies if isinstance(b, InjectReleased) and b.inject.id == "inj-003"]
    assert jamming_released.inject.params == {"band": "X", "duration_hours": 5}
    jammed = _resolution(later, "inj-003")
    assert not jammed.outcome.startswith("invalid parameters") and jammed.p_success > 0.0
    assert [b.move for b in [*bodies, *later] if isinstance(b, MoveAdjudicated)] == [1, 2]
    replayed = fold(store.read_after(exercise, 0))
    assert replayed is not None and replayed.model_dump() == service.state(exercise).model_dump()


def test_a_long_reason_is_cut_to_the_outcome_limit_and_kept_whole_in_details() -> None:
    from wargame.adjudication.effects import invalid_params_resolution
    from wargame.domain.common import InjectType
    from wargame.domain.inject_params import InvalidParams, recorded_params

    bad = {"secondary": 1, "miss_km": "x" * 500, "tca_offset_hours": -1}
    params = recorded_params(InjectType.CONJUNCTION, bad)
    assert isinstance(params, InvalidParams) and len(params.problems) == 3
    resolved = invalid_params_resolution("inj-9", params)
    assert len(resolved.outcome) == 200 and resolved.outcome.endswith("...")
    assert resolved.outcome.startswith("invalid parameters: params.secondary: Input should be a valid string")
    assert resolved.details == {"invalid_params": list(params.problems)}
    assert (resolved.succeeded, resolved.p_success) == (False, 0.0)
