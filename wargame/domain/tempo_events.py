"""Event bodies of the move clock: the deadline set, moved, paused or cleared, its warnings, and
its passing."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, UtcDatetime
from wargame.domain.tempo_model import OnDeadline

ClockChange = Literal["opened", "paused", "resumed", "set", "extended", "cleared"]


class MoveClockSet(Frozen):
    """The open move's clock as of `at` (every seat sees it): its deadline, in running seconds
    after the move opened, and whether it runs. `change` says what happened, `reason` why
    (the white cell's words, or 'scenario tempo')."""

    type: Literal["move_clock_set"] = "move_clock_set"
    move: int
    at: UtcDatetime
    change: ClockChange
    elapsed_s: Annotated[float, Field(ge=0.0)]
    running: bool
    deadline_s: Annotated[float, Field(gt=0.0)] | None
    on_deadline: OnDeadline
    warn_before_minutes: tuple[float, ...] = ()
    scenario_hours: Annotated[float, Field(ge=0.0)] = 0.0
    """Scenario hours into the move at `at`: the rest of the move's scenario time runs evenly
    over the running time left until the deadline (it stands still with no deadline)."""
    reason: Annotated[str, Field(max_length=200)] = ""


class DeadlineWarning(Frozen):
    """`minutes_left` minutes of the move are left before its deadline (every seat)."""

    type: Literal["deadline_warning"] = "deadline_warning"
    move: int
    mark_minutes: float
    """The scenario's warning mark crossed (`warn_before_minutes`)."""
    minutes_left: float
    deadline_at: UtcDatetime


class DeadlinePassed(Frozen):
    """The move's deadline passed: with `advance` the move closes now (the scheduler's advance,
    every seat told); with `alert` only the white cell is told."""

    type: Literal["deadline_passed"] = "deadline_passed"
    move: int
    on_deadline: OnDeadline
