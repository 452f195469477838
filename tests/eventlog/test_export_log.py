"""The raw log export (JSONL, CSV): every envelope's exact hashed text, hash and recipe, streamed;
from the command line and, for control seats, over HTTP."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command
from wargame.domain.events import EventEnvelope
from wargame.eventlog.canonical import PYTHON_JSON, RFC8785
from wargame.eventlog.export import CSV_COLUMNS, ExportHead, export_text, jsonl_line
from wargame.eventlog.store import READ_BATCH, EventStore, MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "export"
OLD_LOG = Path(__file__).parents[1] / "domain" / "data" / "tutorial-log-2369566.jsonl"


def played(store: EventStore) -> ExerciseService:
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    for viewer, data in [
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "coalition", "text": "ünï \"quoted\" \\ 😀"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ]:
        assert run_command(service, EX, viewer, data)["status"] == "accepted"
    return service


def exported(store: EventStore, fmt: str, exercise_id: str = EX) -> tuple[str, ExportHead]:
    head = ExportHead()
    return "".join(export_text(store, exercise_id, fmt, head)), head


PREFIX_END = len('{"hash":"') + 64 + len('","recipe":"')


def split_line(line: str) -> tuple[str, str, str]:
    """(hash, recipe, exact event text) of a JSONL line, taken by position as verify.mjs does."""
    digest, recipe = line[9:73], line[PREFIX_END : line.index('"', PREFIX_END)]
    start = PREFIX_END + len(recipe) + len('","event":')
    assert line[:9] == '{"hash":"' and line[start - len(',"event":') : start] == ',"event":'
    return digest, recipe, line[start:-1]


def test_each_jsonl_line_holds_the_exact_text_its_hash_covers() -> None:
    store = MemoryEventStore()
    service = played(store)
    text, head = exported(store, "jsonl")
    events = store.read_after(EX, 0)
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(events) == head.events
    for line, event in zip(lines, events, strict=False):
        digest, recipe, event_text = split_line(line)
        assert json.loads(line) == {"hash": event.hash, "recipe": RFC8785, "event": json.loads(event_text)}
        assert (digest, recipe, event_text) == (event.hash, RFC8785, event.stored_text)
        assert hashlib.sha256(event_text.encode("utf-8")).hexdigest() == digest
    state = service.state(EX)
    assert head.head == f"{state.last_seq}:{state.last_hash}" and head.unreadable == []
    assert any('"snapshot_digest":' in line for line in lines)  # the start and the advance


def test_the_csv_has_a_row_per_event_with_the_same_exact_text() -> None:
    store = MemoryEventStore()
    played(store)
    text, head = exported(store, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    events = store.read_after(EX, 0)
    assert len(rows) - 1 == len(events) == head.events
    for row, event in zip(rows[1:], events, strict=True):
        record = dict(zip(CSV_COLUMNS, row, strict=True))
        assert record["text"] == event.stored_text and record["hash"] == event.hash
        assert hashlib.sha256(record["text"].encode("utf-8")).hexdigest() == record["hash"]
        assert (int(record["seq"]), record["type"], record["recipe"]) == (event.seq, event.body.type, RFC8785)
        assert record["audience"].split(" ") == list(event.audience)
        assert record["snapshot_digest"] == event.snapshot_digest


def old_log_store() -> tuple[MemoryEventStore, list[EventEnvelope]]:
    """The tutorial as an earlier release recorded it (rows without texts, Python-json hashes)."""
    events = [EventEnvelope.model_validate_json(line) for line in OLD_LOG.read_text().splitlines()]
    store = MemoryEventStore()
    with store.write(events[0].exercise_id) as tx:
        tx.append(events)
    return store, events


def test_an_older_log_exports_the_texts_its_hashes_cover() -> None:
    store, events = old_log_store()
    text, head = exported(store, "jsonl", events[0].exercise_id)
    lines = text.splitlines()
    assert head.events == len(events) == len(lines)
    for line, event in zip(lines, events, strict=True):
        digest, recipe, event_text = split_line(line)
        assert recipe == PYTHON_JSON and '"hash_recipe"' not in event_text
        assert hashlib.sha256(event_text.encode("utf-8")).hexdigest() == digest == event.hash


class CountingStore(MemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[int] = []

    def iter_after(
        self, exercise_id: str, after_seq: int, batch: int = READ_BATCH
    ) -> Iterator[EventEnvelope]:
        self.pages.append(after_seq)
        return super().iter_after(exercise_id, after_seq, batch)


def test_the_export_streams_one_store_page_at_a_time() -> None:
    from wargame.eventlog import export

    store = CountingStore()
    played(store)
    last = store.read_last_seq(EX)
    store.pages.clear()
    chunks = export.export_text(store, EX, "jsonl", ExportHead())
    first = next(chunks)
    assert store.pages == [0] and first.count("\n") == min(READ_BATCH, last)
    head = ExportHead()
    pages = list(export.read_page(store, EX, "jsonl", after, head, batch=5).after for after in (0, 5, 10))
    assert pages == [5, 10, min(15, last)]


def test_a_line_is_built_from_the_text_and_not_reserialized() -> None:
    store = MemoryEventStore()
    played(store)
    event = store.read_after(EX, 0)[-1]
    assert jsonl_line(event) == (
        f'{{"hash":"{event.hash}","recipe":"{RFC8785}","event":{event.stored_text}}}\n'
    )


@pytest.mark.django_db(transaction=True)
def test_export_log_and_verify_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.cli import main
    from wargame.server.models import EventRecord, Exercise, SnapshotRecord
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    played(store)
    out = tmp_path / "log.jsonl"
    assert main(["exercise", "export-log", EX, "--out", str(out)]) == 0
    said = capsys.readouterr().err.strip().splitlines()[-1]
    lines = out.read_text(encoding="utf-8").splitlines()
    head = f"{len(lines)}:{json.loads(lines[-1])['hash']}"
    assert said == f"exported {len(lines)} events of exercise {EX}; head {head}"
    assert main(["exercise", "export-log", EX, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith(",".join(CSV_COLUMNS) + "\n")
    assert main(["exercise", "export-log", "nobody"]) == 3
    assert "no exercise 'nobody'" in capsys.readouterr().err

    report = verify_cli(["exercise", "verify", EX, "--expect-head", head], capsys)
    assert (report["code"], report["head"], report["expected_head"]) == (0, head, head)
    assert report["problems"] == []
    assert report["snapshots"] == 2
    assert main(["exercise", "verify", EX, "--expect-head", "3"]) == 2
    assert "write SEQ:HASH" in capsys.readouterr().err

    # the copy kept without its last events, consistent with itself (as a SQLite file without its WAL)
    seq = len(lines)
    for rows in (EventRecord.objects, SnapshotRecord.objects):
        rows.filter(exercise_id=EX, seq__gte=seq - 1).delete()
    Exercise.objects.filter(id=EX).update(last_seq=seq - 2)
    alone = verify_cli(["exercise", "verify", EX], capsys)
    assert (alone["code"], alone["problems"]) == (0, [])  # nothing in the copy tells
    anchored = verify_cli(["exercise", "verify", EX, "--expect-head", head], capsys)
    assert anchored["problems"][0] == (
        f"the log ends at seq {seq - 2}, before the anchored head {seq}: events were cut from its end"
    )


def verify_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from wargame.cli import main

    code = main(argv)
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return {**report, "code": code}


def test_the_aar_prints_the_head_to_anchor_for_control_seats_only() -> None:
    from wargame.aar import FORMATS, build_report

    store = MemoryEventStore()
    state = played(store).state(EX)
    report = build_report(store.iter_after(EX, 0), "facilitator")
    exercise = report["exercise"]
    assert (exercise["head_seq"], exercise["head_hash"]) == (state.last_seq, state.last_hash)
    markdown = FORMATS["md"][2](report)
    integrity = markdown[markdown.index("## Integrity") :]
    assert f"Head of the log: seq {state.last_seq}, hash `{state.last_hash}`" in integrity
    assert f"wargame exercise verify {EX} --expect-head {state.last_seq}:{state.last_hash}" in integrity
    assert json.loads(FORMATS["json"][2](report))["exercise"]["head_hash"] == state.last_hash
    team = build_report(store.iter_after(EX, 0), "team:USA")["exercise"]
    assert (team["head_seq"], team["head_hash"]) == (None, None)  # the log's seq and hashes are control's
