"""Verifying an exercise's stored log, streamed: the hash chain and the blobs events refer to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wargame.domain.events import EventBody, EventEnvelope
from wargame.eventlog.chain import ChainChecker
from wargame.eventlog.store import READ_BATCH, CorruptEvent, EventStore, MissingBlob, blob_digest

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
    """What `wargame exercise verify` prints: the chain's head (the state hash) and problems."""

    exercise_id: str
    last_seq: int = 0
    last_hash: str = ""
    events: int = 0
    blobs: int = 0
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "events": self.events,
            "blobs": self.blobs,
            "problems": self.problems,
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


def verify_log(store: EventStore, exercise_id: str, batch: int = READ_BATCH) -> LogReport:
    """Check an exercise's whole log, `batch` events at a time: numbering, links, each event's
    content against its hash, and the blobs it refers to. Memory does not grow with the log."""
    report = LogReport(exercise_id)
    chain = ChainChecker()
    blobs = BlobChecker(store)
    while True:  # until the head stays put (events may be appended while we read)
        read_before = chain.count
        _check_after(store, exercise_id, chain.expected_seq - 1, batch, chain, blobs, report.problems)
        head = store.read_last_seq(exercise_id)
        if head == chain.expected_seq - 1 or chain.count == read_before:
            break
    report.events = chain.count
    report.last_seq = chain.expected_seq - 1 if chain.count else 0
    report.last_hash = chain.prev_hash if chain.count else ""
    report.blobs = len(blobs.checked)
    if report.events and head != report.last_seq:
        report.problems.append(f"the log ends at seq {report.last_seq}, the exercise at seq {head}")
    return report


def _check_after(
    store: EventStore,
    exercise_id: str,
    after: int,
    batch: int,
    chain: ChainChecker,
    blobs: BlobChecker,
    problems: list[str],
) -> None:
    while True:
        try:
            for event in store.iter_after(exercise_id, after, batch):
                problems.extend(chain.check(event))
                problems.extend(blobs.check(event))
                after = event.seq
            return
        except CorruptEvent as exc:  # report it, then carry on after it
            problems.append(str(exc))
            chain.skip(exc.seq, exc.hash)
            after = exc.seq
