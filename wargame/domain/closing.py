"""A closed move's adjudication and its conclusion: pure steps that follow a `move_closing`.

`decide` closes a move (`move_closing`, recorded under the exercise's lock). `adjudicate` then
computes the core's events from the state at that closing, outside any lock. `conclude` turns
them into the events to record, only if the state still holds that closing (the from_move
guard), or `reopen` records that the adjudication failed, so teams can act again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from wargame.domain.audience import Seat
from wargame.domain.commands import Rejection, reject
from wargame.domain.decide import address_all, evolve_all
from wargame.domain.events import (
    EventBody,
    ExerciseEnded,
    ExerciseStarted,
    MoveAdvanced,
    MoveReopened,
    PendingEvent,
)
from wargame.domain.evolve import evolve_body
from wargame.domain.request_decide import lapses
from wargame.domain.state import PICTURE_SETS_KEPT, Closing, ExerciseState
from wargame.domain.team_feed import with_notifications
from wargame.domain.tempo_opening import opening
from wargame.domain.triggers import due_injects

Blobs = Mapping[str, bytes]
"""Blobs the core reads, by digest: the custody records `state.pictures` names and the
background catalog (the service reads them from the store)."""

CLOSING_COMMANDS = frozenset({"start_exercise", "advance_move"})
"""Commands that close a move and run the adjudication core (first pictures, a move)."""


class Adjudicator(Protocol):
    """The adjudication core as the domain sees it: pure functions of the state and its blobs."""

    def initial_pictures(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]: ...

    def adjudicate_move(self, state: ExerciseState, blobs: Blobs) -> list[EventBody]: ...


def core_blobs(state: ExerciseState) -> list[str]:
    """Digests of the blobs the core reads for this state: its background catalog and the
    custody records of its latest pictures."""
    digests = [] if state.catalog is None else [state.catalog.digest]
    return digests + [p.custody for p in state.pictures[-PICTURE_SETS_KEPT:]]


def adjudicate(state: ExerciseState, adjudicator: Adjudicator, blobs: Blobs) -> list[EventBody]:
    """The core's events for the closing `state` holds (`state` is the state at that closing):
    for move 0 the start and every nation's first picture, else the move's adjudication."""
    closing = state.closing
    if closing is None:
        raise ValueError("adjudicate needs the state at a move_closing")
    if closing.move == 0:
        started = ExerciseStarted(move=1, scenario_time=state.scenario.start_time)
        return [started, *adjudicator.initial_pictures(evolve_body(state, started), blobs)]
    return list(adjudicator.adjudicate_move(state, blobs))


def conclude(
    state: ExerciseState,
    seat: Seat,
    closing: Closing,
    bodies: Sequence[EventBody],
    at: datetime | None = None,
) -> list[PendingEvent] | Rejection:
    """The events that record an adjudication computed at `closing`, appended to `state` (the
    state now, with whatever chat or injects came meanwhile); `stale` if `state` no longer
    holds that closing. The move advances (or the exercise ends after its last move) and the
    injects due in the next move are released. At `at` (the wall clock) the next move's clock
    starts when the scenario gives moves a deadline (domain/tempo.py): its injects planned later
    than its start then wait for their scenario time."""
    moved = guard(state, closing)
    if moved is not None:
        return moved
    if closing.move == 0:
        after = evolve_all(state, bodies)
        return address_all(state, [*bodies, *opening(after, at, due_injects, None)], seat.actor)
    after = evolve_all(state, bodies)
    lapsed = with_notifications(state, list(lapses(state)))
    if state.move >= state.scenario.moves:
        return address_all(state, [*bodies, *lapsed, ExerciseEnded(move=state.move)], seat.actor)
    next_move = state.move + 1
    advanced = MoveAdvanced(move=next_move, scenario_time=state.move_start(next_move))
    due = opening(evolve_body(after, advanced), at, due_injects, state)
    return address_all(state, [*bodies, *lapsed, advanced, *due], seat.actor)


def reopen(
    state: ExerciseState, seat: Seat, closing: Closing, reason: str
) -> list[PendingEvent] | Rejection:
    """One move_reopened: the adjudication at `closing` failed and the move is open again;
    `stale` if `state` no longer holds that closing."""
    moved = guard(state, closing)
    if moved is not None:
        return moved
    return address_all(state, [MoveReopened(move=closing.move, reason=reason[:200])], seat.actor)


def reopen_reason(closing: Closing, what: str) -> str:
    """The reason a move_reopened gives every seat: what `failed` or `timed out`, and what now."""
    if closing.move == 0:
        return f"computing the first pictures {what}; the white cell may start the exercise again"
    move = closing.move
    return f"the adjudication of move {move} {what}; the move is open again until the white cell advances"


def guard(state: ExerciseState, closing: Closing) -> Rejection | None:
    """Why an adjudication computed at `closing` may no longer be recorded (None: it may): the
    state must still hold that very closing, at the same move (from_move)."""
    what = "the start" if closing.move == 0 else f"move {closing.move}"
    if state.phase == "ended":
        return reject(state, "stale", f"the exercise ended while {what} was being adjudicated")
    current = state.closing
    if current is None or current.command != closing.command or current.seq != closing.seq:
        if state.move != closing.move:
            return reject(state, "stale", f"{what} is already closed; move {state.move} is open")
        return reject(
            state, "stale", f"{what} was reopened or taken over by another command meanwhile"
        )
    if state.move != closing.move:
        return reject(state, "stale", f"{what} is already closed; move {state.move} is open")
    return None
