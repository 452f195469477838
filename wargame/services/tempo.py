"""The tempo scheduler's step: record what the move clock makes due at a wall-clock moment
(domain/tempo.py), and close a move whose deadline passed with `on_deadline: advance` through
the white cell's own advance_move. Both server modes run this step (server/tempo_schedule.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove, Rejection, reject
from wargame.domain.events import EventBody
from wargame.domain.state import ExerciseState
from wargame.domain.tempo import SCHEDULER_ACTOR, clock_of, due_now, next_due
from wargame.services.commands import ExerciseService

logger = logging.getLogger(__name__)

SCHEDULER_SEAT = Seat(role=Role.WHITE_CELL, label="Scheduler", member="scheduler")
"""The seat of the advance a passed deadline makes: the white cell's command, signed 'scheduler'."""


def deadline_command_id(move: int) -> str:
    """One advance per move's deadline, whichever process or worker gets there first."""
    return f"deadline-move-{move}"


def tick(service: ExerciseService, exercise_id: str, now: datetime | None = None) -> datetime | None:
    """Record what is due at `now` (the service's clock by default) and, if the deadline passed
    with `advance`, close the move; returns when to look again (None: not until a command)."""
    at = now or service.clock()
    state = service.state(exercise_id)
    if due_now(state, at):

        def decision(current: ExerciseState) -> list[EventBody] | Rejection:
            bodies = due_now(current, at)
            return bodies or reject(current, "already_done", "nothing is due")

        service.record(exercise_id, SCHEDULER_ACTOR, decision)
        state = service.state(exercise_id)
    clock = clock_of(state)
    if clock is not None and clock.passed and clock.on_deadline == "advance" and _open(state):
        command = AdvanceMove(type="advance_move", from_move=state.move)
        result = service.handle(exercise_id, SCHEDULER_SEAT, deadline_command_id(state.move), command)
        logger.info("deadline advance", extra={"exercise": exercise_id, "status": result.get("status")})
        state = service.state(exercise_id)
    return next_due(state)


def _open(state: ExerciseState) -> bool:
    return state.phase == "running" and state.closing is None
