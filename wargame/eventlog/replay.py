"""Loading state: the newest good snapshot plus the events after it, folded with evolve."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, CatalogRef, decode_catalog
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.domain.evolve import evolve
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.domain.state import ExerciseState
from wargame.eventlog.snapshots import BadSnapshot, Snapshot, StoredSnapshot, decode_snapshot, encode_snapshot
from wargame.eventlog.store import EventStore
from wargame.eventlog.trust import anchored_state

log = logging.getLogger(__name__)

Setup = tuple[Scenario, Ruleset]
"""What a snapshot leaves out and loading puts back: the scenario and ruleset of `exercise_created`."""

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


def catalog_reader(store: EventStore) -> CatalogLoader:
    """Reads background catalogs from a store's blobs (a service caches them, `catalog`)."""

    def read(ref: CatalogRef) -> BackgroundCatalog:
        return decode_catalog(store.read_blob(ref.digest), ref.digest)

    return read


def attach_background(state: ExerciseState, catalogs: CatalogLoader | None) -> ExerciseState:
    """A state read from a snapshot (which leaves the background catalog out), with the catalog
    it names attached."""
    if state.catalog is None:
        return state
    if catalogs is None:
        raise ValueError(f"exercise {state.exercise_id} has a background catalog; pass its loader")
    return state.model_copy(update={"background": catalogs(state.catalog)})


def _background(event: EventEnvelope, catalogs: CatalogLoader | None) -> BackgroundCatalog:
    ref = event.body.catalog if isinstance(event.body, ExerciseCreated) else None
    if ref is None:
        return EMPTY_CATALOG
    if catalogs is None:
        raise ValueError(f"exercise {event.exercise_id} has a background catalog; pass its loader")
    return catalogs(ref)


def state_to_snapshot(state: ExerciseState) -> Snapshot:
    """The snapshot to save of a state: compressed, without the scenario and ruleset."""
    return encode_snapshot(state)


def state_from_snapshot(
    snapshot: Snapshot | dict[str, Any],
    scenario: Scenario | None = None,
    ruleset: Ruleset | None = None,
) -> ExerciseState:
    """The state of a snapshot, with the exercise's scenario and ruleset put back. A snapshot
    saved by an earlier release (a dict embedding them) needs neither. Raises BadSnapshot."""
    return decode_snapshot(snapshot, scenario, ruleset)


def setup_of(created: EventEnvelope) -> Setup:
    """The scenario and ruleset of an exercise, from its first event."""
    if not isinstance(created.body, ExerciseCreated):
        raise ValueError(f"event {created.seq} is {created.body.type}, not exercise_created")
    return created.body.scenario, created.body.ruleset


def newest_good_snapshot(
    exercise_id: str,
    latest_below: Callable[[int | None], StoredSnapshot | None],
    created: Callable[[], EventEnvelope],
    event_at: Callable[[int], EventEnvelope | None],
) -> tuple[ExerciseState | None, int]:
    """The state of the newest snapshot the log vouches for (None: rebuild from the log), and
    how many newer ones were ignored, each with a logged warning, or an error when the log
    records a snapshot at that seq and the stored one is not it (`trust.anchored_state`).

    `latest_below(seq)` gives the newest stored snapshot before `seq` (None: the newest of
    all); `created()` reads exercise_created, `event_at(seq)` the event a snapshot is taken at.
    """
    ignored = 0
    below: int | None = None
    while (stored := latest_below(below)) is not None:
        try:
            return anchored_state(stored, exercise_id, event_at(stored.seq), created()), ignored
        except BadSnapshot as exc:
            ignored += 1
            log.log(
                logging.ERROR if exc.tampered else logging.WARNING,
                "exercise %s: snapshot at seq %d ignored (%s); loading from an earlier one or the log",
                exercise_id, stored.seq, exc,
            )
            below = stored.seq
    return None, ignored
