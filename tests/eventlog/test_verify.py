"""`wargame exercise verify`: the chain and the blobs, streamed in pages, on every store."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command
from wargame.domain.audience import control_only
from wargame.domain.events import ChatPosted, PendingEvent
from wargame.eventlog import verify
from wargame.eventlog.chain import seal, verify_chain
from wargame.eventlog.replay import fold
from wargame.eventlog.store import EventStore, MemoryEventStore
from wargame.eventlog.verify import blob_digests, parse_head, verify_log
from wargame.services.commands import ExerciseService

EX = "verify"


def chat(text: str) -> ChatPosted:
    return ChatPosted(message_id="m1", channel="coalition", sender="USA", text=text)


def started(store: EventStore) -> ExerciseService:
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return service


def append_chats(service: ExerciseService, count: int, text: str = "x" * 400) -> None:
    """`count` chat events sealed straight onto the log, in transactions of 200."""
    for start in range(0, count, 200):
        state = service.state(EX)
        with service.store.write(EX) as tx:
            pending = [
                PendingEvent(body=chat(text), audience=control_only(), actor="team:USA")
                for _ in range(min(200, count - start))
            ]
            tx.append(seal(EX, pending, state=state, at=datetime(2027, 3, 1, tzinfo=UTC)))


def test_a_clean_log_verifies_and_reports_its_head() -> None:
    store = MemoryEventStore()
    service = started(store)
    report = verify_log(store, EX, batch=3)
    head = service.state(EX)
    assert (report.problems, report.events, report.last_seq, report.last_hash) == (
        [], head.last_seq, head.last_seq, head.last_hash
    )
    assert report.head == f"{head.last_seq}:{head.last_hash}" and report.snapshots == 1
    assert verify_log(store, "nobody").as_json() == {
        "exercise_id": "nobody", "last_seq": 0, "last_hash": "", "head": "", "expected_head": None,
        "events": 0, "blobs": 0, "snapshots": 0, "problems": [], "notes": [],
    }


def test_a_log_cut_short_verifies_clean_alone_and_is_caught_against_its_anchored_head() -> None:
    store = MemoryEventStore()
    service = started(store)
    append_chats(service, 5)
    anchored = verify_log(store, EX)
    assert anchored.problems == []
    seq, digest = parse_head(anchored.head)
    assert verify_log(store, EX, expect_head=(seq, digest)).problems == []
    append_chats(service, 2)  # a log that grew since it was anchored still holds the anchor
    assert verify_log(store, EX, expect_head=(seq, digest)).problems == []

    del store._exercise(EX).events[seq - 3 :]  # a copy without its last events, self-consistent
    assert verify_log(store, EX).problems == []
    report = verify_log(store, EX, expect_head=(seq, digest))
    assert report.problems == [
        f"the log ends at seq {seq - 3}, before the anchored head {seq}: events were cut from its end"
    ]
    assert report.as_json()["expected_head"] == anchored.head


def test_a_rewritten_head_is_caught_against_its_anchored_hash() -> None:
    store = MemoryEventStore()
    started(store)
    seq, digest = parse_head(verify_log(store, EX).head)
    events = store._exercise(EX).events
    del events[seq - 1 :]  # the head event replaced by another, well sealed
    append_chats(ExerciseService(store, FakeAdjudicator()), 1, text="a different last word")
    report = verify_log(store, EX, expect_head=(seq, digest))
    assert report.problems == [
        f"event {seq} has hash {events[-1].hash}, not the anchored head's {digest}: the log was rewritten",
        f"snapshot at seq {seq} is not recorded in the log, so it is never loaded",  # the start's
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [("12", "write SEQ:HASH"), ("x:" + "a" * 64, "write SEQ:HASH"), ("0:" + "a" * 64, "write SEQ:HASH"),
     ("3:" + "A" * 64, "64 lowercase hex"), ("3:abc", "64 lowercase hex")],
)
def test_an_expected_head_must_be_seq_colon_hash(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_head(text)
    assert parse_head(" 3:" + "a" * 64 + "\n") == (3, "a" * 64)


def test_blobs_an_event_refers_to_must_exist_and_match_their_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(verify.BLOB_FIELDS, "chat_posted", ("text",))
    store = MemoryEventStore()
    started(store)
    with store.write(EX) as tx:
        kept = tx.put_blob(b"catalog bytes")
    missing = "ab" * 32
    assert blob_digests(chat(kept)) == (kept,) and blob_digests(chat("")) == ()
    with store.write(EX) as tx:
        state = fold(tx.events_after(0))
        bodies = [chat(kept), chat(missing), chat(kept)]
        pending = [PendingEvent(body=b, audience=control_only(), actor="team:USA") for b in bodies]
        tx.append(seal(EX, pending, state=state, at=datetime(2027, 3, 1, tzinfo=UTC)))
    last = store.read_last_seq(EX)
    report = verify_log(store, EX)
    assert report.problems == [f"seq {last - 1}: blob {missing} is missing"] and report.blobs == 2
    store._exercise(EX).blobs[kept] = b"catalog bytes, edited"
    assert verify_log(store, EX).problems == [
        f"seq {last - 2}: blob {kept} does not match its digest",
        f"seq {last - 1}: blob {missing} is missing",
    ]


def peak_bytes_of_verify(store: EventStore) -> int:
    tracemalloc.start()
    try:
        report = verify_log(store, EX, batch=100)
        assert report.problems == []
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db(transaction=True)
def test_verify_memory_does_not_grow_with_the_log() -> None:
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    service = started(store)
    append_chats(service, 300)
    peak_short = peak_bytes_of_verify(store)
    append_chats(service, 900)  # four times the log
    peak_long = peak_bytes_of_verify(store)
    assert store.read_last_seq(EX) > 1200
    assert peak_long < 1.3 * peak_short, (peak_short, peak_long)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_database_rows_keep_the_hashed_text_and_damage_is_reported_row_by_row() -> None:
    from wargame.eventlog.chain import text_hash
    from wargame.server.models import EventRecord, Exercise
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    append_chats(started(store), 6, text="ünïcode and -0.0")
    rows = list(EventRecord.objects.filter(exercise_id=EX).order_by("seq"))
    assert all(r.body is None and r.data and text_hash(r.data) == r.hash for r in rows)
    assert [e.stored_text for e in store.iter_after(EX, 0)] == [r.data for r in rows]
    assert {e.stored_text for e in store.read_after(EX, 0)} == {None}
    assert verify_chain(store.read_after(EX, 0)) == []  # by the recipe over the parsed fields
    assert verify_log(store, EX, batch=4).problems == []

    broken, moved, last = rows[-5], rows[-3], rows[-1]
    EventRecord.objects.filter(pk=broken.pk).update(data=broken.data[:-10])
    EventRecord.objects.filter(pk=moved.pk).update(prev_hash="0" * 64)
    report = verify_log(store, EX, batch=4)
    assert report.problems[0].startswith(f"seq {broken.seq}: stored event does not parse")
    assert report.problems[1:] == [
        f"seq {moved.seq}: prev_hash does not match the previous event",
        f"seq {moved.seq}: content does not match its hash",
    ]
    assert report.last_seq == last.seq

    EventRecord.objects.filter(pk=last.pk).delete()
    assert Exercise.objects.get(id=EX).last_seq == last.seq
    assert verify_log(store, EX).problems[-1] == (
        f"the log ends at seq {last.seq - 1}, the exercise at seq {last.seq}"
    )


def test_the_background_catalog_blob_is_checked_and_the_aar_streams_with_it() -> None:
    from wargame.aar import build_report
    from wargame.eventlog.replay import catalog_reader
    from wargame.scenario.synthetic import generate_catalog

    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    objects = list(generate_catalog(50, 7, datetime(2027, 3, 1, tzinfo=UTC), "bg"))
    service.create(EX, make_created(), objects)
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    created = store.read_after(EX, 0)[0].body
    digest = created.catalog.digest  # type: ignore[union-attr]
    assert blob_digests(created) == (digest,)
    report = verify_log(store, EX)
    assert (report.problems, report.blobs) == ([], 1)

    streamed = build_report(store.iter_after(EX, 0), "facilitator", catalogs=catalog_reader(store))
    assert streamed == build_report(store.read_after(EX, 0)[::-1], "facilitator", catalogs=service.catalog)
    assert streamed["exercise"]["chain_ok"] is True

    store._exercise(EX).blobs[digest] = b"another catalog"
    assert verify_log(store, EX).problems == [f"seq 1: blob {digest} does not match its digest"]


def test_the_blobs_a_picture_is_rendered_from_are_checked() -> None:
    from wargame.domain.events import ExerciseCreated, PictureUpdated
    from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
    from wargame.services.adjudicators import InlineAdjudicator

    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    created = ExerciseCreated(
        title="t", scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)), seed=1
    )
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    service.create(EX, created, background)
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    pictures = [e for e in store.read_after(EX, 0) if isinstance(e.body, PictureUpdated)]
    refs = {d for e in pictures for d in blob_digests(e.body)}
    assert pictures and len(refs) >= 2
    report = verify_log(store, EX)
    assert report.problems == [] and report.blobs == len(refs) + (1 if background else 0)

    first = pictures[0]
    custody = first.body.picture.pictures.custody  # type: ignore[union-attr]
    for exercise in store._exercises.values():
        exercise.blobs.pop(custody, None)
    assert verify_log(store, EX).problems == [f"seq {first.seq}: blob {custody} is missing"]
