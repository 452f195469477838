"""Replay: any seat's view at any point of the log, exactly the snapshot it would have been sent."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import takewhile
from typing import Any

from wargame.domain.events import EventEnvelope
from wargame.domain.scenario_model import Scenario
from wargame.domain.state import ExerciseState
from wargame.domain.streams import CONTROL_VIEWERS, stream_viewers
from wargame.eventlog.replay import (
    CatalogLoader,
    attach_background,
    fold,
    newest_good_snapshot,
)
from wargame.eventlog.snapshots import StoredSnapshot
from wargame.eventlog.store import CorruptEvent, EventStore
from wargame.protocol.seat_snapshot import snapshot_view

JsonDict = dict[str, Any]


class ReplayError(ValueError):
    """A replay that cannot be given: `code` names what is wrong (for the CLI and HTTP)."""

    code = "bad_request"


class UnknownExercise(ReplayError):
    code = "not_found"


class UnknownViewer(ReplayError):
    code = "bad_request"


class SeqOutOfRange(ReplayError):
    code = "bad_request"


def seat_viewers(scenario: Scenario) -> list[str]:
    """Every seat a replay can show: the control seats, the observer and each played team."""
    return [*CONTROL_VIEWERS, *stream_viewers(scenario.played_nations())]


def check_viewer(viewer: str, scenario: Scenario) -> None:
    """UnknownViewer unless `viewer` is a seat of this exercise."""
    known = seat_viewers(scenario)
    if viewer not in known:
        raise UnknownViewer(f"no seat {viewer!r} in this exercise; seats are {', '.join(known)}")


def fold_to(
    events: Iterable[EventEnvelope],
    at_seq: int,
    start: ExerciseState | None = None,
    catalogs: CatalogLoader | None = None,
) -> ExerciseState:
    """The state right after event `at_seq`: `start` (None: nothing) plus the events after it up
    to `at_seq`. Events at or before `start`'s seq are skipped, none after `at_seq` is read
    past the first; SeqOutOfRange when the events end before `at_seq`."""
    if at_seq < 1:
        raise SeqOutOfRange(f"seq {at_seq} is not in the log: seqs start at 1")
    base = start.last_seq if start is not None else 0
    if base > at_seq:
        raise ValueError(f"a state at seq {base} cannot be replayed back to seq {at_seq}")
    upto = takewhile(lambda e: e.seq <= at_seq, (e for e in events if e.seq > base))
    state = fold(upto, start, catalogs)
    last = state.last_seq if state is not None else 0
    if state is None or last != at_seq:
        raise SeqOutOfRange(f"seq {at_seq} is past the end of the log (its last seq is {last})")
    return state


def seat_view_at(
    events: Iterable[EventEnvelope],
    viewer: str,
    at_seq: int,
    catalogs: CatalogLoader | None = None,
    start: ExerciseState | None = None,
) -> JsonDict:
    """The snapshot `viewer` would have been sent had it joined right after global seq
    `at_seq` (its stream position at that point is the view's `pos`): the events folded from
    the first (or after `start`, e.g. a stored snapshot's state) through the one projection."""
    state = fold_to(events, at_seq, start, catalogs)
    check_viewer(viewer, state.scenario)
    return snapshot_view(viewer, state)


def nearest_snapshot(
    store: EventStore, exercise_id: str, at_seq: int, catalogs: CatalogLoader | None
) -> ExerciseState | None:
    """The state of the newest stored snapshot at or before `at_seq` that checks out against
    the log (None: replay from the first event), with its background catalog attached."""

    def below(seq: int | None) -> StoredSnapshot | None:
        limit = at_seq + 1 if seq is None else min(seq, at_seq + 1)
        return store.read_latest_snapshot(exercise_id, limit)

    def event_at(seq: int) -> EventEnvelope | None:
        try:
            return next(iter(store.iter_after(exercise_id, seq - 1, 1)), None)
        except CorruptEvent:  # that snapshot is not used; the fold reports the row
            return None

    def created() -> EventEnvelope:
        first = event_at(1)
        if first is None or first.seq != 1:
            raise UnknownExercise(f"no exercise {exercise_id!r}")
        return first

    state, _ignored = newest_good_snapshot(exercise_id, below, created, event_at)
    return None if state is None else attach_background(state, catalogs)


def check_seq(store: EventStore, exercise_id: str, at_seq: int) -> int:
    """The log's last seq; UnknownExercise or SeqOutOfRange unless 1 <= at_seq <= it."""
    last = store.read_last_seq(exercise_id)
    if last == 0:
        raise UnknownExercise(f"no exercise {exercise_id!r}")
    if not 1 <= at_seq <= last:
        raise SeqOutOfRange(f"seq {at_seq} is outside the log of {exercise_id} (seqs 1 to {last})")
    return last


def state_at(
    store: EventStore, exercise_id: str, at_seq: int, catalogs: CatalogLoader | None = None
) -> ExerciseState:
    """The state right after event `at_seq`, from the nearest snapshot at or before it plus the
    events between, read in pages (a Global Sentinel log is never read from its start)."""
    check_seq(store, exercise_id, at_seq)
    start = nearest_snapshot(store, exercise_id, at_seq, catalogs)
    after = start.last_seq if start is not None else 0
    return fold_to(store.iter_after(exercise_id, after), at_seq, start, catalogs)


def seat_view_in_store(
    store: EventStore,
    exercise_id: str,
    viewer: str,
    at_seq: int,
    catalogs: CatalogLoader | None = None,
) -> JsonDict:
    """`seat_view_at` for an exercise of a store, starting from its nearest snapshot."""
    state = state_at(store, exercise_id, at_seq, catalogs)
    check_viewer(viewer, state.scenario)
    return snapshot_view(viewer, state)
