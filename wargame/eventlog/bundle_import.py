"""A bundle's checked log, blobs and snapshots added to a new exercise of a store, as is or resealed."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, CatalogFormatError, decode_catalog
from wargame.domain.events import EventEnvelope, ExerciseCreated, PendingEvent
from wargame.domain.state import ExerciseState
from wargame.domain.streams import event_positions, stream_viewers
from wargame.eventlog.bundle import LogTally, Progress, checked_log, told
from wargame.eventlog.bundle_format import (
    BLOBS,
    COMMANDS,
    RULESET,
    SCENARIO,
    SEATS,
    SNAPSHOTS,
    BundleError,
    BundleReader,
)
from wargame.eventlog.chain import seal_batch
from wargame.eventlog.snapshots import Snapshot, snapshot_digest
from wargame.eventlog.store import READ_BATCH, StoreTransaction, blob_digest
from wargame.eventlog.verify import head_text


@dataclass
class Imported:
    """What importing a bundle's log into a store did."""

    exercise_id: str
    events: int
    head: str
    source_head: str
    blobs: int
    snapshots: int
    state: ExerciseState | None = None
    """The state at the head when the log was sealed again under a new id (None otherwise)."""


def import_log(
    bundle: BundleReader,
    tx: StoreTransaction,
    as_id: str | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Append the bundle's checked log to an empty exercise in `tx`, with its blobs and
    snapshots, and check the setup members against its first event. Under the bundle's own id
    the events and snapshots are kept byte for byte (the head stays the same); under `as_id`
    each event is sealed again (the exercise id is in every hashed text), its snapshots
    rebuilt, so the copy has a head of its own. Raises BundleError, leaving `tx` to roll back."""
    source_id = str(bundle.manifest["exercise_id"])
    total = int(bundle.manifest.get("events") or 0)
    tally = LogTally()
    writer = _Resealer(bundle, tx, as_id) if as_id and as_id != source_id else _Verbatim(tx)
    page: list[EventEnvelope] = []
    for event in checked_log(bundle, tally):
        page.append(event)
        if len(page) == READ_BATCH:
            writer.append(page)
            page = []
            told(progress, tally.events, total)
    writer.append(page)
    told(progress, tally.events, total)
    assert tally.created is not None
    _check_setup(bundle, tally.created)
    stored = _import_blobs(bundle, tx, tally)
    snapshots = writer.snapshots(bundle, tally)
    unread = bundle.unchecked()
    if unread and unread != [n for n in unread if n in _APPLICATION_MEMBERS]:
        raise BundleError("bundle_member_unlisted", f"member {unread[0]} is not part of this bundle format")
    return Imported(
        exercise_id=as_id or source_id, events=tally.events, head=writer.head or tally.head,
        source_head=tally.head, blobs=stored, snapshots=snapshots, state=writer.state,
    )


_APPLICATION_MEMBERS = (SEATS, COMMANDS)
"""Members the storage side reads (server/bundles.py) after the log."""


def _check_setup(bundle: BundleReader, created: ExerciseCreated) -> None:
    for name, model in ((SCENARIO, created.scenario), (RULESET, created.ruleset)):
        try:
            same = json.loads(bundle.read(name)) == model.model_dump(mode="json")
        except ValueError:
            same = False
        if not same:
            raise BundleError("setup_mismatch", f"{name} is not the one the log's exercise_created records")


def _import_blobs(bundle: BundleReader, tx: StoreTransaction, tally: LogTally) -> int:
    for name in bundle.names(BLOBS):
        digest = name[len(BLOBS):]
        if digest not in tally.blobs:
            raise BundleError("bundle_member_unlisted", f"blob {digest} is not referred to by the log")
        data = bundle.read(name)
        if blob_digest(data) != digest:
            raise BundleError("blob_tampered", f"blob {digest} does not match its digest")
        tx.put_blob(data)
    return len(tally.blobs)


class _Streams:
    """Numbers events in the seats' streams as the service does when it appends them."""

    def __init__(self) -> None:
        self.heads: dict[str, int] = {}
        self.viewers: list[str] = []

    def number(self, events: list[EventEnvelope]) -> list[EventEnvelope]:
        for event in events:
            if isinstance(event.body, ExerciseCreated):
                self.viewers = stream_viewers(event.body.scenario.played_nations())
            self.heads, moved = event_positions(self.heads, self.viewers, event.body.type, event.audience)
            event.set_positions(moved)
        return events


class _Verbatim:
    """Appends the events as they are, numbered in the seats' streams; snapshots byte for byte."""

    head = ""
    state: ExerciseState | None = None

    def __init__(self, tx: StoreTransaction) -> None:
        self.tx = tx
        self.streams = _Streams()

    def append(self, events: list[EventEnvelope]) -> None:
        self.tx.append(self.streams.number(events))

    def snapshots(self, bundle: BundleReader, tally: LogTally) -> int:
        names = bundle.names(SNAPSHOTS)
        seqs = {int(n[len(SNAPSHOTS):]) for n in names if n[len(SNAPSHOTS):].isdigit()}
        if len(seqs) != len(names) or seqs - set(tally.snapshots):
            raise BundleError("snapshot_unrecorded", "the bundle holds a snapshot its log does not record")
        missing = sorted(set(tally.snapshots) - seqs)
        if missing:
            problem = f"the log records a snapshot at seq {missing[0]}, the bundle has none"
            raise BundleError("snapshot_missing", problem)
        for seq in sorted(seqs):
            data = bundle.read(f"{SNAPSHOTS}{seq}")
            digest, event_hash = tally.snapshots[seq]
            if snapshot_digest(data) != digest:
                raise BundleError("snapshot_tampered", f"snapshot at seq {seq} is not the one the log has")
            self.tx.save_snapshot(seq, Snapshot(seq=seq, head_hash=event_hash, digest=digest, data=data))
        return len(seqs)


class _Resealer:
    """Seals each event again under a new exercise id (same bodies, audiences, actors, times),
    folding the state as it goes: a snapshot is taken wherever the log recorded one."""

    def __init__(self, bundle: BundleReader, tx: StoreTransaction, exercise_id: str) -> None:
        self.bundle, self.tx, self.exercise_id = bundle, tx, exercise_id
        self.state: ExerciseState | None = None
        self.head = ""
        self.taken = 0
        self.streams = _Streams()

    def append(self, events: list[EventEnvelope]) -> None:
        sealed_events: list[EventEnvelope] = []
        for event in events:
            pending = PendingEvent(
                body=event.body, audience=event.audience, actor=event.actor, member=event.member
            )
            sealed = seal_batch(
                self.exercise_id, [pending], state=self.state, at=event.at,
                snapshot=bool(event.snapshot_digest), background=self._background(event),
            )
            self.state = sealed.state
            sealed_events.extend(sealed.events)
            if sealed.snapshot is not None:
                self.tx.save_snapshot(sealed.snapshot.seq, sealed.snapshot)
                self.taken += 1
        self.tx.append(self.streams.number(sealed_events))
        if self.state is not None:
            self.head = head_text(self.state.last_seq, self.state.last_hash)

    def _background(self, event: EventEnvelope) -> BackgroundCatalog:
        body = event.body
        if self.state is not None or not isinstance(body, ExerciseCreated) or body.catalog is None:
            return EMPTY_CATALOG
        digest = body.catalog.digest
        try:
            return decode_catalog(self.bundle.read(f"{BLOBS}{digest}"), digest)
        except CatalogFormatError as exc:
            raise BundleError("blob_tampered", f"the catalog blob {digest} does not decode: {exc}") from None

    def snapshots(self, bundle: BundleReader, tally: LogTally) -> int:
        for name in bundle.names(SNAPSHOTS):  # rebuilt above; read to check they are intact
            bundle.read(name)
        return self.taken

