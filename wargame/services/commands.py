"""The command use case: idempotency, load, decide, append under the exercise lock, notify after commit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from wargame.domain.audience import Role, Seat, control_only
from wargame.domain.commands import Command, Rejection
from wargame.domain.common import utc_now
from wargame.domain.decide import Adjudicator, decide
from wargame.domain.events import EventEnvelope, ExerciseCreated, PendingEvent
from wargame.domain.state import ExerciseState
from wargame.eventlog.chain import seal
from wargame.eventlog.replay import fold, state_from_snapshot, state_to_snapshot
from wargame.eventlog.store import EventStore, StoreTransaction

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

    def create(self, exercise_id: str, created: ExerciseCreated) -> ExerciseState:
        with self.store.write(exercise_id) as tx:
            if tx.last_seq() != 0:
                raise ValueError(f"exercise {exercise_id} already exists")
            pending = [PendingEvent(body=created, audience=control_only(), actor="white_cell")]
            events = seal(exercise_id, pending, state=None, at=self.clock())
            tx.append(events)
            state = fold(events)
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
            decision = decide(state, seat, command, self.adjudicator)
            if isinstance(decision, Rejection):
                refusal = rejected(command_id, decision)
                tx.record_command(key, seat.viewer, refusal)
                return refusal, []
            events = seal(exercise_id, _signed(decision, seat), state=state, at=self.clock())
            tx.append(events)
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
            lambda seq: self.store.read_after(exercise_id, seq),
            lambda: self.store.read_latest_snapshot(exercise_id),
        )
        self._remember(state)
        return state

    def _load(self, exercise_id: str, tx: StoreTransaction) -> ExerciseState:
        return self._catch_up(exercise_id, tx.last_seq(), tx.events_after, tx.latest_snapshot)

    def _catch_up(
        self,
        exercise_id: str,
        last_seq: int,
        events_after: Callable[[int], list[EventEnvelope]],
        latest_snapshot: Callable[[], tuple[int, dict[str, Any]] | None],
    ) -> ExerciseState:
        """The state at `last_seq`: from the cache, the cache plus newer events, or a snapshot."""
        if last_seq == 0:
            raise ExerciseNotFound(exercise_id)
        cached = self._cached(exercise_id)
        if cached is not None and cached.last_seq == last_seq:
            return cached
        if cached is not None and cached.last_seq < last_seq:
            state = fold(events_after(cached.last_seq), cached)
        else:
            snapshot = latest_snapshot()
            base = state_from_snapshot(snapshot[1]) if snapshot else None
            state = fold(events_after(snapshot[0] if snapshot else 0), base)
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
