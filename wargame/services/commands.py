"""The command use case: idempotency, load, decide, append under the exercise lock, notify after commit."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from wargame.domain.audience import Role, Seat, control_only
from wargame.domain.background import BackgroundCatalog, CatalogRef, decode_catalog, encode_catalog
from wargame.domain.commands import Command, Rejection, reject
from wargame.domain.common import utc_now
from wargame.domain.decide import Adjudicator, core_blobs, decide
from wargame.domain.events import EventEnvelope, ExerciseCreated, PendingEvent
from wargame.domain.scenario_model import SpaceObject
from wargame.domain.state import ExerciseState
from wargame.domain.streams import event_positions, stream_viewers
from wargame.eventlog.chain import UnstorableEvent, seal
from wargame.eventlog.replay import Setup, fold, newest_good_snapshot, setup_of, state_to_snapshot
from wargame.eventlog.snapshots import StoredSnapshot
from wargame.eventlog.store import READ_BATCH, EventStore, StoreTransaction

BLOBS_KEPT = 12
"""Blobs a service keeps in memory: the background catalog and recent custody records of a few
exercises (about 1-5 MB each at Global Sentinel scale)."""

Notifier = Callable[[str, int], None]
"""Called after commit with (exercise_id, last_seq): 'there is news'."""

CommandResult = dict[str, Any]


class ExerciseNotFound(Exception):
    pass


class SeatRevoked(Exception):
    """The seat that sent a command is no longer valid; nothing was decided or recorded."""


class ExerciseService:
    """Handles commands for exercises kept in an event store, caching the folded state per exercise."""

    def __init__(
        self,
        store: EventStore,
        adjudicator: Adjudicator,
        notify: Notifier | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.adjudicator = adjudicator
        self.notify = notify or (lambda exercise_id, seq: None)
        self.clock = clock
        self._cache: dict[str, ExerciseState] = {}
        self._cache_lock = threading.Lock()
        self._catalogs: dict[str, BackgroundCatalog] = {}
        self._blob_cache: dict[str, bytes] = {}
        self._snapshot_due: set[str] = set()
        """Exercises whose newest snapshot was ignored: save a fresh one at the next write."""

    def create(
        self, exercise_id: str, created: ExerciseCreated, background: Sequence[SpaceObject] = ()
    ) -> ExerciseState:
        """Record exercise_created; the background catalog is stored once, as a blob."""
        with self.store.write(exercise_id) as tx:
            if tx.last_seq() != 0:
                raise ValueError(f"exercise {exercise_id} already exists")
            if not created.id_salt:
                created = created.model_copy(update={"id_salt": secrets.token_hex(16)})
            if background:
                blob = encode_catalog(background)
                digest = tx.put_blob(blob)
                catalog = CatalogRef(digest=digest, count=len(background))
                self._catalogs[digest] = BackgroundCatalog.of(background, digest)
                created = created.model_copy(update={"catalog": catalog})
            pending = [PendingEvent(body=created, audience=control_only(), actor="white_cell")]
            events = seal(exercise_id, pending, state=None, at=self.clock())
            self._append(tx, None, events)
            state = fold(events, catalogs=self.catalog)
            assert state is not None
            tx.save_snapshot(state.last_seq, state_to_snapshot(state))
        self._remember(state)
        self.notify(exercise_id, state.last_seq)
        return state

    def handle(
        self, exercise_id: str, seat: Seat, command_id: str, command: Command
    ) -> CommandResult:
        """Decide and record one command; a repeated command_id returns the first result."""
        return self.handle_events(exercise_id, seat, command_id, command)[0]

    def handle_events(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        command: Command,
        *,
        still_seated: Callable[[], bool] | None = None,
    ) -> tuple[CommandResult, list[EventEnvelope]]:
        """`handle`, also giving the events it appended (none for a rejection or a repeat).

        They are the sealed envelopes just written, so the calling process can deliver them to
        its own sockets without reading them back; they are committed once the outermost
        transaction is (at return, unless the caller holds one open).

        `still_seated` is asked inside the write transaction, once the exercise's lock is held
        and before anything else (a repeated command_id included): when it says no, SeatRevoked
        is raised and nothing is recorded. So a revocation committed before the command gets
        the lock always binds it, however long it waited for the lock.
        """
        with self.store.write(exercise_id) as tx:
            if still_seated is not None and not still_seated():
                raise SeatRevoked(f"{seat.viewer} seat revoked")
            key = f"{seat.viewer}/{command_id}"
            previous = tx.command_result(key)
            if previous is not None:
                return {**previous, "repeat": True}, []
            state = self._load(exercise_id, tx)
            if exercise_id in self._snapshot_due:
                self._snapshot_due.discard(exercise_id)
                tx.save_snapshot(state.last_seq, state_to_snapshot(state))
            decision = decide(state, seat, command, self.adjudicator, self.blobs(core_blobs(state)))
            if isinstance(decision, Rejection):
                refusal = rejected(command_id, decision)
                tx.record_command(key, seat.viewer, refusal)
                return refusal, []
            decision = self._store_attachments(tx, decision)
            try:
                events = seal(exercise_id, _signed(decision, seat), state=state, at=self.clock())
            except UnstorableEvent as exc:  # NaN or infinity in a body: refused, nothing recorded
                refusal = rejected(command_id, reject(state, "invalid", str(exc)))
                tx.record_command(key, seat.viewer, refusal)
                return refusal, []
            self._append(tx, state, events)
            new_state = fold(events, state)
            assert new_state is not None
            if any(
                e.body.type in ("move_advanced", "exercise_started", "exercise_ended")
                for e in events
            ):
                tx.save_snapshot(new_state.last_seq, state_to_snapshot(new_state))
            result = accepted(command_id, events)
            tx.record_command(key, seat.viewer, result)
        self._remember(new_state)
        self.notify(exercise_id, new_state.last_seq)
        return result, events

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

    def blobs(self, digests: Sequence[str]) -> dict[str, bytes]:
        """The blobs of `digests`, read from the store (kept in a small per-process cache)."""
        found: dict[str, bytes] = {}
        for digest in digests:
            with self._cache_lock:
                data = self._blob_cache.get(digest)
            if data is None:
                data = self.store.read_blob(digest)
                with self._cache_lock:
                    while len(self._blob_cache) >= BLOBS_KEPT:
                        self._blob_cache.pop(next(iter(self._blob_cache)))
                    self._blob_cache[digest] = data
            found[digest] = data
        return found

    def _append(
        self, tx: StoreTransaction, state: ExerciseState | None, events: list[EventEnvelope]
    ) -> None:
        """Append sealed events, each numbered in the streams it joins (domain/streams.py): the
        observer's and the teams' positions, which the store indexes and seats see."""
        heads = dict(state.stream_heads) if state is not None else {}
        viewers = stream_viewers(state.played_nations()) if state is not None else []
        for event in events:
            if state is None and isinstance(event.body, ExerciseCreated):
                viewers = stream_viewers(event.body.scenario.played_nations())
            heads, moved = event_positions(heads, viewers, event.body.type, event.audience)
            event.set_positions(moved)
        tx.append(events)

    def _store_attachments(self, tx: StoreTransaction, pending: list[PendingEvent]) -> list[PendingEvent]:
        """Store the blobs the core attached to its events (in this transaction) and take them off
        the events, which refer to them by digest."""
        out: list[PendingEvent] = []
        for item in pending:
            attachments = getattr(item.body, "attachments", None)
            if attachments:
                for digest, data in attachments.items():
                    stored = tx.put_blob(data)
                    assert stored == digest, "a blob's digest is the SHA-256 of its bytes"
                    with self._cache_lock:
                        self._blob_cache[digest] = data
                item = item.model_copy(update={"body": item.body.model_copy(update={"attachments": {}})})
            out.append(item)
        return out

    def catalog(self, ref: CatalogRef) -> BackgroundCatalog:
        """The decoded background catalog of `ref`, read from the store once per process."""
        with self._cache_lock:
            found = self._catalogs.get(ref.digest)
        if found is None:
            found = decode_catalog(self.store.read_blob(ref.digest), ref.digest)
            with self._cache_lock:
                self._catalogs[ref.digest] = found
        return found

    def _with_background(self, state: ExerciseState) -> ExerciseState:
        """A state read from a snapshot, with the background catalog it names attached."""
        if state.catalog is None:
            return state
        return state.model_copy(update={"background": self.catalog(state.catalog)})

    def _load(self, exercise_id: str, tx: StoreTransaction) -> ExerciseState:
        return self._catch_up(exercise_id, tx.last_seq(), tx.iter_after, tx.latest_snapshot)

    def _catch_up(
        self,
        exercise_id: str,
        last_seq: int,
        events_after: Callable[[int, int], Iterable[EventEnvelope]],
        latest_snapshot: Callable[[int | None], StoredSnapshot | None],
    ) -> ExerciseState:
        """The state at `last_seq`: from the cache, the cache plus newer events, or the newest
        snapshot that checks out against the log plus the events after it (a snapshot that does
        not is ignored, and a fresh one is saved at the next write)."""
        if last_seq == 0:
            raise ExerciseNotFound(exercise_id)
        cached = self._cached(exercise_id)
        if cached is not None and cached.last_seq == last_seq:
            return cached
        if cached is not None and cached.last_seq < last_seq:
            state = fold(events_after(cached.last_seq, READ_BATCH), cached)
        else:

            def setup() -> Setup:
                return setup_of(next(iter(events_after(0, 1))))

            base, ignored = newest_good_snapshot(exercise_id, latest_snapshot, setup)
            if ignored:
                self._snapshot_due.add(exercise_id)
            if base is not None:
                base = self._with_background(base)
            state = fold(events_after(base.last_seq if base else 0, READ_BATCH), base, self.catalog)
        if state is None:
            raise ExerciseNotFound(exercise_id)
        return state

    def forget(self, exercise_id: str) -> None:
        """Drop the cached state (after a transaction around `handle` rolled back)."""
        with self._cache_lock:
            self._cache.pop(exercise_id, None)

    def _cached(self, exercise_id: str) -> ExerciseState | None:
        with self._cache_lock:
            return self._cache.get(exercise_id)

    def _remember(self, state: ExerciseState) -> None:
        with self._cache_lock:
            current = self._cache.get(state.exercise_id)
            if current is None or current.last_seq <= state.last_seq:
                self._cache[state.exercise_id] = state


def _signed(pending: list[PendingEvent], seat: Seat) -> list[PendingEvent]:
    """The events of a command, each naming the member of the seat that issued it."""
    if not seat.member:
        return pending
    return [p.model_copy(update={"member": seat.member}) for p in pending]


def accepted(command_id: str, events: list[EventEnvelope]) -> CommandResult:
    return {
        "status": "accepted",
        "command_id": command_id,
        "seqs": [e.seq for e in events],
        "seq": events[-1].seq,
    }


def rejected(command_id: str, rejection: Rejection) -> CommandResult:
    return {"status": "rejected", "command_id": command_id, **rejection.model_dump()}


def white_cell() -> Seat:
    return Seat(role=Role.WHITE_CELL, label="White Cell")
