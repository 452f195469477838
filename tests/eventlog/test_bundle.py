"""Exercise bundles: exported to one zip, imported into the database (its own id or another),
verified on the way in; tampered, truncated, newer or clashing bundles refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command
from wargame.eventlog.bundle_format import FORMAT_VERSION, LOG, MANIFEST, BundleError
from wargame.eventlog.verify import verify_log

pytestmark = pytest.mark.django_db(transaction=True)

EX = "bundled"


def played_unit() -> str:
    """The unit scenario, started, chatted in and advanced, with its seats and a command."""
    from wargame.server.models import Exercise
    from wargame.server.seats import issue_default_seats
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), FakeAdjudicator())
    created = make_created()
    service.create(EX, created)
    issue_default_seats(Exercise.objects.get(id=EX), created.scenario)
    steps: list[tuple[str, dict[str, Any]]] = [
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "coalition", "text": "ünï \"quoted\" 😀"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ]
    for viewer, data in steps:
        assert run_command(service, EX, viewer, data)["status"] == "accepted"
    return EX


def fresh_state(exercise_id: str) -> Any:
    """The state a server that never saw the exercise loads (snapshot plus the events after it)."""
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    return ExerciseService(DjangoEventStore(), FakeAdjudicator()).state(exercise_id)


def forget(exercise_id: str) -> None:
    """Remove an exercise from the database entirely (as if on another server)."""
    from wargame.server.models import EventRecord, Exercise, StreamEntry

    StreamEntry.objects.filter(exercise_id=exercise_id).delete()
    EventRecord.objects.filter(exercise_id=exercise_id).delete()
    Exercise.objects.filter(id=exercise_id).delete()  # seats, snapshots and commands cascade


def rows_of(exercise_id: str) -> dict[str, Any]:
    from wargame.server.models import CommandRecord, Seat, StreamEntry

    seats = Seat.objects.filter(exercise_id=exercise_id).values_list("role", "nation", "token_hash")
    streams = StreamEntry.objects.filter(exercise_id=exercise_id).values_list("viewer", "pos", "seq")
    ordered = CommandRecord.objects.filter(exercise_id=exercise_id).order_by("key")
    commands = ordered.values_list("key", "result")
    return {"seats": sorted(seats), "streams": sorted(streams), "commands": list(commands)}


def test_round_trip_keeps_the_log_state_seats_and_head_and_the_copy_plays_on(tmp_path: Path) -> None:
    from wargame.server.bundles import export_bundle, import_bundle
    from wargame.server.seats import find_seat
    from wargame.server.store import DjangoEventStore

    played_unit()
    before, rows = fresh_state(EX), rows_of(EX)
    report = verify_log(DjangoEventStore(), EX)
    told: list[tuple[int, int]] = []
    summary = export_bundle(EX, tmp_path / "b.zip", progress=lambda done, total: told.append((done, total)))
    assert (summary.events, summary.head) == (report.events, report.head)
    assert summary.snapshots == report.snapshots == 2 and summary.seats == 7
    assert told[-1] == (report.events, report.events)
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert archive.read(LOG).decode().count("\n") == report.events
    assert (manifest["format_version"], manifest["exercise_id"], manifest["head"]) == (1, EX, report.head)
    assert manifest["scenario_id"] == before.scenario.id and manifest["ruleset_id"] == before.ruleset.id
    assert "snapshots/" + str(before.last_seq) in manifest["members"]

    forget(EX)
    imported = import_bundle(tmp_path / "b.zip")
    assert (imported.exercise_id, imported.head, imported.source_head) == (EX, report.head, report.head)
    again = verify_log(DjangoEventStore(), EX)
    assert (again.problems, again.head, again.snapshots) == ([], report.head, 2)
    assert fresh_state(EX) == before
    assert rows_of(EX) == rows

    from wargame.server.models import Seat

    seat_row = Seat.objects.filter(exercise_id=EX, nation="USA").get()
    assert imported.links == []  # the old links work: the same token hashes
    assert seat_row.token_hash == dict((r[1], r[2]) for r in rows["seats"])["USA"]
    from wargame.server.store import DjangoEventStore as Store
    from wargame.services.commands import ExerciseService

    service = ExerciseService(Store(), FakeAdjudicator())
    chat = {"type": "post_chat", "channel": "coalition", "text": "back"}
    result = run_command(service, EX, "team:GBR", chat)
    assert result["status"] == "accepted" and result["seq"] == before.last_seq + 1
    after = verify_log(Store(), EX)
    assert after.problems == [] and after.last_seq == before.last_seq + 1
    assert find_seat("no-such-token") is None


def test_an_exercise_id_that_exists_is_refused_unless_imported_under_another(tmp_path: Path) -> None:
    from wargame.server.bundles import export_bundle, import_bundle
    from wargame.server.models import EventRecord
    from wargame.server.store import DjangoEventStore

    played_unit()
    export_bundle(EX, tmp_path / "b.zip")
    count = EventRecord.objects.count()
    with pytest.raises(BundleError) as refused:
        import_bundle(tmp_path / "b.zip")
    assert refused.value.code == "exercise_exists" and "already exists" in refused.value.message
    assert EventRecord.objects.count() == count

    for bad_id in ("../x", "x" * 65, "a b"):
        with pytest.raises(BundleError) as refused:
            import_bundle(tmp_path / "b.zip", as_id=bad_id)
        assert refused.value.code == "bad_exercise_id" and repr(bad_id) in refused.value.message
    copy = import_bundle(tmp_path / "b.zip", as_id="copy1")
    assert copy.exercise_id == "copy1" and copy.source_head != copy.head
    report = verify_log(DjangoEventStore(), "copy1")
    assert (report.problems, report.head, report.snapshots) == ([], copy.head, 2)
    assert len(copy.links) == 7 and {s.token for s in copy.links}.isdisjoint({""})
    original, copied = fresh_state(EX), fresh_state("copy1")
    ignored = {"exercise_id", "last_hash", "created_hash"}
    assert copied.model_dump(exclude=ignored) == original.model_dump(exclude=ignored)
    assert rows_of("copy1")["streams"] == rows_of(EX)["streams"]


def rewrite(source: Path, target: Path, change: dict[str, Any]) -> None:
    """Copy a bundle, replacing members' bytes (`change`: name -> bytes or a function of them)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename in change:
                replacement = change[info.filename]
                data = replacement(data) if callable(replacement) else replacement
            new.writestr(info.filename, data)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("chat edited", "bundle_member_hash"),
        ("chat edited, manifest hash too", "log_tampered"),
        ("last event dropped, manifest hash too", "head_mismatch"),
        ("newer format", "bundle_version"),
        ("truncated", "bundle_unreadable"),
    ],
)
def test_a_damaged_bundle_is_refused_and_nothing_is_written(tmp_path: Path, case: str, code: str) -> None:
    import hashlib

    from wargame.server.bundles import export_bundle, import_bundle
    from wargame.server.models import EventRecord, Exercise

    played_unit()
    good = tmp_path / "good.zip"
    export_bundle(EX, good)
    forget(EX)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as archive:
        log = archive.read(LOG)
        manifest = json.loads(archive.read(MANIFEST))

    def with_log(new_log: bytes) -> dict[str, Any]:
        members = dict(manifest["members"])
        members[LOG] = {"sha256": hashlib.sha256(new_log).hexdigest(), "bytes": len(new_log)}
        return {LOG: new_log, MANIFEST: json.dumps({**manifest, "members": members}).encode()}

    edited = log.replace(b"quoted", b"QUOTED")
    assert edited != log
    if case == "chat edited":
        rewrite(good, bad, {LOG: edited})
    elif case == "chat edited, manifest hash too":
        rewrite(good, bad, with_log(edited))
    elif case == "last event dropped, manifest hash too":
        rewrite(good, bad, with_log(b"".join(log.splitlines(keepends=True)[:-1])))
    elif case == "newer format":
        newer = {**manifest, "format_version": FORMAT_VERSION + 1}
        rewrite(good, bad, {MANIFEST: json.dumps(newer).encode()})
    else:
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BundleError) as refused:
        import_bundle(bad)
    assert refused.value.code == code, refused.value.message
    assert not Exercise.objects.filter(id=EX).exists()
    assert EventRecord.objects.filter(exercise_id=EX).count() == 0
    assert import_bundle(good).head == manifest["head"]  # the intact one still imports


def test_blobs_travel_checked_and_a_copy_under_another_id_keeps_its_catalog(tmp_path: Path) -> None:
    """regional-sentinel keeps its 5,000-object background catalog in a blob."""
    import hashlib

    from wargame.server.bundles import export_bundle, import_bundle
    from wargame.server.exercises import create_exercise
    from wargame.server.store import DjangoEventStore

    exercise_id = create_exercise("regional-sentinel").exercise_id
    good = tmp_path / "regional.zip"
    summary = export_bundle(exercise_id, good)
    assert summary.blobs == 1
    with zipfile.ZipFile(good) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        (blob,) = [name for name in archive.namelist() if name.startswith("blobs/")]
        data = archive.read(blob)
    assert hashlib.sha256(data).hexdigest() == blob.removeprefix("blobs/")

    copy = import_bundle(good, as_id="regional-copy")
    report = verify_log(DjangoEventStore(), "regional-copy")
    assert (report.problems, report.blobs, report.head) == ([], 1, copy.head)
    ignored = {"exercise_id", "last_hash", "created_hash"}
    original, copied = fresh_state(exercise_id), fresh_state("regional-copy")
    assert copied.model_dump(exclude=ignored) == original.model_dump(exclude=ignored)

    altered = data[:-1] + bytes([data[-1] ^ 1])
    listed = {"sha256": hashlib.sha256(altered).hexdigest(), "bytes": len(altered)}
    members = {**manifest["members"], blob: listed}
    for change, code in (
        ({blob: altered}, "bundle_member_hash"),
        ({blob: altered, MANIFEST: json.dumps({**manifest, "members": members}).encode()}, "blob_tampered"),
    ):
        bad = tmp_path / "bad.zip"
        rewrite(good, bad, change)
        with pytest.raises(BundleError) as refused:
            import_bundle(bad, as_id="regional-bad")
        assert refused.value.code == code, refused.value.message
        assert DjangoEventStore().read_last_seq("regional-bad") == 0


def test_a_log_of_an_earlier_release_travels_with_its_recipe(tmp_path: Path) -> None:
    from tests.eventlog.test_export_log import OLD_LOG
    from wargame.domain.events import EventEnvelope
    from wargame.eventlog.canonical import PYTHON_JSON
    from wargame.server.bundles import export_bundle, import_bundle
    from wargame.server.store import DjangoEventStore

    events = [EventEnvelope.model_validate_json(line) for line in OLD_LOG.read_text().splitlines()]
    exercise_id = events[0].exercise_id
    store = DjangoEventStore()
    with store.write(exercise_id) as tx:
        tx.append(events)
    before = verify_log(store, exercise_id)
    assert before.problems == []
    summary = export_bundle(exercise_id, tmp_path / "old.zip")
    with zipfile.ZipFile(tmp_path / "old.zip") as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert (manifest["recipes"], manifest["events"]) == ([PYTHON_JSON], len(events))
    forget(exercise_id)
    imported = import_bundle(tmp_path / "old.zip")
    after = verify_log(store, exercise_id)
    assert (after.problems, after.head, imported.head) == ([], before.head, summary.head)
    assert fresh_state(exercise_id) is not None
