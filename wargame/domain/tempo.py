"""The move clock in play: its events when a move opens, pauses or resumes, the white cell's
deadline command, scenario time within a move, and what falls due at a wall-clock moment.

Scenario time within a move (docs/white-cell.md, "Tempo"): only a move with a deadline has a
clock. Its `move_length_hours` of scenario time run evenly over the running (unpaused) time until
its deadline: with 6-hour moves and a 60-minute deadline, one real minute is six scenario
minutes, so an inject planned at +1 h arrives 10 minutes into the move. A pause stops the clock;
setting or extending the deadline spreads the scenario time left over the new running time
left; clearing it stops scenario time where it is. `due_now` is pure: the scheduler
(services/tempo.py) calls it at the wall-clock moments `next_due` names."""

from __future__ import annotations

from datetime import datetime, timedelta

from wargame.domain.commands import Rejection, reject
from wargame.domain.events import EventBody, InjectReleased
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, InjectState
from wargame.domain.tempo_commands import SetMoveDeadline
from wargame.domain.tempo_events import DeadlinePassed, DeadlineWarning, MoveClockSet
from wargame.domain.tempo_model import NO_TEMPO, MoveClock, Tempo
from wargame.domain.triggers import holds

SCENARIO_REASON = "scenario tempo"
SCHEDULER_ACTOR = "scheduler"
"""The actor of what falls due by itself: injects at their scenario time or whose condition a
command met, the clock's warnings and its deadline."""


def tempo_of(state: ExerciseState) -> Tempo:
    return state.scenario.tempo or NO_TEMPO


def clock_of(state: ExerciseState) -> MoveClock | None:
    """The open move's clock (None: the move has no deadline and never had one)."""
    clock = state.move_clock
    return clock if clock is not None and clock.move == state.move else None


def _rate(clock: MoveClock, move_hours: float, scenario_hours: float) -> float:
    """Scenario hours per running second from `clock.at` (0: scenario time stands still)."""
    if clock.deadline_s is None or clock.deadline_s <= clock.elapsed_s:
        return 0.0
    return (move_hours - scenario_hours) / (clock.deadline_s - clock.elapsed_s)


def scenario_hours(state: ExerciseState, now: datetime) -> float | None:
    """Scenario hours into the open move at `now` (None: the move has no clock)."""
    clock = clock_of(state)
    if clock is None:
        return None
    hours = state.scenario.move_length_hours
    start = clock.scenario_hours
    ran = clock.elapsed_at(now) - clock.elapsed_s
    return min(hours, start + ran * _rate(clock, hours, start))


def _clock_event(
    state: ExerciseState, clock: MoveClock, at: datetime, change: str, reason: str, **update: object
) -> MoveClockSet:
    values = {
        "move": state.move,
        "at": at,
        "change": change,
        "elapsed_s": clock.elapsed_at(at),
        "running": clock.running,
        "deadline_s": clock.deadline_s,
        "on_deadline": clock.on_deadline,
        "warn_before_minutes": clock.warn_before_minutes,
        "scenario_hours": scenario_hours(state, at) or 0.0,
        "reason": reason,
    }
    return MoveClockSet.model_validate({**values, **update})


def opening_clock(state: ExerciseState, at: datetime | None) -> list[EventBody]:
    """The clock of the move `state` just opened, when the scenario gives moves a deadline."""
    tempo = tempo_of(state)
    if at is None or tempo.move_deadline_minutes is None or state.phase == "ended":
        return []
    return [
        MoveClockSet(
            move=state.move, at=at, change="opened", elapsed_s=0.0, running=state.phase == "running",
            deadline_s=tempo.move_deadline_minutes * 60.0, on_deadline=tempo.on_deadline,
            warn_before_minutes=tempo.warn_before_minutes, reason=SCENARIO_REASON,
        )
    ]


def clock_paused(state: ExerciseState, at: datetime, running: bool) -> list[EventBody]:
    """The clock stopped (`running` False) or started again with the exercise's pause or
    resume: the running time and the time left are kept."""
    clock = clock_of(state)
    if clock is None or clock.running == running:
        return []
    change = "resumed" if running else "paused"
    return [_clock_event(state, clock, at, change, change, running=running)]


def decide_deadline(state: ExerciseState, cmd: SetMoveDeadline, at: datetime) -> list[EventBody] | Rejection:
    """Set, extend or clear the open move's deadline (running or paused, not while it closes)."""
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "a move deadline needs a running exercise")
    if state.closing is not None:
        return reject(state, "wrong_phase", f"move {state.closing.move} is being adjudicated")
    tempo = tempo_of(state)
    clock = clock_of(state) or MoveClock(
        move=state.move, at=at, running=state.phase == "running", deadline_s=None,
        on_deadline=tempo.on_deadline, warn_before_minutes=tempo.warn_before_minutes,
    )
    on_deadline = cmd.on_deadline or clock.on_deadline
    elapsed = clock.elapsed_at(at)
    if cmd.action == "clear":
        if clock.deadline_s is None:
            return reject(state, "already_done", f"move {state.move} has no deadline to clear")
        return [
            _clock_event(state, clock, at, "cleared", cmd.reason, deadline_s=None, on_deadline=on_deadline)
        ]
    if cmd.minutes is None:
        return reject(state, "invalid", f"minutes: {cmd.action} needs a number of minutes")
    if cmd.action == "set":
        deadline = elapsed + cmd.minutes * 60.0
        return [
            _clock_event(state, clock, at, "set", cmd.reason, deadline_s=deadline, on_deadline=on_deadline)
        ]
    if clock.deadline_s is None:
        return reject(state, "invalid", f"action: move {state.move} has no deadline to extend; set one")
    deadline = max(clock.deadline_s, elapsed) + cmd.minutes * 60.0
    return [_clock_event(
        state, clock, at, "extended", cmd.reason, deadline_s=deadline, on_deadline=on_deadline
    )]


def _waiting(entry: InjectState, state: ExerciseState) -> bool:
    inject = entry.inject
    return (
        entry.released_move is None
        and not (inject.contingency or entry.held or entry.skipped)
        and inject.trigger in ("time", "condition")
        and inject.move <= state.move
    )


def deferred(state: ExerciseState, inject: Inject) -> bool:
    """Whether an inject of the open move waits for its scenario time (the move has a clock)."""
    return clock_of(state) is not None and inject.move == state.move and inject.offset_hours > 0.0


def released_at(state: ExerciseState, inject: Inject) -> InjectReleased:
    """The release of an inject at its planned scenario time in the open move."""
    planned = state.move_start(state.move) + timedelta(hours=inject.offset_hours)
    return InjectReleased(inject=inject, scenario_time=planned)


def due_at(state: ExerciseState, now: datetime) -> list[EventBody]:
    """The injects due at `now`: timed injects of the open move whose scenario time has come, then
    (repeatedly, so chains fire at once) condition-triggered injects that hold now, with the
    orders of the move that closed and of this one so far."""
    if state.phase != "running" or state.closing is not None:
        return []
    hours = scenario_hours(state, now)
    if hours is None:  # no clock: nothing is deferred, conditions hold or not as of now
        hours = state.scenario.move_length_hours
    due: list[EventBody] = []
    timed = [
        e.inject for e in state.injects.values()
        if _waiting(e, state) and e.inject.trigger == "time" and e.inject.move == state.move
        and e.inject.offset_hours <= hours + 1e-9 and deferred(state, e.inject)
    ]
    timed.sort(key=lambda i: (i.offset_hours, i.serial, i.id))
    current = state
    for inject in timed:
        body = released_at(current, inject)
        due.append(body)
        current = _released(current, body)
    while True:
        fired = [
            e.inject for e in current.injects.values()
            if _waiting(e, current) and e.inject.trigger == "condition" and e.inject.condition is not None
            and (not deferred(current, e.inject) or e.inject.offset_hours <= hours + 1e-9)
            and holds(e.inject.condition, current, current.move)
        ]
        if not fired:
            return due
        for inject in fired:
            at_time = deferred(current, inject)
            body = released_at(current, inject) if at_time else InjectReleased(inject=inject)
            due.append(body)
            current = _released(current, body)


def _released(state: ExerciseState, body: InjectReleased) -> ExerciseState:
    entry = InjectState(inject=body.inject, released_move=state.move)
    return state.model_copy(update={"injects": {**state.injects, body.inject.id: entry}})


def due_now(state: ExerciseState, now: datetime) -> list[EventBody]:
    """Everything the scheduler records at `now`: injects due, the deadline's warning, and its
    passing (after the move's last timed injects)."""
    clock = clock_of(state)
    if state.phase != "running" or state.closing is not None or clock is None:
        return []
    due = due_at(state, now)
    remaining = clock.remaining_at(now)
    deadline_at = clock.deadline_at()
    if remaining is None or deadline_at is None or clock.passed:
        return due
    if remaining <= 0.0:
        return [*due, DeadlinePassed(move=state.move, on_deadline=clock.on_deadline)]
    crossed = [m for m in clock.warn_before_minutes if remaining <= m * 60.0 and m not in clock.warned]
    if crossed:
        mark = min(crossed)
        left = round(remaining / 60.0, 1)
        warning = DeadlineWarning(
            move=state.move, mark_minutes=mark, minutes_left=left, deadline_at=deadline_at
        )
        due.append(warning)
    return due


def next_due(state: ExerciseState) -> datetime | None:
    """The next wall-clock moment something may fall due in the open move (None: nothing will
    until a command changes the state): an inject's scenario time, a warning mark, the deadline."""
    clock = clock_of(state)
    if state.phase != "running" or state.closing is not None or clock is None or not clock.running:
        return None
    if clock.passed or clock.deadline_s is None:
        return None
    times: list[datetime] = []
    deadline_at = clock.at + timedelta(seconds=clock.deadline_s - clock.elapsed_s)
    times.append(deadline_at)
    marks = [m for m in clock.warn_before_minutes if m not in clock.warned]
    times.extend(deadline_at - timedelta(minutes=m) for m in marks)
    rate = _rate(clock, state.scenario.move_length_hours, clock.scenario_hours)
    for entry in state.injects.values():
        if _waiting(entry, state) and deferred(state, entry.inject) and rate > 0.0:
            ahead = max(0.0, entry.inject.offset_hours - clock.scenario_hours) / rate
            times.append(clock.at + timedelta(seconds=ahead))
    return min(times)
