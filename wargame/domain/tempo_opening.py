"""What a move's opening records when moves have deadlines: its clock, the injects due at once,
and the injects the closed move still owed (its deadline did not run out before it closed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from wargame.domain.events import EventBody, InjectReleased
from wargame.domain.evolve import evolve_body
from wargame.domain.state import ExerciseState
from wargame.domain.tempo import clock_of, deferred, opening_clock

DueInjects = Callable[..., list[EventBody]]


def opening(
    opened: ExerciseState, at: datetime | None, due_injects: DueInjects, closed: ExerciseState | None
) -> list[EventBody]:
    """The events after the move `opened` holds opens: first the timed injects of the closed
    move that were still waiting for their scenario time (its move closed before they came),
    then the move's clock (if the scenario has a deadline), then the injects due as it opens
    (`due_injects`, triggers.py) except those planned later in the move, which wait for it."""
    owed = _owed(closed)
    state = opened
    for body in owed:
        state = evolve_body(state, body)
    clock = opening_clock(state, at)
    for body in clock:
        state = evolve_body(state, body)
    due = due_injects(state, state.move, closed) if closed is not None else due_injects(state, state.move)
    now = [b for b in due if not (isinstance(b, InjectReleased) and deferred(state, b.inject))]
    return [*owed, *clock, *now]


def _owed(closed: ExerciseState | None) -> list[EventBody]:
    """Timed injects of `closed`'s move that waited for a scenario time its move never reached."""
    if closed is None or clock_of(closed) is None:
        return []
    owed = [
        e.inject for e in closed.injects.values()
        if e.released_move is None and e.inject.trigger == "time" and e.inject.move == closed.move
        and not (e.inject.contingency or e.held or e.skipped) and deferred(closed, e.inject)
    ]
    owed.sort(key=lambda i: (i.offset_hours, i.serial, i.id))
    return [InjectReleased(inject=i) for i in owed]
