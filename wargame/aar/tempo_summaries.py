"""AAR sentences for the move clock: deadlines set, moved, paused or cleared, their warnings and
their passing, and injects released at their scenario time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]
Names = Mapping[str, str]


def minutes(seconds: Any) -> str:
    """Seconds as minutes for people: '45 min', '2.5 min'."""
    return f"{float(seconds or 0) / 60.0:.4g} min"


def _clock(actor: str, body: JsonDict, names: Names) -> str:
    move, change, reason = body.get("move"), body.get("change"), body.get("reason") or ""
    deadline = body.get("deadline_s")
    left = None if deadline is None else float(deadline) - float(body.get("elapsed_s") or 0)
    why = f": {reason}" if reason and change in ("set", "extended", "cleared") else ""
    if change == "opened":
        return f"Move {move} opened with a {minutes(deadline)} deadline ({reason or 'scenario tempo'})"
    if change in ("paused", "resumed"):
        kept = f" with {minutes(left)} left" if left is not None else ""
        return f"The clock of move {move} {change}{kept}"
    if change == "cleared":
        return f"{actor} cleared the deadline of move {move}{why}"
    verb = "set" if change == "set" else "extended"
    then = f"; {minutes(left)} left, {body.get('on_deadline')} when it passes" if left is not None else ""
    return f"{actor} {verb} the deadline of move {move}{then}{why}"


def _warning(actor: str, body: JsonDict, names: Names) -> str:
    left = float(body.get("minutes_left") or 0) * 60.0
    mark = body.get("mark_minutes")
    return f"Move {body.get('move')}: {minutes(left)} left before the deadline (warning at {mark} min)"


def _passed(actor: str, body: JsonDict, names: Names) -> str:
    if body.get("on_deadline") == "advance":
        return f"The deadline of move {body.get('move')} passed: the move closed by itself"
    return f"The deadline of move {body.get('move')} passed: the white cell was alerted"


TEMPO_SUMMARISERS: dict[str, Callable[[str, JsonDict, Names], str]] = {
    "move_clock_set": _clock,
    "deadline_warning": _warning,
    "deadline_passed": _passed,
}
