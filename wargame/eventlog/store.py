"""The event store interface, and an in-memory store for tests and tools."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from wargame.domain.events import EventEnvelope
from wargame.domain.pictures import blob_digest as blob_digest
from wargame.eventlog.snapshots import Snapshot, StoredSnapshot

READ_BATCH = 200
"""Events per page of a streaming read (`iter_after`): memory stays bounded by one page."""


class ConcurrencyConflict(Exception):
    """Another writer appended to the exercise first; the caller reloads and decides again."""


class MissingBlob(KeyError):
    """A blob an event refers to is not in the store."""


class CorruptEvent(ValueError):
    """A stored event that cannot be read back as an envelope (its row was damaged or edited)."""

    def __init__(self, seq: int, digest: str, reason: str) -> None:
        super().__init__(f"seq {seq}: {reason}")
        self.seq = seq
        self.hash = digest


class StoreTransaction(Protocol):
    """What the services can do while holding an exercise's write lock."""

    def last_seq(self) -> int: ...

    def events_after(self, after_seq: int) -> list[EventEnvelope]: ...

    def iter_after(self, after_seq: int, batch: int = READ_BATCH) -> Iterator[EventEnvelope]:
        """The events after `after_seq` in order, read `batch` at a time (bounded memory)."""
        ...

    def latest_snapshot(self, below: int | None = None) -> StoredSnapshot | None:
        """The newest snapshot (before seq `below` if given), with the log's hash at its seq."""
        ...

    def append(self, events: list[EventEnvelope]) -> None: ...

    def save_snapshot(self, seq: int, snapshot: Snapshot) -> None: ...

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

    def iter_after(
        self, exercise_id: str, after_seq: int, batch: int = READ_BATCH
    ) -> Iterator[EventEnvelope]:
        """The events after `after_seq` in order, read in keyset pages of `batch` events, so
        whole-log work (verify, AAR export, replay) holds one page at a time. Raises
        CorruptEvent at a row that cannot be read."""
        ...

    def read_last_seq(self, exercise_id: str) -> int: ...

    def stream_seqs(
        self, exercise_id: str, viewer: str, after_pos: int, limit: int
    ) -> list[tuple[int, int]]:
        """(position, seq) of `viewer`'s stream after `after_pos`, at most `limit` of them: the
        index that maps a seat's positions to the log (the observer's and teams' streams)."""
        ...

    def stream_positions(self, exercise_id: str, viewer: str, seqs: list[int]) -> dict[int, int]:
        """The position in `viewer`'s stream of each of these events it sees, by seq."""
        ...

    def read_seqs(self, exercise_id: str, seqs: list[int]) -> list[EventEnvelope]:
        """These events of the log, in seq order (a page of one seat's stream)."""
        ...

    def read_latest_snapshot(
        self, exercise_id: str, below: int | None = None
    ) -> StoredSnapshot | None:
        """The newest snapshot (before seq `below` if given), with the log's hash at its seq."""
        ...

    def seqs_of_types(self, exercise_id: str, types: Sequence[str]) -> list[int]:
        """The seqs of the log's events of these types, in order (the type column alone: no
        event is parsed), e.g. where each move opens for a replay's scrubber."""
        ...

    def read_blob(self, digest: str) -> bytes:
        """The bytes stored under `digest`; MissingBlob if there are none."""
        ...


SnapshotContent = Snapshot | dict[str, Any]
"""A saved snapshot; a dict is one saved by an earlier release (tests load such snapshots)."""


def _events_after(events: list[EventEnvelope], after_seq: int) -> Iterator[EventEnvelope]:
    """Events of a seq-ordered list after `after_seq`, without copying the list."""
    for index in range(bisect.bisect_right(events, after_seq, key=lambda e: e.seq), len(events)):
        yield events[index]


def _hash_at(events: list[EventEnvelope], seq: int) -> str | None:
    index = bisect.bisect_left(events, seq, key=lambda e: e.seq)
    return events[index].hash if index < len(events) and events[index].seq == seq else None


def _latest_snapshot(
    snapshots: dict[int, SnapshotContent], events: list[EventEnvelope], below: int | None
) -> StoredSnapshot | None:
    seqs = [seq for seq in snapshots if below is None or seq < below]
    if not seqs:
        return None
    seq = max(seqs)
    return StoredSnapshot(seq=seq, content=snapshots[seq], log_hash=_hash_at(events, seq))


class _MemoryExercise:
    def __init__(self) -> None:
        self.events: list[EventEnvelope] = []
        self.snapshots: dict[int, SnapshotContent] = {}
        self.commands: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.streams: dict[str, dict[int, int]] = {}
        """Per stream viewer, the seq of each position."""
        self.lock = threading.Lock()


class MemoryTransaction:
    def __init__(self, exercise: _MemoryExercise) -> None:
        self._exercise = exercise
        self._events: list[EventEnvelope] = []
        self._snapshots: dict[int, SnapshotContent] = {}
        self._commands: dict[str, dict[str, Any]] = {}
        self._blobs: dict[str, bytes] = {}

    def last_seq(self) -> int:
        all_events = self._exercise.events + self._events
        return all_events[-1].seq if all_events else 0

    def events_after(self, after_seq: int) -> list[EventEnvelope]:
        return list(self.iter_after(after_seq))

    def iter_after(self, after_seq: int, batch: int = READ_BATCH) -> Iterator[EventEnvelope]:
        yield from _events_after(self._exercise.events, after_seq)
        yield from _events_after(self._events, after_seq)

    def latest_snapshot(self, below: int | None = None) -> StoredSnapshot | None:
        merged = {**self._exercise.snapshots, **self._snapshots}
        return _latest_snapshot(merged, self._exercise.events + self._events, below)

    def append(self, events: list[EventEnvelope]) -> None:
        expected = self.last_seq() + 1
        for event in events:
            if event.seq != expected:
                raise ConcurrencyConflict(f"seq {event.seq} does not follow {expected - 1}")
            expected += 1
        self._events.extend(events)

    def save_snapshot(self, seq: int, snapshot: Snapshot) -> None:
        if snapshot.seq != seq:
            raise ValueError(f"a snapshot of seq {snapshot.seq} saved as seq {seq}")
        self._snapshots[seq] = snapshot

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
        for event in self._events:
            for viewer, pos in event.positions.items():
                self._exercise.streams.setdefault(viewer, {})[pos] = event.seq
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

    def iter_after(
        self, exercise_id: str, after_seq: int, batch: int = READ_BATCH
    ) -> Iterator[EventEnvelope]:
        return _events_after(self._exercise(exercise_id).events, after_seq)

    def stream_seqs(
        self, exercise_id: str, viewer: str, after_pos: int, limit: int
    ) -> list[tuple[int, int]]:
        seqs = self._exercise(exercise_id).streams.get(viewer, {})
        return [(pos, seqs[pos]) for pos in sorted(p for p in seqs if p > after_pos)[:limit]]

    def read_seqs(self, exercise_id: str, seqs: list[int]) -> list[EventEnvelope]:
        wanted = set(seqs)
        return [e for e in self._exercise(exercise_id).events if e.seq in wanted]

    def stream_positions(self, exercise_id: str, viewer: str, seqs: list[int]) -> dict[int, int]:
        wanted = set(seqs)
        stream = self._exercise(exercise_id).streams.get(viewer, {})
        return {seq: pos for pos, seq in stream.items() if seq in wanted}

    def read_last_seq(self, exercise_id: str) -> int:
        events = self._exercise(exercise_id).events
        return events[-1].seq if events else 0

    def read_latest_snapshot(
        self, exercise_id: str, below: int | None = None
    ) -> StoredSnapshot | None:
        exercise = self._exercise(exercise_id)
        return _latest_snapshot(exercise.snapshots, exercise.events, below)

    def seqs_of_types(self, exercise_id: str, types: Sequence[str]) -> list[int]:
        wanted = set(types)
        return [e.seq for e in self._exercise(exercise_id).events if e.body.type in wanted]

    def put_snapshot(self, exercise_id: str, seq: int, content: SnapshotContent) -> None:
        """Replace a stored snapshot as it is (tests: an earlier release's or a damaged one)."""
        self._exercise(exercise_id).snapshots[seq] = content

    def read_blob(self, digest: str) -> bytes:
        with self._guard:
            exercises = list(self._exercises.values())
        for exercise in exercises:
            if digest in exercise.blobs:
                return exercise.blobs[digest]
        raise MissingBlob(digest)
