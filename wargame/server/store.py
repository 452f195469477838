"""The event store on the Django ORM: appends serialized per exercise by a row lock and (exercise, seq)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from wargame.domain.events import EventEnvelope
from wargame.eventlog.store import ConcurrencyConflict, MissingBlob, blob_digest
from wargame.server.models import Blob, CommandRecord, EventRecord, Exercise, SnapshotRecord


def to_envelope(record: EventRecord) -> EventEnvelope:
    return EventEnvelope.model_validate(
        {
            "exercise_id": record.exercise_id,
            "seq": record.seq,
            "at": record.at,
            "scenario_time": record.scenario_time,
            "move": record.move,
            "actor": record.actor,
            "member": record.member,
            "audience": record.audience,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
            "body": record.body,
        }
    )


def to_record(event: EventEnvelope) -> EventRecord:
    return EventRecord(
        exercise_id=event.exercise_id,
        seq=event.seq,
        type=event.body.type,
        at=event.at,
        scenario_time=event.scenario_time,
        move=event.move,
        actor=event.actor,
        member=event.member,
        audience=list(event.audience),
        prev_hash=event.prev_hash,
        hash=event.hash,
        body=event.body.model_dump(mode="json"),
    )


class DjangoTransaction:
    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise

    def last_seq(self) -> int:
        return self.exercise.last_seq

    def events_after(self, after_seq: int) -> list[EventEnvelope]:
        rows = EventRecord.objects.filter(exercise_id=self.exercise.id, seq__gt=after_seq).order_by(
            "seq"
        )
        return [to_envelope(r) for r in rows]

    def latest_snapshot(self) -> tuple[int, dict[str, Any]] | None:
        row = SnapshotRecord.objects.filter(exercise_id=self.exercise.id).order_by("-seq").first()
        return (row.seq, row.state) if row else None

    def append(self, events: list[EventEnvelope]) -> None:
        if not events:
            return
        if events[0].seq != self.exercise.last_seq + 1:
            raise ConcurrencyConflict(
                f"seq {events[0].seq} does not follow {self.exercise.last_seq}"
            )
        try:
            with transaction.atomic():
                EventRecord.objects.bulk_create([to_record(e) for e in events])
        except IntegrityError as exc:
            raise ConcurrencyConflict(str(exc)) from exc
        self.exercise.last_seq = events[-1].seq
        Exercise.objects.filter(id=self.exercise.id).update(last_seq=self.exercise.last_seq)

    def save_snapshot(self, seq: int, state: dict[str, Any]) -> None:
        SnapshotRecord.objects.update_or_create(
            exercise_id=self.exercise.id, seq=seq, defaults={"state": state}
        )

    def command_result(self, command_id: str) -> dict[str, Any] | None:
        row = CommandRecord.objects.filter(exercise_id=self.exercise.id, key=command_id).first()
        return row.result if row else None

    def record_command(self, command_id: str, seat: str, result: dict[str, Any]) -> None:
        CommandRecord.objects.create(
            exercise_id=self.exercise.id, key=command_id, seat=seat, result=result
        )

    def put_blob(self, data: bytes) -> str:
        digest = blob_digest(data)
        if not Blob.objects.filter(digest=digest).exists():
            Blob.objects.create(digest=digest, size=len(data), data=data)
        return digest


class DjangoEventStore:
    """Each write holds the exercise row lock (PostgreSQL) or the database write lock (SQLite)."""

    @contextmanager
    def write(self, exercise_id: str) -> Iterator[DjangoTransaction]:
        with transaction.atomic():
            exercise, _ = Exercise.objects.select_for_update().get_or_create(id=exercise_id)
            yield DjangoTransaction(exercise)

    def read_after(
        self, exercise_id: str, after_seq: int, limit: int | None = None
    ) -> list[EventEnvelope]:
        rows = EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=after_seq).order_by(
            "seq"
        )
        if limit is not None:
            rows = rows[:limit]
        return [to_envelope(r) for r in rows]

    def read_last_seq(self, exercise_id: str) -> int:
        row = Exercise.objects.filter(id=exercise_id).values_list("last_seq", flat=True).first()
        return row or 0

    def read_latest_snapshot(self, exercise_id: str) -> tuple[int, dict[str, Any]] | None:
        row = SnapshotRecord.objects.filter(exercise_id=exercise_id).order_by("-seq").first()
        return (row.seq, row.state) if row else None

    def count_after(self, exercise_id: str, after_seq: int) -> int:
        return EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=after_seq).count()

    def read_blob(self, digest: str) -> bytes:
        row = Blob.objects.filter(digest=digest).values_list("data", flat=True).first()
        if row is None:
            raise MissingBlob(digest)
        return bytes(row)
