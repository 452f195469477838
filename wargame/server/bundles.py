"""An exercise to one bundle file and back into this database: its log, seats, commands and row."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from wargame.domain.audience import Role
from wargame.eventlog.bundle import LogTally, Progress, manifest_fields, write_exercise
from wargame.eventlog.bundle_format import COMMANDS, SEATS, BundleError, BundleReader, BundleWriter
from wargame.eventlog.bundle_import import Imported, import_log
from wargame.eventlog.store import EventStore
from wargame.server.models import CommandRecord, Exercise
from wargame.server.models import Seat as SeatRow
from wargame.server.seats import IssuedSeat, issue_seat
from wargame.server.store import DjangoEventStore

SEAT_FIELDS = ("role", "nation", "member", "label", "token_hash", "revoked", "created_at")
"""What a bundle keeps of each seat: never a token, only its SHA-256 (the database keeps no more)."""

SEAT_TOKENS = "sha256 only: no token is in the bundle; imported under its own id, the links keep working"
"""What the manifest says of the seats' tokens."""

EXERCISE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""What an imported exercise id may be: it names files and log lines, and fits `Exercise.id`."""


@dataclass
class BundleSummary:
    """What an export or import did. `head` is the exercise's head as stored (`SEQ:HASH`);
    `source_head` the bundle's (the same unless imported under a new id, which seals the log
    again). `links`: the fresh join links of an import under a new id (secrets: shown once)."""

    exercise_id: str
    source_exercise_id: str
    scenario_id: str
    ruleset_id: str
    events: int
    head: str
    source_head: str
    blobs: int
    snapshots: int
    seats: int
    commands: int
    path: str = ""
    bytes: int = 0
    links: list[IssuedSeat] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k != "links"}
        data["links"] = [
            {"label": s.label, "role": s.role.value, "nation": s.nation, "member": s.member, "token": s.token}
            for s in self.links
        ]
        return data


def export_bundle(
    exercise_id: str,
    out: Path,
    *,
    progress: Progress | None = None,
    store: EventStore | None = None,
) -> BundleSummary:
    """Write exercise `exercise_id` to the bundle file `out` (written beside it, then renamed:
    a failed export leaves no file). Raises BundleError (code `no_exercise`, `log_tampered`,
    `blob_missing`...) naming what is wrong."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("wb") as target:
            export = BundleExport(exercise_id, target, progress=progress, store=store)
            for _ in export.steps():
                pass
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    summary = export.summary
    assert summary is not None
    summary.path, summary.bytes = str(out), out.stat().st_size
    return summary


class BundleExport:
    """One export into `target` (a file, or a stream that cannot seek), run by `steps`."""

    def __init__(
        self,
        exercise_id: str,
        target: IO[bytes],
        *,
        progress: Progress | None = None,
        store: EventStore | None = None,
    ) -> None:
        self.exercise_id, self.target, self.progress = exercise_id, target, progress
        self.store = store or DjangoEventStore()
        self.summary: BundleSummary | None = None

    def steps(self) -> Iterator[None]:
        """Write the bundle, yielding after each page of the log and each blob and snapshot, so
        that an HTTP response can send what was written so far (database reads happen between
        yields only); `summary` is set at the end."""
        exercise_id = self.exercise_id
        exercise = Exercise.objects.filter(id=exercise_id).first()
        if exercise is None:
            raise BundleError("no_exercise", f"no exercise {exercise_id!r}")
        writer = BundleWriter(self.target)
        try:
            tally = LogTally()
            for tally in write_exercise(self.store, exercise_id, writer, self.progress):  # noqa: B007
                yield None
            seat_rows = SeatRow.objects.filter(exercise_id=exercise_id).order_by("pk")
            seats = _write_rows(writer, SEATS, seat_rows, _seat_row)
            command_rows = CommandRecord.objects.filter(exercise_id=exercise_id).order_by("pk")
            commands = _write_rows(writer, COMMANDS, command_rows, _command_row)
            manifest = writer.finish(
                manifest_fields(
                    exercise_id, tally, title=exercise.title,
                    exercise_created_at=_utc(exercise.created_at), seats=seats, commands=commands,
                    seat_tokens=SEAT_TOKENS,
                )
            )
        except BaseException:
            writer.abandon()
            raise
        self.summary = BundleSummary(
            exercise_id=exercise_id, source_exercise_id=exercise_id, scenario_id=manifest["scenario_id"],
            ruleset_id=manifest["ruleset_id"], events=tally.events, head=tally.head, source_head=tally.head,
            blobs=len(tally.blobs), snapshots=len(manifest["snapshots"]), seats=seats, commands=commands,
        )
        yield None


def _write_rows(writer: BundleWriter, name: str, rows: Any, dump: Any) -> int:
    count = 0
    with writer.member(name) as out:
        for row in rows.iterator(chunk_size=500):
            out.write((json.dumps(dump(row), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
            count += 1
    return count


def _utc(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _seat_row(row: SeatRow) -> dict[str, Any]:
    return {
        "role": row.role, "nation": row.nation, "member": row.member, "label": row.label,
        "token_hash": row.token_hash, "revoked": row.revoked, "created_at": _utc(row.created_at),
    }


def _command_row(row: CommandRecord) -> dict[str, Any]:
    return {"key": row.key, "seat": row.seat, "result": row.result}


def import_bundle(
    path: Path,
    *,
    as_id: str | None = None,
    progress: Progress | None = None,
    store: EventStore | None = None,
) -> BundleSummary:
    """Import the bundle at `path` into this database, in one transaction: nothing is written
    unless every member, the chain and the head verify. Under the bundle's exercise id the log,
    snapshots and seats (their token hashes: the old links keep working) are kept as they were;
    under `as_id` the log is sealed again under that id and every seat gets a fresh link
    (`links`). Raises BundleError: `exercise_exists`, `bundle_version`, `bundle_member_hash`,
    `log_tampered`, `head_mismatch`, `bundle_unreadable`..."""
    bundle = BundleReader.open(Path(path))
    try:
        manifest = bundle.manifest
        source_id = str(manifest.get("exercise_id") or "")
        exercise_id = as_id or source_id
        if not EXERCISE_ID.fullmatch(exercise_id):
            raise BundleError(
                "bad_exercise_id",
                f"exercise id {exercise_id!r}: use 1 to 64 letters, digits, '.', '_' or '-' "
                "(first a letter or digit)",
            )
        store = store or DjangoEventStore()
        with transaction.atomic():
            if Exercise.objects.filter(id=exercise_id).exists() or store.read_last_seq(exercise_id):
                hint = "" if as_id else "; import it under another id (as_id)"
                raise BundleError("exercise_exists", f"exercise {exercise_id!r} already exists{hint}")
            title, scenario_id = str(manifest.get("title") or ""), str(manifest.get("scenario_id") or "")
            Exercise.objects.create(id=exercise_id, title=title, scenario_id=scenario_id)
            with store.write(exercise_id) as tx:
                imported = import_log(bundle, tx, as_id=exercise_id, progress=progress)
            links, seats = _import_seats(bundle, exercise_id, fresh=exercise_id != source_id)
            commands = _import_commands(bundle, exercise_id)
            created_at = parse_datetime(str(manifest.get("exercise_created_at") or ""))
            if created_at is not None:
                Exercise.objects.filter(id=exercise_id).update(created_at=created_at)
    finally:
        bundle.close()
    return _summary(manifest, imported, seats, commands, links, path)


def _summary(
    manifest: dict[str, Any],
    imported: Imported,
    seats: int,
    commands: int,
    links: list[IssuedSeat],
    path: Path,
) -> BundleSummary:
    return BundleSummary(
        exercise_id=imported.exercise_id, source_exercise_id=str(manifest["exercise_id"]),
        scenario_id=str(manifest.get("scenario_id")), ruleset_id=str(manifest.get("ruleset_id")),
        events=imported.events, head=imported.head, source_head=imported.source_head,
        blobs=imported.blobs, snapshots=imported.snapshots, seats=seats, commands=commands,
        path=str(path), bytes=Path(path).stat().st_size, links=links,
    )


def _rows(bundle: BundleReader, name: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(bundle.lines(name), start=1):
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        if not isinstance(row, dict):
            raise BundleError("bundle_unreadable", f"{name} line {number} is not a JSON object")
        yield row


def _import_seats(bundle: BundleReader, exercise_id: str, *, fresh: bool) -> tuple[list[IssuedSeat], int]:
    """The bundle's seats: with their token hashes, or (`fresh`) each with a new link."""
    exercise = Exercise.objects.get(id=exercise_id)
    links: list[IssuedSeat] = []
    count = 0
    for row in _rows(bundle, SEATS):
        count += 1
        try:
            role = Role(row["role"])
            values = {k: row[k] for k in SEAT_FIELDS}
        except (KeyError, ValueError):
            raise BundleError("bundle_unreadable", f"{SEATS} line {count} is not a seat") from None
        if fresh:
            if not values["revoked"]:
                links.append(issue_seat(exercise, role, values["nation"], values["label"], values["member"]))
            continue
        if SeatRow.objects.filter(token_hash=values["token_hash"]).exists():
            problem = f"{SEATS} line {count}: its link already opens a seat on this server"
            raise BundleError("seat_exists", f"{problem}; import under another id")
        created_at = parse_datetime(str(values.pop("created_at")))
        seat = SeatRow.objects.create(exercise=exercise, **values)
        if created_at is not None:
            SeatRow.objects.filter(pk=seat.pk).update(created_at=created_at)
    return links, count


def _import_commands(bundle: BundleReader, exercise_id: str) -> int:
    rows = [
        CommandRecord(
            exercise_id=exercise_id, key=str(row.get("key")), seat=str(row.get("seat")),
            result=row.get("result"),
        )
        for row in _rows(bundle, COMMANDS)
    ]
    CommandRecord.objects.bulk_create(rows, batch_size=500)
    return len(rows)
