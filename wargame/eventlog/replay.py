"""Loading state: the latest snapshot plus the events after it, folded with evolve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wargame.domain.events import EventEnvelope
from wargame.domain.evolve import evolve
from wargame.domain.state import ExerciseState


def fold(
    events: Iterable[EventEnvelope], state: ExerciseState | None = None
) -> ExerciseState | None:
    for event in events:
        state = evolve(state, event)
    return state


def state_to_snapshot(state: ExerciseState) -> dict[str, Any]:
    return state.model_dump(mode="json")


def state_from_snapshot(data: dict[str, Any]) -> ExerciseState:
    return ExerciseState.model_validate(data)
