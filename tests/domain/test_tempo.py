"""Tempo: move deadlines (advance and alert), warnings, pauses, scenario time within a move and
injects released at it, driven by an injectable clock (no waiting)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.factories import FakeAdjudicator, command, make_created, scenario_data, seat
from wargame.domain.audience import control_only, everyone
from wargame.domain.common import AssetStatus
from wargame.domain.events import EventEnvelope, MoveAdjudicated
from wargame.domain.tempo import clock_of, next_due, scenario_hours
from wargame.eventlog.store import MemoryEventStore
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.tempo import tick

IDS = itertools.count()
T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
TIMED = {
    "id": "T-1H",
    "serial": 9,
    "title": "Planned at +1 h",
    "move": 1,
    "offset_hours": 1.0,
    "trigger": "time",
    "type": "message",
    "recipients": ["USA"],
    "text": "one hour in",
}


class Clock:
    """The service's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> datetime:
        self.now = T0 + timedelta(minutes=minutes)
        return self.now


def game(
    tempo: dict[str, Any] | None, msel: list[dict[str, Any]] | None = None, adjudicator: Any = None
) -> tuple[ExerciseService, Clock]:
    clock = Clock()
    extra = {"tempo": tempo} if tempo is not None else {}
    created = make_created(msel=[*scenario_data()["msel"], *(msel or [TIMED])], **extra)
    service = ExerciseService(MemoryEventStore(), adjudicator or FakeAdjudicator(), clock=clock)
    service.create("ex", created)
    run(service, "white_cell", {"type": "start_exercise"})
    return service, clock


def run(
    service: ExerciseService, viewer: str, data: dict[str, Any], expect: str = "accepted"
) -> dict[str, Any]:
    result = service.handle("ex", seat(viewer), f"c{next(IDS)}", command(data))
    assert result["status"] == expect, result
    return result


def events(service: ExerciseService, kind: str) -> list[EventEnvelope]:
    return [e for e in service.store.read_after("ex", 0) if e.body.type == kind]


ADVANCE = {"move_deadline_minutes": 60, "warn_before_minutes": [10, 2], "on_deadline": "advance"}


def test_a_move_opens_with_its_deadline_and_an_inject_comes_at_its_scenario_time() -> None:
    service, clock = game(ADVANCE)
    state = service.state("ex")
    clock_now = clock_of(state)
    assert clock_now is not None and clock_now.deadline_s == 3600.0 and clock_now.running
    assert state.injects["T-1H"].released_move is None  # not when the move opens
    assert next_due(state) == T0 + timedelta(minutes=10)  # 6 h over 60 min: +1 h after 10 min
    assert tick(service, "ex", clock.at(9.9)) == T0 + timedelta(minutes=10)
    assert service.state("ex").injects["T-1H"].released_move is None
    tick(service, "ex", clock.at(10))
    released = events(service, "inject_released")[-1]
    assert released.body.inject.id == "T-1H" and released.actor == "scheduler"
    assert released.body.scenario_time == datetime(2027, 3, 1, 1, 0, tzinfo=UTC)
    assert scenario_hours(service.state("ex"), clock.at(30)) == pytest.approx(3.0)


def test_a_hold_lifted_before_its_scenario_time_waits_for_it_and_one_lifted_after_comes_at_once() -> None:
    service, clock = game(ADVANCE, [TIMED, {**TIMED, "id": "T-1H-B", "serial": 10}])
    for inject_id in ("T-1H", "T-1H-B"):
        hold = {"type": "hold_inject", "inject_id": inject_id, "reason": "hold it for now"}
        run(service, "white_cell", hold)
    clock.at(5)
    run(service, "white_cell", {"type": "lift_hold", "inject_id": "T-1H", "reason": "lift the hold"})
    assert service.state("ex").injects["T-1H"].released_move is None, "its scenario time (+1 h) is 10 min in"
    tick(service, "ex", clock.at(10))
    released = [(e.body.inject.id, e.actor) for e in events(service, "inject_released")]
    assert released == [("T-1H", "scheduler")]
    clock.at(20)
    run(service, "white_cell", {"type": "lift_hold", "inject_id": "T-1H-B", "reason": "lift the hold"})
    late = events(service, "inject_released")[-1]
    assert (late.body.inject.id, late.actor) == ("T-1H-B", "scheduler")
    assert late.body.scenario_time == datetime(2027, 3, 1, 1, 0, tzinfo=UTC)


def test_warnings_at_each_mark_then_the_move_advances_by_itself() -> None:
    service, clock = game(ADVANCE)
    tick(service, "ex", clock.at(49))
    assert events(service, "deadline_warning") == []
    tick(service, "ex", clock.at(50))
    tick(service, "ex", clock.at(51))
    tick(service, "ex", clock.at(58.5))
    warnings = [(e.body.mark_minutes, e.body.minutes_left) for e in events(service, "deadline_warning")]
    assert warnings == [(10.0, 10.0), (2.0, 1.5)]
    assert all(e.audience == everyone() for e in events(service, "deadline_warning"))
    tick(service, "ex", clock.at(60))
    state = service.state("ex")
    assert state.move == 2 and state.phase == "running"
    passed = events(service, "deadline_passed")
    assert [(e.body.move, e.body.on_deadline, e.audience) for e in passed] == [(1, "advance", everyone())]
    closing = events(service, "move_closing")[-1]
    assert (closing.actor, closing.member, closing.seq) == ("white_cell", "scheduler", passed[0].seq + 1)
    move_2 = clock_of(state)
    assert move_2 is not None and (move_2.move, move_2.at, move_2.elapsed_s) == (
        2,
        T0 + timedelta(minutes=60),
        0.0,
    )
    tick(service, "ex", clock.at(61))  # the passed deadline of move 1 advances nothing more
    assert service.state("ex").move == 2


def test_alert_tells_the_white_cell_only_and_the_move_stays_open() -> None:
    service, clock = game({**ADVANCE, "on_deadline": "alert"})
    tick(service, "ex", clock.at(60))
    passed = events(service, "deadline_passed")
    assert [(e.body.on_deadline, e.audience, e.actor) for e in passed] == [
        ("alert", control_only(), "scheduler")
    ]
    assert service.state("ex").move == 1 and next_due(service.state("ex")) is None
    tick(service, "ex", clock.at(70))
    assert len(events(service, "deadline_passed")) == 1


def test_a_pause_stops_the_countdown_and_nothing_fires_in_it() -> None:
    service, clock = game(ADVANCE)
    clock.at(5)
    run(service, "white_cell", {"type": "pause_exercise", "reason": "fire drill"})
    paused = clock_of(service.state("ex"))
    assert paused is not None and not paused.running and paused.elapsed_s == 300.0
    assert next_due(service.state("ex")) is None
    tick(service, "ex", clock.at(500))  # long after the deadline on the wall clock
    state = service.state("ex")
    assert state.move == 1 and state.injects["T-1H"].released_move is None
    assert events(service, "deadline_warning") == [] and events(service, "deadline_passed") == []
    clock.at(600)
    run(service, "white_cell", {"type": "resume_exercise"})
    resumed = clock_of(service.state("ex"))
    assert resumed is not None and resumed.remaining_at(clock.now) == 3300.0  # 55 min kept
    assert next_due(service.state("ex")) == T0 + timedelta(minutes=605)  # +1 h at 10 running minutes
    tick(service, "ex", clock.at(605))
    assert service.state("ex").injects["T-1H"].released_move == 1
    tick(service, "ex", clock.at(654.9))
    assert service.state("ex").move == 1
    tick(service, "ex", clock.at(655))
    assert service.state("ex").move == 2


def test_the_white_cell_sets_extends_and_clears_a_deadline_with_a_reason() -> None:
    service, clock = game(None)
    assert clock_of(service.state("ex")) is None
    clock.at(3)
    bad = {"type": "set_move_deadline", "action": "extend", "minutes": 5, "reason": "more time"}
    assert run(service, "white_cell", bad, "rejected")["code"] == "invalid"
    assert run(service, "team:USA", {**bad, "action": "set"}, "rejected")["code"] == "forbidden"
    assert (
        run(service, "white_cell", {**bad, "action": "set", "minutes": None}, "rejected")["code"] == "invalid"
    )
    run(
        service,
        "white_cell",
        {"type": "set_move_deadline", "action": "set", "minutes": 30, "reason": "keep pace"},
    )
    set_clock = clock_of(service.state("ex"))
    assert set_clock is not None and set_clock.deadline_s == 1800.0 and set_clock.on_deadline == "alert"
    clock.at(13)
    run(service, "white_cell", {**bad, "minutes": 15, "reason": "teams asked for time"})
    extended = clock_of(service.state("ex"))
    assert (
        extended is not None and extended.deadline_s == 2700.0 and extended.remaining_at(clock.now) == 2100.0
    )
    hours_then = scenario_hours(service.state("ex"), clock.now)
    clock.at(20)
    run(
        service,
        "white_cell",
        {"type": "set_move_deadline", "action": "clear", "reason": "white cell decides"},
    )
    cleared = clock_of(service.state("ex"))
    assert cleared is not None and cleared.deadline_s is None and next_due(service.state("ex")) is None
    assert scenario_hours(service.state("ex"), clock.at(90)) == scenario_hours(
        service.state("ex"), clock.at(20)
    )
    assert hours_then is not None and scenario_hours(service.state("ex"), clock.now) >= hours_then
    changes = [(e.body.change, e.body.reason, e.audience) for e in events(service, "move_clock_set")]
    assert changes == [
        ("set", "keep pace", everyone()),
        ("extended", "teams asked for time", everyone()),
        ("cleared", "white cell decides", everyone()),
    ]
    again = {"type": "set_move_deadline", "action": "clear", "reason": "again"}
    assert run(service, "white_cell", again, "rejected")["code"] == "already_done"


def test_injects_a_move_closed_before_their_time_come_as_the_next_opens() -> None:
    service, clock = game(ADVANCE)
    clock.at(5)
    run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    state = service.state("ex")
    assert state.move == 2 and state.injects["T-1H"].released_move == 2


def test_an_inject_released_mid_move_takes_effect_in_that_move_from_its_time() -> None:
    jam = {**TIMED, "id": "T-JAM", "type": "uplink_jamming", "target": "usa-sat", "actor": "RED"}
    service, clock = game(ADVANCE, [jam], InlineAdjudicator())
    tick(service, "ex", clock.at(10))
    assert service.state("ex").injects["T-JAM"].released_hours == 1.0
    hit = {
        "type": "force_outcome",
        "inject_id": "T-JAM",
        "outcome": "hit",
        "reason": "a sure hit for the test",
    }
    run(service, "white_cell", hit)
    clock.at(20)
    run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    log = service.store.read_after("ex", 0)
    advanced = next(e.seq for e in log if e.body.type == "move_advanced")
    resolved = [e for e in log if getattr(e.body, "inject_id", None) == "T-JAM"]
    assert resolved and all(e.seq < advanced and e.move == 1 for e in resolved)
    assert service.state("ex").injects["T-JAM"].resolved
    service_by = service.state("ex").ruleset.capability.service_by_status
    nominal, degraded = service_by[AssetStatus.NOMINAL], service_by[AssetStatus.DEGRADED]
    adjudicated = next(e.body for e in log if isinstance(e.body, MoveAdjudicated))
    # usa-sat is USA's one SATCOM asset: nominal for the first hour of six, degraded for the rest
    assert adjudicated.capability["USA"]["SATCOM"] == pytest.approx(nominal / 6 + degraded * 5 / 6)


def test_an_inject_released_as_its_move_opens_counts_for_the_whole_move() -> None:
    service, _ = game(None, [], InlineAdjudicator())
    run(service, "white_cell", {"type": "release_inject", "inject_id": "INJ-1"})
    hit = {
        "type": "force_outcome",
        "inject_id": "INJ-1",
        "outcome": "hit",
        "reason": "a sure hit for the test",
    }
    run(service, "white_cell", hit)
    run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    log = service.store.read_after("ex", 0)
    adjudicated = next(e.body for e in log if isinstance(e.body, MoveAdjudicated))
    degraded = service.state("ex").ruleset.capability.service_by_status[AssetStatus.DEGRADED]
    assert adjudicated.capability["USA"]["SATCOM"] == degraded


def test_the_aar_reads_the_clock_as_sentences() -> None:
    from wargame.aar.summaries import summarise

    service, clock = game(ADVANCE)
    tick(service, "ex", clock.at(10))
    tick(service, "ex", clock.at(50))
    tick(service, "ex", clock.at(60))
    log = service.store.read_after("ex", 0)
    lines = [
        summarise(e.body.type, e.actor, e.body.model_dump(mode="json"))
        for e in log
        if e.body.type in ("move_clock_set", "deadline_warning", "deadline_passed")
        or getattr(getattr(e.body, "inject", None), "id", "") == "T-1H"
    ]
    assert lines == [
        "Move 1 opened with a 60 min deadline (scenario tempo)",
        "Scheduler released T-1H 'Planned at +1 h' [NOFORN] at its scenario time 2027-03-01 01:00Z",
        "Move 1: 10 min left before the deadline (warning at 10.0 min)",
        "The deadline of move 1 passed: the move closed by itself",
        "Move 2 opened with a 60 min deadline (scenario tempo)",
    ]
