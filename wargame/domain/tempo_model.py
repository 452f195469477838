"""The tempo of play as data: a scenario's move deadline option and the state of a move's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, UtcDatetime

OnDeadline = Literal["advance", "alert"]
"""What a passed deadline does: close the move (as the white cell's advance would), or only
alert the white cell."""


class Tempo(Frozen):
    """A scenario's tempo: `tempo: {move_deadline_minutes: 45, warn_before_minutes: [10, 2],
    on_deadline: advance}`. With a deadline, scenario time runs within a move: the move's
    `move_length_hours` of scenario time pass over its deadline's minutes of running (unpaused)
    wall-clock time, and timed injects are released when it reaches their `offset_hours`."""

    move_deadline_minutes: Annotated[float, Field(gt=0.0, le=24.0 * 60)] | None = None
    """Each move's deadline, in minutes after it opens (None: no deadline unless the white cell
    sets one)."""
    warn_before_minutes: tuple[Annotated[float, Field(gt=0.0)], ...] = (10.0, 2.0)
    """Every seat is warned when this many minutes are left."""
    on_deadline: OnDeadline = "alert"


NO_TEMPO = Tempo()
"""A scenario without a `tempo` section: no deadline; timed injects come as their move opens."""


class MoveClock(Frozen):
    """The clock of the open move, kept only when the move has (or had) a deadline: how long it
    has run (pauses excluded) and when it is due. Times are the wall clock of the events that set
    it; `elapsed_s` is the running time up to `at`, and it runs on from `at` while `running`."""

    move: int
    at: UtcDatetime
    elapsed_s: Annotated[float, Field(ge=0.0)] = 0.0
    running: bool = True
    deadline_s: Annotated[float, Field(gt=0.0)] | None = None
    """The deadline in running seconds after the move opened (None: cleared)."""
    on_deadline: OnDeadline = "alert"
    warn_before_minutes: tuple[float, ...] = ()
    scenario_hours: Annotated[float, Field(ge=0.0)] = 0.0
    """Scenario hours into the move at `at`."""
    warned: tuple[float, ...] = ()
    """The warning marks already given this move."""
    passed: bool = False
    """The deadline passed (its action was taken)."""

    def elapsed_at(self, now: datetime) -> float:
        """Running seconds since the move opened, at `now` (frozen while paused)."""
        if not self.running:
            return self.elapsed_s
        return self.elapsed_s + max(0.0, (now - self.at).total_seconds())

    def remaining_at(self, now: datetime) -> float | None:
        """Seconds of running time left before the deadline (None: no deadline)."""
        if self.deadline_s is None:
            return None
        return self.deadline_s - self.elapsed_at(now)

    def deadline_at(self) -> datetime | None:
        """The wall-clock deadline while the clock runs (None while paused or with no deadline)."""
        if self.deadline_s is None or not self.running:
            return None
        return self.at + timedelta(seconds=self.deadline_s - self.elapsed_s)
