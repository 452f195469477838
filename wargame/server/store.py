"""The event store on the Django ORM: appends serialized per exercise by a row lock and (exercise, seq)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from pydantic import ValidationError

from wargame.domain.events import EventEnvelope
from wargame.eventlog.chain import envelope_from_text, stored_text_for
from wargame.eventlog.snapshots import Snapshot, StoredSnapshot
from wargame.eventlog.store import (
    READ_BATCH,
    ConcurrencyConflict,
    CorruptEvent,
    MissingBlob,
    blob_digest,
)
from wargame.server.models import (
    Blob,
    CommandRecord,
    EventRecord,
    Exercise,
    SnapshotRecord,
    StreamEntry,
)


def to_envelope(record: EventRecord, keep_text: bool = True) -> EventEnvelope:
    """The envelope of a row: parsed from its stored text, which it keeps for the chain check
    unless `keep_text` is False (rows of earlier releases: from their columns and JSON body). If
    the row's columns disagree with its text, the columns win and the text is dropped, so the
    chain check reports the event. Raises CorruptEvent if the row is unreadable."""
    try:
        if record.data is None:
            return _legacy_envelope(record)
        envelope = envelope_from_text(record.data, record.hash)
    except (ValidationError, ValueError) as exc:
        raise CorruptEvent(record.seq, record.hash, f"stored event does not parse: {exc}") from exc
    row = {"exercise_id": record.exercise_id, "seq": record.seq, "prev_hash": record.prev_hash}
    if any(getattr(envelope, key) != value for key, value in row.items()):
        return envelope.model_copy(update=row)
    if not keep_text:
        envelope.set_stored_text(None)
    return envelope


def _legacy_envelope(record: EventRecord) -> EventEnvelope:
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
    """A row keeping the event's canonical text verbatim (the other columns are for queries)."""
    text = stored_text_for(event)
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
        data=text,
        body=event.body.model_dump(mode="json") if text is None else None,
    )


def _iter_rows(exercise_id: str, after_seq: int, batch: int) -> Iterator[EventEnvelope]:
    """Keyset pages of `batch` rows: each page is one short query, none holds a cursor open."""
    while True:
        page = list(
            EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=after_seq).order_by("seq")[
                :batch
            ]
        )
        for row in page:
            yield to_envelope(row)
        if len(page) < batch:
            return
        after_seq = page[-1].seq


def with_positions(exercise_id: str, events: list[EventEnvelope]) -> list[EventEnvelope]:
    """The envelopes with their positions in the seats' streams (StreamEntry), for delivery."""
    if not events:
        return events
    rows = StreamEntry.objects.filter(
        exercise_id=exercise_id, seq__gte=events[0].seq, seq__lte=events[-1].seq
    ).values_list("seq", "viewer", "pos")
    positions: dict[int, dict[str, int]] = {}
    for seq, viewer, pos in rows:
        positions.setdefault(seq, {})[viewer] = pos
    for event in events:
        event.set_positions(positions.get(event.seq, {}))
    return events


def _snapshot(exercise_id: str, below: int | None) -> StoredSnapshot | None:
    rows = SnapshotRecord.objects.filter(exercise_id=exercise_id)
    if below is not None:
        rows = rows.filter(seq__lt=below)
    log_hash = EventRecord.objects.filter(exercise_id=exercise_id, seq=OuterRef("seq")).values("hash")
    row = rows.annotate(log_hash=Subquery(log_hash[:1])).order_by("-seq").first()
    if row is None:
        return None
    content: Snapshot | dict[str, Any]
    if row.data is None:
        content = row.state if isinstance(row.state, dict) else {}
    else:
        content = Snapshot(
            seq=row.seq, head_hash=row.head_hash, digest=row.digest, data=bytes(row.data)
        )
    return StoredSnapshot(seq=row.seq, content=content, log_hash=row.log_hash)


class DjangoTransaction:
    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise

    def last_seq(self) -> int:
        return self.exercise.last_seq

    def events_after(self, after_seq: int) -> list[EventEnvelope]:
        return list(self.iter_after(after_seq))

    def iter_after(self, after_seq: int, batch: int = READ_BATCH) -> Iterator[EventEnvelope]:
        return _iter_rows(self.exercise.id, after_seq, batch)

    def latest_snapshot(self, below: int | None = None) -> StoredSnapshot | None:
        return _snapshot(self.exercise.id, below)

    def append(self, events: list[EventEnvelope]) -> None:
        if not events:
            return
        if events[0].seq != self.exercise.last_seq + 1:
            raise ConcurrencyConflict(
                f"seq {events[0].seq} does not follow {self.exercise.last_seq}"
            )
        entries = [
            StreamEntry(exercise_id=self.exercise.id, viewer=viewer, pos=pos, seq=e.seq)
            for e in events
            for viewer, pos in e.positions.items()
        ]
        try:
            with transaction.atomic():
                EventRecord.objects.bulk_create([to_record(e) for e in events])
                StreamEntry.objects.bulk_create(entries)
        except IntegrityError as exc:
            raise ConcurrencyConflict(str(exc)) from exc
        for event in events:  # written: the envelopes delivered and cached need not hold it twice
            event.set_stored_text(None)
        self.exercise.last_seq = events[-1].seq
        Exercise.objects.filter(id=self.exercise.id).update(last_seq=self.exercise.last_seq)

    def save_snapshot(self, seq: int, snapshot: Snapshot) -> None:
        if snapshot.seq != seq:
            raise ValueError(f"a snapshot of seq {snapshot.seq} saved as seq {seq}")
        SnapshotRecord.objects.update_or_create(
            exercise_id=self.exercise.id,
            seq=seq,
            defaults={
                "data": snapshot.data,
                "digest": snapshot.digest,
                "head_hash": snapshot.head_hash,
                "state": None,
            },
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
    """Each write holds the exercise row lock (PostgreSQL) or the database write lock (SQLite).

    `read_after` (delivery, the HTTP log) gives envelopes without their stored text, to keep the
    hub's ring of recent events small; `iter_after` (verify, AAR, loading) keeps it."""

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
        return with_positions(exercise_id, [to_envelope(r, keep_text=False) for r in rows])

    def iter_after(
        self, exercise_id: str, after_seq: int, batch: int = READ_BATCH
    ) -> Iterator[EventEnvelope]:
        return _iter_rows(exercise_id, after_seq, batch)

    def stream_seqs(
        self, exercise_id: str, viewer: str, after_pos: int, limit: int
    ) -> list[tuple[int, int]]:
        rows = StreamEntry.objects.filter(exercise_id=exercise_id, viewer=viewer, pos__gt=after_pos)
        return list(rows.order_by("pos").values_list("pos", "seq")[:limit])

    def read_seqs(self, exercise_id: str, seqs: list[int]) -> list[EventEnvelope]:
        rows = EventRecord.objects.filter(exercise_id=exercise_id, seq__in=seqs).order_by("seq")
        return with_positions(exercise_id, [to_envelope(r, keep_text=False) for r in rows])

    def stream_positions(self, exercise_id: str, viewer: str, seqs: list[int]) -> dict[int, int]:
        rows = StreamEntry.objects.filter(exercise_id=exercise_id, viewer=viewer, seq__in=seqs)
        return dict(rows.values_list("seq", "pos"))

    def read_last_seq(self, exercise_id: str) -> int:
        row = Exercise.objects.filter(id=exercise_id).values_list("last_seq", flat=True).first()
        return row or 0

    def read_latest_snapshot(
        self, exercise_id: str, below: int | None = None
    ) -> StoredSnapshot | None:
        return _snapshot(exercise_id, below)

    def seqs_of_types(self, exercise_id: str, types: Sequence[str]) -> list[int]:
        rows = EventRecord.objects.filter(exercise_id=exercise_id, type__in=list(types))
        return list(rows.order_by("seq").values_list("seq", flat=True))

    def count_after(self, exercise_id: str, after_seq: int) -> int:
        return EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=after_seq).count()

    def read_blob(self, digest: str) -> bytes:
        row = Blob.objects.filter(digest=digest).values_list("data", flat=True).first()
        if row is None:
            raise MissingBlob(digest)
        return bytes(row)
