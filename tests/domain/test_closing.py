"""A move closes, is adjudicated outside the lock, and is concluded only if its closing holds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.factories import FakeAdjudicator, command, make_created, run_command, seat, share
from wargame.domain.audience import Role, Seat
from wargame.domain.events import EventBody
from wargame.domain.state import ExerciseState
from wargame.eventlog.chain import verify_chain
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "close1"
ADVANCE = {"type": "advance_move", "from_move": 1}
ORDER = {"type": "submit_order", "order": {"kind": "anti_jam", "asset_id": "usa-sat", "enabled": True}}


class GatedAdjudicator(FakeAdjudicator):
    """Adjudicates a move only once the test opens the gate; remembers the states it was given."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.seen: list[ExerciseState] = []

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        self.seen.append(state)
        self.entered.set()
        assert self.gate.wait(10), "the test never opened the gate"
        return super().adjudicate_move(state, blobs)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2027, 3, 1, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


def started(adjudicator: FakeAdjudicator, clock: Clock | None = None) -> ExerciseService:
    service = ExerciseService(
        MemoryEventStore(), adjudicator, clock=clock or Clock(), adjudication_lease_s=60
    )
    service.create(EX, make_created())
    gate = getattr(adjudicator, "gate", None)
    if gate is not None:
        gate.set()  # the start adjudicates no move
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    if gate is not None:
        gate.clear()
    return service


def advance_in(pool: ThreadPoolExecutor, service: ExerciseService, command_id: str) -> Future[dict[str, Any]]:
    return pool.submit(service.handle, EX, seat("white_cell"), command_id, command(ADVANCE))


def types_after(service: ExerciseService, seq: int) -> list[str]:
    return [e.body.type for e in service.store.read_after(EX, seq)]


def test_team_inputs_wait_while_a_move_closes_and_chat_and_injects_go_on(pool: ThreadPoolExecutor) -> None:
    core = GatedAdjudicator()
    service = started(core)
    before = service.state(EX).last_seq
    advancing = advance_in(pool, service, "adv")
    assert core.entered.wait(10)
    assert types_after(service, before) == ["move_closing"]
    closing = service.state(EX).closing
    assert closing is not None and (closing.move, closing.command) == (1, "white_cell/adv")

    for refused in (ORDER, share("GBR")):
        result = run_command(service, EX, "team:USA", refused)
        assert (result["status"], result["code"]) == ("rejected", "wrong_phase")
        assert result["message"] == "move 1 is being adjudicated; orders go to move 2 once it opens"
    chat = {"type": "post_chat", "channel": "coalition", "text": "holding until move 2"}
    assert run_command(service, EX, "team:USA", chat)["status"] == "accepted"
    # The white cell releases a move-2 inject early: it resolves in the next move, once.
    early = {"type": "release_inject", "inject_id": "INJ-2"}
    assert run_command(service, EX, "white_cell", early)["status"] == "accepted"
    observation = {"type": "record_observation", "text": "USA waits for the adjudication"}
    assert run_command(service, EX, "facilitator", observation)["status"] == "accepted"
    assert not advancing.done()  # the adjudication still runs: nothing above waited for it

    core.gate.set()
    result = advancing.result(10)
    assert result["status"] == "accepted" and result["seqs"][0] == closing.seq
    recorded = types_after(service, before)
    assert recorded[:4] == ["move_closing", "chat_posted", "inject_released", "observation_recorded"]
    assert recorded[-1] == "move_advanced" and "picture_updated" in recorded[4:]  # sealed after the chat
    assert recorded.count("inject_released") == 1  # INJ-2 is not released again as move 2 opens
    assert core.seen[0].last_seq == closing.seq  # the core read the state at the closing, not the chat
    state = service.state(EX)
    assert (state.move, state.closing) == (2, None)
    assert state.injects["INJ-2"].released_move == 1 and not state.injects["INJ-2"].resolved
    accepted = run_command(service, EX, "team:USA", ORDER)
    assert accepted["status"] == "accepted"
    assert [o.move for o in service.state(EX).nations["USA"].orders.values()] == [2]
    assert verify_chain(service.store.read_after(EX, 0)) == []


def test_two_controllers_advancing_at_once_give_exactly_one_advance(pool: ThreadPoolExecutor) -> None:
    core = GatedAdjudicator()
    service = started(core)
    before = service.state(EX).last_seq
    first = advance_in(pool, service, "adv-a")
    assert core.entered.wait(10)
    other = Seat(role=Role.WHITE_CELL, label="Second controller", member="Maj Lindqvist")
    second = service.handle(EX, other, "adv-b", command(ADVANCE))
    assert (second["status"], second["code"]) == ("rejected", "stale")
    assert second["message"].startswith("move 1 is already being adjudicated")
    core.gate.set()
    assert first.result(10)["status"] == "accepted"
    assert types_after(service, before).count("move_advanced") == 1
    assert types_after(service, before).count("move_closing") == 1
    late = service.handle(EX, other, "adv-c", command(ADVANCE))
    assert (late["code"], late["message"]) == ("stale", "move 1 is already closed; move 2 is open")


def test_two_advances_racing_for_the_lock_give_exactly_one_advance(pool: ThreadPoolExecutor) -> None:
    service = started(FakeAdjudicator())
    barrier = threading.Barrier(2)

    def advance(command_id: str) -> dict[str, Any]:
        barrier.wait()
        return service.handle(EX, seat("white_cell"), command_id, command(ADVANCE))

    results = list(pool.map(advance, ["race-a", "race-b"]))
    assert sorted(r["status"] for r in results) == ["accepted", "rejected"]
    assert next(r for r in results if r["status"] == "rejected")["code"] == "stale"
    assert service.state(EX).move == 2
    assert types_after(service, 0).count("move_advanced") == 1


def test_the_same_command_resent_while_it_adjudicates_gets_the_same_result(pool: ThreadPoolExecutor) -> None:
    core = GatedAdjudicator()
    service = started(core)
    first = advance_in(pool, service, "adv")
    assert core.entered.wait(10)
    resent = advance_in(pool, service, "adv")
    assert not resent.done()
    core.gate.set()
    a, b = first.result(10), resent.result(10)
    assert a["status"] == "accepted" and b == {**a, "repeat": True}
    assert len(core.seen) == 1  # adjudicated once
    assert service.handle(EX, seat("white_cell"), "adv", command(ADVANCE)) == {**a, "repeat": True}


class FailingOnce(FakeAdjudicator):
    def __init__(self) -> None:
        self.calls = 0

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("sgp4 error 6 for object deb-1")
        return super().adjudicate_move(state, blobs)


def test_a_failing_adjudication_reopens_the_move_and_a_retry_advances_it() -> None:
    service = started(FailingOnce())
    before = service.state(EX).last_seq
    failed = run_command(service, EX, "white_cell", ADVANCE)
    assert (failed["status"], failed["code"]) == ("rejected", "adjudication_failed")
    assert "RuntimeError: sgp4 error 6 for object deb-1" in failed["message"]
    assert failed["message"].endswith("advance again to retry")
    assert types_after(service, before) == ["move_closing", "move_reopened"]
    reopened = service.store.read_after(EX, before)[1]
    assert reopened.audience == service.store.read_after(EX, before)[0].audience  # everyone
    state = service.state(EX)
    assert (state.move, state.closing) == (1, None)
    assert run_command(service, EX, "team:USA", ORDER)["status"] == "accepted"  # teams act again
    retry = run_command(service, EX, "white_cell", ADVANCE)
    assert retry["status"] == "accepted" and service.state(EX).move == 2
    assert verify_chain(service.store.read_after(EX, 0)) == []


class Dies(FakeAdjudicator):
    """The process adjudicating dies: nothing after the closing happens in it."""

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        raise SystemExit("killed")


def test_a_closing_left_by_a_dead_process_is_resumed_by_its_command_or_taken_over_after_its_lease() -> None:
    clock = Clock()
    store = MemoryEventStore()
    dead = ExerciseService(store, Dies(), clock=clock, adjudication_lease_s=60)
    dead.create(EX, make_created())
    assert run_command(dead, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    with pytest.raises(SystemExit):
        dead.handle(EX, seat("white_cell"), "adv", command(ADVANCE))
    chat = {"type": "post_chat", "channel": "team", "text": "after the closing"}
    assert run_command(dead, EX, "team:USA", chat)["status"] == "accepted"

    core = GatedAdjudicator()
    core.gate.set()
    restarted = ExerciseService(store, core, clock=clock, adjudication_lease_s=60)  # a new process
    other = restarted.handle(EX, seat("white_cell"), "adv-2", command(ADVANCE))
    assert (other["code"], other["message"]) == (
        "stale", "move 1 is already being adjudicated; if nothing comes of it, try again after 12:01:00 UTC"
    )
    resumed = restarted.handle(EX, seat("white_cell"), "adv", command(ADVANCE))  # the same command resent
    assert resumed["status"] == "accepted" and restarted.state(EX).move == 2
    closing_seq = resumed["seqs"][0]
    assert core.seen[0].last_seq == closing_seq and core.seen[0].chat == ()  # the state at the closing

    with pytest.raises(SystemExit):
        dead.handle(EX, seat("white_cell"), "adv-m2", command({"type": "advance_move", "from_move": 2}))
    clock.now += timedelta(seconds=61)  # its lease is over: another advance takes the move over
    advance_2 = command({"type": "advance_move", "from_move": 2})
    taken = restarted.handle(EX, seat("white_cell"), "adv-m2b", advance_2)
    assert taken["status"] == "accepted" and restarted.state(EX).move == 3
    log = types_after(restarted, 0)
    assert log.count("move_closing") == 4 and log.count("move_advanced") == 2  # start, 1, 2 twice
    assert verify_chain(store.read_after(EX, 0)) == []


def test_an_adjudication_overtaken_meanwhile_commits_nothing(pool: ThreadPoolExecutor) -> None:
    clock = Clock()
    slow = GatedAdjudicator()
    first = started(slow, clock)  # one process, whose core is slow
    second = ExerciseService(first.store, FakeAdjudicator(), clock=clock, adjudication_lease_s=60)
    late = advance_in(pool, first, "adv-slow")
    assert slow.entered.wait(10)
    clock.now += timedelta(seconds=61)
    assert second.handle(EX, seat("white_cell"), "adv-fast", command(ADVANCE))["status"] == "accepted"
    slow.gate.set()
    refused = late.result(10)
    assert (refused["code"], refused["message"]) == ("stale", "move 1 is already closed; move 2 is open")
    assert types_after(second, 0).count("move_advanced") == 1
    assert first.handle(EX, seat("white_cell"), "adv-slow", command(ADVANCE)) == {**refused, "repeat": True}


def test_ending_the_exercise_while_a_move_closes_drops_the_adjudication(pool: ThreadPoolExecutor) -> None:
    core = GatedAdjudicator()
    service = started(core)
    advancing = advance_in(pool, service, "adv")
    assert core.entered.wait(10)
    assert run_command(service, EX, "white_cell", {"type": "end_exercise"})["status"] == "accepted"
    core.gate.set()
    result = advancing.result(10)
    ended = "the exercise ended while move 1 was being adjudicated"
    assert (result["code"], result["message"]) == ("stale", ended)
    assert "move_advanced" not in types_after(service, 0) and service.state(EX).phase == "ended"
