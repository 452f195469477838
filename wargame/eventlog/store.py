"""The event store interface, and an in-memory store for tests and tools."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from wargame.domain.events import EventEnvelope
from wargame.domain.pictures import blob_digest as blob_digest


class ConcurrencyConflict(Exception):
    """Another writer appended to the exercise first; the caller reloads and decides again."""


class MissingBlob(KeyError):
    """A blob an event refers to is not in the store."""


class StoreTransaction(Protocol):
    """What the services can do while holding an exercise's write lock."""

    def last_seq(self) -> int: ...

    def events_after(self, after_seq: int) -> list[EventEnvelope]: ...

    def latest_snapshot(self) -> tuple[int, dict[str, Any]] | None: ...

    def append(self, events: list[EventEnvelope]) -> None: ...

    def save_snapshot(self, seq: int, state: dict[str, Any]) -> None: ...

    def command_result(self, command_id: str) -> dict[str, Any] | None: ...

    def record_command(self, command_id: str, seat: str, result: dict[str, Any]) -> None: ...

    def put_blob(self, data: bytes) -> str:
        """Keep an immutable, content-addressed blob with this transaction; returns its digest
        (`blob_digest`). Storing bytes that are already there is a no-op."""
        ...


class EventStore(Protocol):
    def write(self, exercise_id: str) -> Any:
        """Context manager: a transaction holding the exercise's write lock (a StoreTransaction)."""
        ...

    def read_after(
        self, exercise_id: str, after_seq: int, limit: int | None = None
    ) -> list[EventEnvelope]: ...

    def read_last_seq(self, exercise_id: str) -> int: ...

    def read_latest_snapshot(self, exercise_id: str) -> tuple[int, dict[str, Any]] | None: ...

    def read_blob(self, digest: str) -> bytes:
        """The bytes stored under `digest`; MissingBlob if there are none."""
        ...


class _MemoryExercise:
    def __init__(self) -> None:
        self.events: list[EventEnvelope] = []
        self.snapshots: dict[int, dict[str, Any]] = {}
        self.commands: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.lock = threading.Lock()


class MemoryTransaction:
    def __init__(self, exercise: _MemoryExercise) -> None:
        self._exercise = exercise
        self._events: list[EventEnvelope] = []
        self._snapshots: dict[int, dict[str, Any]] = {}
        self._commands: dict[str, dict[str, Any]] = {}
        self._blobs: dict[str, bytes] = {}

    def last_seq(self) -> int:
        all_events = self._exercise.events + self._events
        return all_events[-1].seq if all_events else 0

    def events_after(self, after_seq: int) -> list[EventEnvelope]:
        return [e for e in self._exercise.events + self._events if e.seq > after_seq]

    def latest_snapshot(self) -> tuple[int, dict[str, Any]] | None:
        merged = {**self._exercise.snapshots, **self._snapshots}
        if not merged:
            return None
        seq = max(merged)
        return seq, merged[seq]

    def append(self, events: list[EventEnvelope]) -> None:
        expected = self.last_seq() + 1
        for event in events:
            if event.seq != expected:
                raise ConcurrencyConflict(f"seq {event.seq} does not follow {expected - 1}")
            expected += 1
        self._events.extend(events)

    def save_snapshot(self, seq: int, state: dict[str, Any]) -> None:
        self._snapshots[seq] = state

    def command_result(self, command_id: str) -> dict[str, Any] | None:
        return self._commands.get(command_id) or self._exercise.commands.get(command_id)

    def record_command(self, command_id: str, seat: str, result: dict[str, Any]) -> None:
        self._commands[command_id] = result

    def put_blob(self, data: bytes) -> str:
        digest = blob_digest(data)
        self._blobs[digest] = data
        return digest

    def commit(self) -> None:
        self._exercise.blobs.update(self._blobs)
        self._exercise.events.extend(self._events)
        self._exercise.snapshots.update(self._snapshots)
        self._exercise.commands.update(self._commands)


class MemoryEventStore:
    """A process-local store with the same semantics as the database store."""

    def __init__(self) -> None:
        self._exercises: dict[str, _MemoryExercise] = {}
        self._guard = threading.Lock()

    def _exercise(self, exercise_id: str) -> _MemoryExercise:
        with self._guard:
            return self._exercises.setdefault(exercise_id, _MemoryExercise())

    @contextmanager
    def write(self, exercise_id: str) -> Iterator[MemoryTransaction]:
        exercise = self._exercise(exercise_id)
        with exercise.lock:
            tx = MemoryTransaction(exercise)
            yield tx
            tx.commit()

    def read_after(
        self, exercise_id: str, after_seq: int, limit: int | None = None
    ) -> list[EventEnvelope]:
        events = [e for e in self._exercise(exercise_id).events if e.seq > after_seq]
        return events[:limit] if limit is not None else events

    def read_last_seq(self, exercise_id: str) -> int:
        events = self._exercise(exercise_id).events
        return events[-1].seq if events else 0

    def read_latest_snapshot(self, exercise_id: str) -> tuple[int, dict[str, Any]] | None:
        snapshots = self._exercise(exercise_id).snapshots
        if not snapshots:
            return None
        seq = max(snapshots)
        return seq, snapshots[seq]

    def read_blob(self, digest: str) -> bytes:
        with self._guard:
            exercises = list(self._exercises.values())
        for exercise in exercises:
            if digest in exercise.blobs:
                return exercise.blobs[digest]
        raise MissingBlob(digest)
