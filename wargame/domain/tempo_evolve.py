"""How the move clock's events change the state, and the orders a closed move leaves for the
conditions of the next one."""

from __future__ import annotations

from wargame.domain.events import EventBody
from wargame.domain.orders import Order
from wargame.domain.state import ExerciseState
from wargame.domain.tempo_events import DeadlinePassed, DeadlineWarning, MoveClockSet
from wargame.domain.tempo_model import MoveClock


def order_key(order: Order) -> tuple[str, str]:
    """An order as the conditions read it: (kind, the asset or object it is about, or "")."""
    subject = getattr(order, "asset_id", None) or getattr(order, "object_id", None)
    return order.kind, str(subject or "")


def closed_orders(state: ExerciseState) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each nation's orders of the move now closing, as order_key gives them."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for nation, own in state.nations.items():
        kept = tuple(order_key(o.order) for o in own.orders.values())
        if kept:
            out[nation] = kept
    return out


def evolve_tempo(state: ExerciseState, body: EventBody) -> ExerciseState | None:
    """The state after a clock event (None: `body` is not one)."""
    match body:
        case MoveClockSet():
            old = state.move_clock
            old = old if old is not None and old.move == body.move else None
            keep = old is not None and body.change in ("paused", "resumed")
            clock = MoveClock(
                move=body.move, at=body.at, elapsed_s=body.elapsed_s, running=body.running,
                deadline_s=body.deadline_s, on_deadline=body.on_deadline,
                warn_before_minutes=body.warn_before_minutes, scenario_hours=body.scenario_hours,
                warned=old.warned if keep and old else (), passed=bool(keep and old and old.passed),
            )
            return state.model_copy(update={"move_clock": clock})
        case DeadlineWarning(mark_minutes=mark) if state.move_clock is not None:
            now = state.move_clock
            marks = {*now.warned, *(m for m in now.warn_before_minutes if m >= mark)}
            clock = now.model_copy(update={"warned": tuple(sorted(marks, reverse=True))})
            return state.model_copy(update={"move_clock": clock})
        case DeadlinePassed() if state.move_clock is not None:
            clock = state.move_clock.model_copy(update={"passed": True})
            return state.model_copy(update={"move_clock": clock})
    return None
