"""What the command use case tells operators: Prometheus counters and histograms of commands,
adjudications and appended events, and one info line per lifecycle event of an exercise.

Every process that runs commands counts the ones it ran (a server its websocket commands, a
`wargame worker` the adjudicating jobs it ran); Prometheus sums them across processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from prometheus_client import Counter, Histogram, disable_created_metrics

from wargame.domain.events import EventEnvelope

logger = logging.getLogger("wargame.exercise")
disable_created_metrics()  # no `*_created` series: a process's start is process_start_time_seconds

COMMANDS = Counter(
    "wargame_commands_total",
    "Commands this process ran, by command type and outcome (accepted, rejected, repeat, error).",
    ["type", "outcome"],
)
ADJUDICATION_SECONDS = Histogram(
    "wargame_adjudication_seconds",
    "Time the adjudication core took for a closing move (move 0: the first pictures).",
    ["phase"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
EVENTS_APPENDED = Counter(
    "wargame_events_appended_total",
    "Events this process appended to exercise logs, by event type.",
    ["type"],
)

LIFECYCLE = {
    "exercise_created": "exercise created",
    "exercise_started": "exercise started",
    "exercise_paused": "exercise paused",
    "exercise_resumed": "exercise resumed",
    "exercise_ended": "exercise ended",
    "move_advanced": "move advanced",
    "move_closing": "move closing for adjudication",
    "move_reopened": "move reopened",
}
"""Event types that get an info line, and its message."""


def outcome_of(result: dict[str, Any]) -> str:
    if result.get("repeat"):
        return "repeat"
    return "accepted" if result.get("status") == "accepted" else "rejected"


@contextmanager
def counted(command_type: str) -> Iterator[dict[str, Any]]:
    """Count one command: the caller puts its result in the yielded dict under "result"; an
    exception counts as an error."""
    holder: dict[str, Any] = {}
    try:
        yield holder
    except BaseException:
        COMMANDS.labels(command_type, "error").inc()
        raise
    result = holder.get("result")
    COMMANDS.labels(command_type, outcome_of(result) if result is not None else "error").inc()


@contextmanager
def adjudication_timer(move: int, holder: dict[str, float]) -> Iterator[None]:
    """Time the core for the closing `move`; the seconds land in `holder["seconds"]`, whether
    the core succeeded or failed."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        holder["seconds"] = seconds
        ADJUDICATION_SECONDS.labels("first_pictures" if move == 0 else "move").observe(seconds)


def appended(exercise_id: str, events: Sequence[EventEnvelope], adjudication_s: float | None = None) -> None:
    """After commit: count the events and log the lifecycle ones (`adjudication_s`, when the
    events record an adjudication, goes on the line of the move's advance, start or end)."""
    for event in events:
        EVENTS_APPENDED.labels(event.body.type).inc()
        message = LIFECYCLE.get(event.body.type)
        if message is None:
            continue
        fields: dict[str, Any] = {"exercise": exercise_id, "seq": event.seq, "actor": event.actor}
        if event.member:
            fields["member"] = event.member
        for name in ("move", "reason", "title"):
            value = getattr(event.body, name, None)
            if value is not None and value != "":
                fields[name] = value
        if adjudication_s is not None and event.body.type in (
            "move_advanced",
            "exercise_started",
            "exercise_ended",
        ):
            fields["adjudication_s"] = round(adjudication_s, 3)
        logger.info(message, extra=fields)
