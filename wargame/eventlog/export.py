"""The raw log as JSONL or CSV: every envelope's exact hashed text with its hash and recipe, streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from wargame.domain.events import EventEnvelope
from wargame.eventlog.canonical import PYTHON_JSON, UnstorableEvent, canonical_text, python_text_signed_zero
from wargame.eventlog.chain import envelope_fields, hashed_text
from wargame.eventlog.store import READ_BATCH, CorruptEvent, EventStore
from wargame.eventlog.verify import head_text

CONTENT_TYPES = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}
"""The export formats and their media types."""

CSV_COLUMNS = (
    "seq", "hash", "prev_hash", "recipe", "type", "at", "scenario_time", "move", "actor", "member",
    "audience", "snapshot_digest", "text",
)
"""The CSV columns: `text` is the exact text `hash` is the SHA-256 of; the others copy it for
spreadsheets (`audience` space-separated)."""


def exact_text(event: EventEnvelope) -> str:
    """The text an event's hash covers; for an altered event whose fields no longer hash right,
    the canonical text of its fields by its recipe (so the export still shows what the row says,
    and any verifier reports it)."""
    text = hashed_text(event)
    if text is not None:
        return text
    fields = envelope_fields(event)
    try:
        return canonical_text(fields, strict=False)
    except UnstorableEvent:
        return python_text_signed_zero(fields)


def recipe_name(event: EventEnvelope) -> str:
    return event.hash_recipe or PYTHON_JSON


def jsonl_line(event: EventEnvelope) -> str:
    """One line: `{"hash":H,"recipe":R,"event":T}` and a newline, with T the exact hashed text,
    byte for byte (docs/log-format.md): a verifier can take T by position and hash it."""
    prefix = f'{{"hash":{json.dumps(event.hash)},"recipe":{json.dumps(recipe_name(event))},"event":'
    return f"{prefix}{exact_text(event)}}}\n"


def csv_text(rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def csv_row(event: EventEnvelope) -> tuple[object, ...]:
    return (
        event.seq, event.hash, event.prev_hash, recipe_name(event), event.body.type,
        event.at.isoformat().replace("+00:00", "Z"), event.scenario_time.isoformat().replace("+00:00", "Z"),
        event.move, event.actor, event.member, " ".join(event.audience), event.snapshot_digest,
        exact_text(event),
    )


@dataclass
class Page:
    """One page of an export: its text, the last seq read, and whether the log ended."""

    text: str
    after: int
    done: bool


@dataclass
class ExportHead:
    """What an export wrote: how many events, its last event (the head to anchor), and the rows
    that could not be read (left out: a verifier then reports the gap)."""

    events: int = 0
    seq: int = 0
    hash: str = ""
    unreadable: list[str] = field(default_factory=list)

    @property
    def head(self) -> str:
        return head_text(self.seq, self.hash) if self.events else ""


def read_page(
    store: EventStore, exercise_id: str, fmt: str, after: int, head: ExportHead, batch: int = READ_BATCH
) -> Page:
    """The export's lines for the events after `after`, at most `batch` of them (one store page)."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"format must be one of {sorted(CONTENT_TYPES)}, not {fmt!r}")
    events: list[EventEnvelope] = []
    try:
        events.extend(islice(store.iter_after(exercise_id, after, batch), batch))
    except CorruptEvent as exc:
        head.unreadable.append(str(exc))
        return Page(text=_lines(fmt, events, head), after=exc.seq, done=False)
    text = _lines(fmt, events, head)
    return Page(text=text, after=events[-1].seq if events else after, done=len(events) < batch)


def _lines(fmt: str, events: list[EventEnvelope], head: ExportHead) -> str:
    for event in events:
        head.events += 1
        head.seq, head.hash = event.seq, event.hash
    if fmt == "csv":
        return csv_text([csv_row(e) for e in events])
    return "".join(jsonl_line(e) for e in events)


def export_text(store: EventStore, exercise_id: str, fmt: str, head: ExportHead) -> Iterator[str]:
    """The whole export, a page at a time (memory holds one page, whatever the log's size);
    `head` is filled in as it goes."""
    if fmt == "csv":
        yield csv_text([CSV_COLUMNS])
    after = 0
    while True:
        page = read_page(store, exercise_id, fmt, after, head)
        if page.text:
            yield page.text
        if page.done:
            return
        after = page.after
