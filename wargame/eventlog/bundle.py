"""An exercise's log, blobs, snapshots and setup to a bundle and back into a store, checked as it streams."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from wargame import __version__
from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, CatalogFormatError, decode_catalog
from wargame.domain.events import EventEnvelope, ExerciseCreated, PendingEvent
from wargame.domain.state import ExerciseState
from wargame.domain.streams import event_positions, stream_viewers
from wargame.eventlog.bundle_format import (
    BLOBS,
    FORMAT,
    FORMAT_VERSION,
    LOG,
    RULESET,
    SCENARIO,
    SNAPSHOTS,
    BundleError,
    BundleReader,
    BundleWriter,
)
from wargame.eventlog.canonical import RECIPES
from wargame.eventlog.chain import ChainChecker, envelope_from_text, seal_batch
from wargame.eventlog.export import jsonl_line, recipe_name
from wargame.eventlog.snapshots import Snapshot, snapshot_digest
from wargame.eventlog.store import (
    READ_BATCH,
    CorruptEvent,
    EventStore,
    MissingBlob,
    StoreTransaction,
    blob_digest,
)
from wargame.eventlog.verify import blob_digests, head_text

Progress = Callable[[int, int], None]
"""Told (events done, events in all) after each page of events."""

HASH_RECIPE = (
    "each log line is {\"hash\":H,\"recipe\":R,\"event\":T}: H is the SHA-256 (hex) of the UTF-8 bytes of "
    "T, the event's exact text, canonical by recipe R (rfc8785-sha256: RFC 8785 JSON; "
    "python-json-sha256: earlier releases' Python json); each event's prev_hash is the previous "
    "event's H (64 zeros for the first): docs/log-format.md"
)


@dataclass
class LogTally:
    """What writing or reading a bundle's log saw: the count, head, first event and references."""

    events: int = 0
    seq: int = 0
    hash: str = ""
    created: ExerciseCreated | None = None
    blobs: dict[str, int] = field(default_factory=dict)
    """Digest -> seq of the first event that refers to it, in log order."""
    snapshots: dict[int, tuple[str, str]] = field(default_factory=dict)
    """seq -> (snapshot digest, event hash) of each snapshot the log records."""
    recipes: set[str] = field(default_factory=set)

    @property
    def head(self) -> str:
        return head_text(self.seq, self.hash) if self.events else ""

    def see(self, event: EventEnvelope) -> None:
        self.events += 1
        self.seq, self.hash = event.seq, event.hash
        self.recipes.add(recipe_name(event))
        if event.seq == 1 and isinstance(event.body, ExerciseCreated):
            self.created = event.body
        for digest in blob_digests(event.body):
            self.blobs.setdefault(digest, event.seq)
        if event.snapshot_digest:
            self.snapshots[event.seq] = (event.snapshot_digest, event.hash)


def write_exercise(
    store: EventStore, exercise_id: str, out: BundleWriter, progress: Progress | None = None
) -> Iterator[LogTally]:
    """Write the log, the scenario and ruleset, the blobs and the snapshots of an exercise,
    a store page at a time; yields the tally after each step (the caller may flush a stream
    there). Refuses (BundleError) a log that does not read back or does not chain: such a bundle
    would not import."""
    total = store.read_last_seq(exercise_id)
    if total == 0:
        raise BundleError("no_exercise", f"no exercise {exercise_id!r}")
    tally = LogTally()
    checker = ChainChecker(canonical=False)
    with out.member(LOG) as log:
        try:
            page: list[str] = []
            for event in store.iter_after(exercise_id, 0):
                problems = checker.check(event)
                if problems:
                    raise BundleError("log_tampered", f"exercise {exercise_id}: {problems[0]}; not exported")
                tally.see(event)
                page.append(jsonl_line(event))
                if len(page) == READ_BATCH:
                    log.write("".join(page).encode("utf-8"))
                    page = []
                    _told(progress, tally.events, total)
                    yield tally
            log.write("".join(page).encode("utf-8"))
        except CorruptEvent as exc:
            raise BundleError("log_tampered", f"exercise {exercise_id}: {exc}; not exported") from None
    _told(progress, tally.events, max(total, tally.events))
    if tally.created is None:
        raise BundleError("log_tampered", f"exercise {exercise_id}: its first event is not exercise_created")
    out.write_bytes(SCENARIO, tally.created.scenario.model_dump_json(indent=1).encode("utf-8"))
    out.write_bytes(RULESET, tally.created.ruleset.model_dump_json(indent=1).encode("utf-8"))
    for digest, seq in tally.blobs.items():
        try:
            data = store.read_blob(digest)
        except MissingBlob:
            raise BundleError("blob_missing", f"seq {seq}: blob {digest} is missing; not exported") from None
        if blob_digest(data) != digest:
            raise BundleError("blob_tampered", f"seq {seq}: blob {digest} does not match its digest")
        out.write_bytes(f"{BLOBS}{digest}", data, compress=False)
        yield tally
    yield from _write_snapshots(store, exercise_id, out, tally)


def _write_snapshots(
    store: EventStore, exercise_id: str, out: BundleWriter, tally: LogTally
) -> Iterator[LogTally]:
    """The snapshots the log records, as stored (a stored one it does not record is never
    loaded, and is left out)."""
    below: int | None = None
    while (stored := store.read_latest_snapshot(exercise_id, below)) is not None:
        below = stored.seq
        anchor = tally.snapshots.get(stored.seq)
        content = stored.content
        if anchor is None or not isinstance(content, Snapshot):
            continue
        if snapshot_digest(content.data) != anchor[0] or content.head_hash != anchor[1]:
            raise BundleError("snapshot_tampered", f"snapshot at seq {stored.seq} is not the one the log has")
        out.write_bytes(f"{SNAPSHOTS}{stored.seq}", content.data, compress=False)
        yield tally


def manifest_fields(exercise_id: str, tally: LogTally, **extra: Any) -> dict[str, Any]:
    """The manifest of a bundle whose log was written with this tally (members are added last)."""
    created = tally.created
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exercise_id": exercise_id,
        "scenario_id": created.scenario.id if created else "",
        "ruleset_id": created.ruleset.id if created else "",
        "events": tally.events,
        "head": tally.head,
        "hash_recipe": HASH_RECIPE,
        "recipes": sorted(tally.recipes),
        "blobs": len(tally.blobs),
        "snapshots": sorted(tally.snapshots),
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "package_version": __version__,
        **extra,
    }


def _told(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# -- reading ---------------------------------------------------------------------------------

_PREFIX = '{"hash":"'
_RECIPE = '","recipe":"'
_EVENT = '","event":'


def parse_line(line: str, number: int) -> EventEnvelope:
    """The envelope of one log line, carrying the exact text the line holds (by position, as
    tools/verify-log takes it); BundleError naming the line if it is not one."""
    start = len(_PREFIX) + 64
    framed = line.startswith(_PREFIX) and line.endswith("}")
    if not framed or line[start : start + len(_RECIPE)] != _RECIPE:
        raise BundleError("log_unreadable", f"{LOG} line {number} is not a log line")
    digest = line[len(_PREFIX) : start]
    recipe_end = line.find(_EVENT, start)
    recipe = line[start + len(_RECIPE) : recipe_end]
    if recipe_end < 0 or recipe not in RECIPES:
        raise BundleError("log_unreadable", f"{LOG} line {number}: unknown hash recipe")
    try:
        envelope = envelope_from_text(line[recipe_end + len(_EVENT) : -1], digest)
    except (ValidationError, ValueError) as exc:
        raise BundleError("log_unreadable", f"{LOG} line {number}: the event does not parse: {exc}") from None
    if recipe_name(envelope) != recipe:
        raise BundleError("log_tampered", f"{LOG} line {number}: its recipe is not the event's")
    return envelope


def checked_log(bundle: BundleReader, tally: LogTally) -> Iterator[EventEnvelope]:
    """The bundle's events, each checked as `wargame exercise verify` checks a stored one
    (numbering, link, content against its hash, canonical text) and its blobs present; at the
    end, the count and head the manifest gives. BundleError at the first that fails."""
    checker = ChainChecker()
    blobs = set(bundle.names(BLOBS))
    exercise_id = bundle.manifest.get("exercise_id")
    try:
        for number, line in enumerate(bundle.lines(LOG), start=1):
            event = parse_line(line, number)
            problems = checker.check(event)
            if not problems and event.exercise_id != exercise_id:
                problems = [f"seq {event.seq}: it names exercise {event.exercise_id}, not {exercise_id}"]
            if problems:
                raise BundleError("log_tampered", f"{LOG}: {problems[0]}")
            missing = [d for d in blob_digests(event.body) if f"{BLOBS}{d}" not in blobs]
            if missing:
                raise BundleError("blob_missing", f"seq {event.seq}: blob {missing[0]} is not in the bundle")
            tally.see(event)
            yield event
    except UnicodeDecodeError:
        bundle.check_member(LOG)
        raise BundleError("log_unreadable", f"{LOG} is not UTF-8") from None
    except BundleError as exc:
        if exc.code != "bundle_member_hash":
            bundle.check_member(LOG)
        raise
    head, events = bundle.manifest.get("head"), bundle.manifest.get("events")
    if (tally.head, tally.events) != (head, events):
        raise BundleError(
            "head_mismatch",
            f"the log ends at {tally.head or 'nothing'} after {tally.events} events, the manifest says "
            f"{head} after {events}: events were cut or added",
        )
    if tally.created is None:
        raise BundleError("log_tampered", "the log's first event is not exercise_created")


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
            _told(progress, tally.events, total)
    writer.append(page)
    _told(progress, tally.events, total)
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


_APPLICATION_MEMBERS = ("seats.jsonl", "commands.jsonl")
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

