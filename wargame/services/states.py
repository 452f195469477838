"""Loading exercise states for the services: a per-process cache, checked snapshots and logs, blobs."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from itertools import takewhile

from wargame.domain.background import BackgroundCatalog, CatalogRef, decode_catalog
from wargame.domain.events import EventEnvelope
from wargame.domain.state import ExerciseState
from wargame.eventlog import replay_view
from wargame.eventlog.chain import GENESIS_HASH
from wargame.eventlog.replay import attach_background, fold, newest_good_snapshot
from wargame.eventlog.snapshots import StoredSnapshot
from wargame.eventlog.store import READ_BATCH, CorruptEvent, EventStore, StoreTransaction
from wargame.eventlog.trust import TamperedLog, checked_events

log = logging.getLogger(__name__)

BLOBS_KEPT = 12
"""Blobs a service keeps in memory: the background catalog and recent custody records of a few
exercises (about 1-5 MB each at Global Sentinel scale)."""

PAST_STATES_KEPT = 2
"""Past states a service keeps for replays (`state_at`): a replay's view and the pictures of
that point are asked for one after the other, and a scrubber moves back and forth."""

EventsAfter = Callable[[int, int], Iterable[EventEnvelope]]
SnapshotBelow = Callable[[int | None], StoredSnapshot | None]


class ExerciseNotFound(Exception):
    pass


class ExerciseStates:
    """The folded state of each exercise of a store, cached per process, with the blobs and
    background catalogs its adjudication reads. Safe to use from several threads.

    Nothing is folded unchecked: a snapshot is used only if the log vouches for it, and every
    event read after it (or after the cached state) must follow, link and hash right, else
    TamperedLog is raised and logged, and nothing of that exercise is served (docs/log-format.md,
    "What is verified when")."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._cache: dict[str, ExerciseState] = {}
        self._cache_lock = threading.Lock()
        self._catalogs: dict[str, BackgroundCatalog] = {}
        self._blob_cache: dict[str, bytes] = {}
        self._snapshot_due: set[str] = set()
        """Exercises whose newest snapshot was ignored (or that have none the log vouches for):
        the next events sealed record a fresh one (ExerciseService._seal_and_append)."""
        self._past: OrderedDict[tuple[str, int], ExerciseState] = OrderedDict()

    def state(self, exercise_id: str) -> ExerciseState:
        """The current state, read without the write lock (for views and catch-up)."""
        state = self._catch_up(
            exercise_id,
            self.store.read_last_seq(exercise_id),
            lambda seq, batch: self.store.iter_after(exercise_id, seq, batch),
            lambda below: self.store.read_latest_snapshot(exercise_id, below),
        )
        self._remember(state)
        return state

    def state_at(self, exercise_id: str, seq: int) -> ExerciseState:
        """The state right after event `seq`, for a replay: the current one if that is its
        head, else the nearest snapshot at or before `seq` plus the events up to it (the last
        PAST_STATES_KEPT are kept). Raises replay_view's UnknownExercise or SeqOutOfRange."""
        current = self._cached(exercise_id)
        if current is not None and current.last_seq == seq:
            return current
        key = (exercise_id, seq)
        with self._cache_lock:
            found = self._past.get(key)
            if found is not None:
                self._past.move_to_end(key)
                return found
        state = replay_view.state_at(self.store, exercise_id, seq, self.catalog)
        with self._cache_lock:
            self._past[key] = state
            while len(self._past) > PAST_STATES_KEPT:
                self._past.popitem(last=False)
        return state

    def blobs(self, digests: Sequence[str]) -> dict[str, bytes]:
        """The blobs of `digests`, read from the store (kept in a small per-process cache)."""
        found: dict[str, bytes] = {}
        for digest in digests:
            with self._cache_lock:
                data = self._blob_cache.get(digest)
            if data is None:
                data = self.store.read_blob(digest)
                self._keep_blob(digest, data)
            found[digest] = data
        return found

    def _keep_blob(self, digest: str, data: bytes) -> None:
        with self._cache_lock:
            while len(self._blob_cache) >= BLOBS_KEPT:
                self._blob_cache.pop(next(iter(self._blob_cache)))
            self._blob_cache[digest] = data

    def catalog(self, ref: CatalogRef) -> BackgroundCatalog:
        """The decoded background catalog of `ref`, read from the store once per process."""
        with self._cache_lock:
            found = self._catalogs.get(ref.digest)
        if found is None:
            found = decode_catalog(self.store.read_blob(ref.digest), ref.digest)
            with self._cache_lock:
                self._catalogs[ref.digest] = found
        return found

    def forget(self, exercise_id: str) -> None:
        """Drop the cached state (after a transaction around `handle` rolled back)."""
        with self._cache_lock:
            self._cache.pop(exercise_id, None)

    # -- loading under the write lock --------------------------------------------------------

    def _load(self, exercise_id: str, tx: StoreTransaction) -> ExerciseState:
        """The current state in a write transaction."""
        return self._catch_up(exercise_id, tx.last_seq(), tx.iter_after, tx.latest_snapshot)

    def _load_at(self, exercise_id: str, tx: StoreTransaction, seq: int) -> ExerciseState:
        """The state right after event `seq` (the newest snapshot at or before it, plus the
        events up to it): what an adjudication resumed after a restart reads."""
        cached = self._cached(exercise_id)
        if cached is not None and cached.last_seq == seq:
            return cached

        def upto(after: int, batch: int) -> Iterable[EventEnvelope]:
            return takewhile(lambda e: e.seq <= seq, tx.iter_after(after, batch))

        def snapshot_below(below: int | None) -> StoredSnapshot | None:
            return tx.latest_snapshot(seq + 1 if below is None else min(below, seq + 1))

        return self._catch_up(exercise_id, seq, upto, snapshot_below, use_cache=False)

    def _catch_up(
        self,
        exercise_id: str,
        last_seq: int,
        events_after: EventsAfter,
        latest_snapshot: SnapshotBelow,
        use_cache: bool = True,
    ) -> ExerciseState:
        """The state at `last_seq`: from the cache, the cache plus newer events, or the newest
        snapshot the log vouches for plus the events after it (a snapshot it does not vouch for
        is ignored, and the next events sealed record a fresh one). Raises TamperedLog (logged)
        when an event read does not check out or the log ends before `last_seq`."""
        if last_seq == 0:
            raise ExerciseNotFound(exercise_id)
        cached = self._cached(exercise_id) if use_cache else None
        if cached is not None and cached.last_seq == last_seq:
            return cached
        try:
            state = self._checked_fold(exercise_id, events_after, latest_snapshot, cached)
            reached = state.last_seq if state is not None else 0
            if reached < last_seq:
                raise TamperedLog(exercise_id, f"the log ends at seq {reached}, the exercise at {last_seq}")
        except TamperedLog as exc:
            log.error("%s", exc)
            raise
        assert state is not None
        return state

    def _checked_fold(
        self,
        exercise_id: str,
        events_after: EventsAfter,
        latest_snapshot: SnapshotBelow,
        cached: ExerciseState | None,
    ) -> ExerciseState | None:
        """The cached state (if older than the log) or the newest snapshot the log vouches for,
        plus the events after it, each checked (`trust.checked_events`)."""
        if cached is not None and cached.last_seq > 0:
            base: ExerciseState | None = cached
        else:

            def event_at(seq: int) -> EventEnvelope | None:
                try:
                    return next(iter(events_after(seq - 1, 1)), None)
                except CorruptEvent:  # the snapshot at it is not used; the fold reports the row
                    return None

            def created() -> EventEnvelope:
                first = event_at(1)
                if first is None or first.seq != 1:
                    raise TamperedLog(exercise_id, "event 1 (exercise_created) is missing or unreadable")
                return first

            base, ignored = newest_good_snapshot(exercise_id, latest_snapshot, created, event_at)
            if ignored:
                with self._cache_lock:
                    self._snapshot_due.add(exercise_id)
            if base is not None:
                base = attach_background(base, self.catalog)
        after_seq, after_hash = (base.last_seq, base.last_hash) if base else (0, GENESIS_HASH)
        events = checked_events(exercise_id, events_after(after_seq, READ_BATCH), after_seq, after_hash)
        return fold(events, base, self.catalog)


    def _cached(self, exercise_id: str) -> ExerciseState | None:
        with self._cache_lock:
            return self._cache.get(exercise_id)

    def _remember(self, state: ExerciseState) -> None:
        with self._cache_lock:
            current = self._cache.get(state.exercise_id)
            if current is None or current.last_seq <= state.last_seq:
                self._cache[state.exercise_id] = state
