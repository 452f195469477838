"""An exercise's log, blobs, snapshots and setup written to a bundle, and its log read back checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from wargame import __version__
from wargame.domain.events import EventEnvelope, ExerciseCreated
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
from wargame.eventlog.chain import ChainChecker, envelope_from_text
from wargame.eventlog.export import jsonl_line, recipe_name
from wargame.eventlog.snapshots import Snapshot, snapshot_digest
from wargame.eventlog.store import (
    READ_BATCH,
    CorruptEvent,
    EventStore,
    MissingBlob,
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
    there), and last when all is written. Refuses (BundleError) a log that does not read back
    or does not chain: such a bundle would not import."""
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
                    told(progress, tally.events, total)
                    yield tally
            log.write("".join(page).encode("utf-8"))
        except CorruptEvent as exc:
            raise BundleError("log_tampered", f"exercise {exercise_id}: {exc}; not exported") from None
    told(progress, tally.events, max(total, tally.events))
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
    yield tally  # the last word, whatever came before


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


def told(progress: Progress | None, done: int, total: int) -> None:
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
