"""Verifying an exercise's stored log, streamed: the hash chain, its head, blobs and snapshots."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wargame.domain.events import EventBody, EventEnvelope
from wargame.eventlog.chain import ChainChecker
from wargame.eventlog.snapshots import Snapshot, snapshot_digest
from wargame.eventlog.store import READ_BATCH, CorruptEvent, EventStore, MissingBlob, blob_digest

Head = tuple[int, str]
"""A chain's head, anchored outside the database: (seq, hash of the event at seq)."""


def parse_head(text: str) -> Head:
    """`SEQ:HASH` (as `wargame exercise verify` and every export print it) as a Head; ValueError
    naming what is wrong otherwise."""
    seq_text, colon, digest = text.strip().partition(":")
    if not colon or not seq_text.isdigit() or int(seq_text) < 1:
        raise ValueError(f"expected head {text!r}: write SEQ:HASH, SEQ a whole number >= 1")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"expected head {text!r}: HASH must be 64 lowercase hex digits")
    return int(seq_text), digest


def head_text(seq: int, digest: str) -> str:
    """A head as printed and anchored: `SEQ:HASH`."""
    return f"{seq}:{digest}"

BLOB_FIELDS: dict[str, tuple[str, ...]] = {
    "exercise_created": ("catalog.digest",),
    "picture_updated": tuple(
        f"picture.pictures.{name}" for name in ("custody", "truth", "previous_custody", "previous_truth")
    ),
}
"""Event type -> attribute paths in its body ("scenario.catalog_digest") that hold blob digests:
a digest, or a tuple, list or mapping of them (None or "" for none). An event refers to nothing
else; add an entry when an event type starts to keep data in blobs."""


def blob_digests(body: EventBody) -> tuple[str, ...]:
    """The digests of the blobs an event's body refers to, in path order (BLOB_FIELDS)."""
    found: list[str] = []
    for path in BLOB_FIELDS.get(body.type, ()):
        value: Any = body
        for name in path.split("."):
            value = getattr(value, name, None)
        found.extend(_digests_in(value))
    return tuple(found)


def _digests_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _digests_in(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _digests_in(item)


@dataclass
class LogReport:
    """What `wargame exercise verify` prints: the chain's head (the state hash, `head` as
    `SEQ:HASH` to anchor), what was checked, problems, and notes (harmless findings)."""

    exercise_id: str
    last_seq: int = 0
    last_hash: str = ""
    events: int = 0
    blobs: int = 0
    snapshots: int = 0
    expected_head: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def head(self) -> str:
        return head_text(self.last_seq, self.last_hash) if self.events else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "head": self.head,
            "expected_head": self.expected_head,
            "events": self.events,
            "blobs": self.blobs,
            "snapshots": self.snapshots,
            "problems": self.problems,
            "notes": self.notes,
        }


class BlobChecker:
    """Checks each referenced blob once: it is stored, and its bytes hash to its digest."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.checked: set[str] = set()

    def check(self, event: EventEnvelope) -> list[str]:
        problems = []
        for digest in blob_digests(event.body):
            if digest in self.checked:
                continue
            self.checked.add(digest)
            try:
                data = self.store.read_blob(digest)
            except MissingBlob:
                problems.append(f"seq {event.seq}: blob {digest} is missing")
                continue
            if blob_digest(data) != digest:
                problems.append(f"seq {event.seq}: blob {digest} does not match its digest")
        return problems


def verify_log(
    store: EventStore, exercise_id: str, batch: int = READ_BATCH, expect_head: Head | None = None
) -> LogReport:
    """Check an exercise's whole log, `batch` events at a time: numbering, links, each event's
    content against its hash and recipe, the blobs it refers to, the snapshots it records (and
    any it does not), that it ends where the exercise row says, and, given the head anchored
    earlier (`expect_head`), that it still holds that event: a log cut short or rewritten
    since is caught. Memory does not grow with the log."""
    report = LogReport(exercise_id)
    chain = ChainChecker()
    blobs = BlobChecker(store)
    watch = HeadWatch(expect_head)
    while True:  # until the head stays put (events may be appended while we read)
        read_before = chain.count
        _check_after(store, exercise_id, chain.expected_seq - 1, batch, chain, blobs, watch, report.problems)
        head = store.read_last_seq(exercise_id)
        if head == chain.expected_seq - 1 or chain.count == read_before:
            break
    report.events = chain.count
    report.last_seq = chain.expected_seq - 1 if chain.count else 0
    report.last_hash = chain.prev_hash if chain.count else ""
    report.blobs = len(blobs.checked)
    if report.events and head != report.last_seq:
        report.problems.append(f"the log ends at seq {report.last_seq}, the exercise at seq {head}")
    if expect_head is not None:
        report.expected_head = head_text(*expect_head)
        report.problems.extend(watch.problems(report.last_seq))
    _check_snapshots(store, exercise_id, chain, report)
    return report


class HeadWatch:
    """Notes the hash of the event at an anchored head's seq as the chain is read."""

    def __init__(self, expected: Head | None) -> None:
        self.expected = expected
        self.seen: str | None = None

    def see(self, seq: int, digest: str) -> None:
        if self.expected is not None and seq == self.expected[0]:
            self.seen = digest

    def problems(self, last_seq: int) -> list[str]:
        if self.expected is None:
            return []
        seq, digest = self.expected
        if last_seq < seq:
            cut = f"the log ends at seq {last_seq}, before the anchored head {seq}"
            return [f"{cut}: events were cut from its end"]
        if self.seen != digest:
            other = f"event {seq} has hash {self.seen}, not the anchored head's {digest}"
            return [f"{other}: the log was rewritten"]
        return []


def _check_snapshots(store: EventStore, exercise_id: str, chain: ChainChecker, report: LogReport) -> None:
    """Every snapshot the log records must be stored, byte for byte; a stored one it does not
    record is never loaded: a note if an earlier release saved it, a problem if not."""
    recorded = dict(chain.anchors)
    below: int | None = None
    while (stored := store.read_latest_snapshot(exercise_id, below)) is not None:
        below = stored.seq
        anchor = recorded.pop(stored.seq, None)
        if anchor is None:
            since = chain.first_named_recipe
            line = f"snapshot at seq {stored.seq} is not recorded in the log, so it is never loaded"
            if since is not None and stored.seq >= since:
                report.problems.append(line)
            else:
                report.notes.append(f"{line} (saved by an earlier release)")
            continue
        report.snapshots += 1
        digest, event_hash = anchor
        content = stored.content
        if not isinstance(content, Snapshot) or snapshot_digest(content.data) != digest:
            bytes_differ = f"its bytes are not those event {stored.seq} records"
            report.problems.append(f"snapshot at seq {stored.seq}: {bytes_differ}")
        elif content.head_hash != event_hash:
            report.problems.append(f"snapshot at seq {stored.seq}: it names another event {stored.seq}")
    for seq in sorted(recorded):
        report.problems.append(f"snapshot at seq {seq}: recorded in the log, missing from the store")


def _check_after(
    store: EventStore,
    exercise_id: str,
    after: int,
    batch: int,
    chain: ChainChecker,
    blobs: BlobChecker,
    watch: HeadWatch,
    problems: list[str],
) -> None:
    while True:
        try:
            for event in store.iter_after(exercise_id, after, batch):
                problems.extend(chain.check(event))
                problems.extend(blobs.check(event))
                watch.see(event.seq, event.hash)
                after = event.seq
            return
        except CorruptEvent as exc:  # report it, then carry on after it
            problems.append(str(exc))
            chain.skip(exc.seq, exc.hash)
            watch.see(exc.seq, exc.hash)
            after = exc.seq
