"""Loading state: the latest snapshot plus the events after it, folded with evolve."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, CatalogRef
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.domain.evolve import evolve
from wargame.domain.state import ExerciseState

CatalogLoader = Callable[[CatalogRef], BackgroundCatalog]
"""Reads and decodes the background catalog an exercise_created event names."""


def fold(
    events: Iterable[EventEnvelope],
    state: ExerciseState | None = None,
    catalogs: CatalogLoader | None = None,
) -> ExerciseState | None:
    """Apply events in order. From no state, the first must be exercise_created; the background
    catalog it names comes from `catalogs`."""
    for event in events:
        if state is None:
            state = evolve(None, event, _background(event, catalogs))
        else:
            state = evolve(state, event)
    return state


def _background(event: EventEnvelope, catalogs: CatalogLoader | None) -> BackgroundCatalog:
    ref = event.body.catalog if isinstance(event.body, ExerciseCreated) else None
    if ref is None:
        return EMPTY_CATALOG
    if catalogs is None:
        raise ValueError(f"exercise {event.exercise_id} has a background catalog; pass its loader")
    return catalogs(ref)


def state_to_snapshot(state: ExerciseState) -> dict[str, Any]:
    return state.model_dump(mode="json")


def state_from_snapshot(data: dict[str, Any]) -> ExerciseState:
    return ExerciseState.model_validate(data)
