"""The log is the truth: replay equals the live state, snapshots are faithful, the chain detects tampering."""

from __future__ import annotations

from typing import Any

from tests.factories import FakeAdjudicator, command, make_created, seat, share
from wargame.domain.events import ChatPosted
from wargame.eventlog.chain import verify_chain
from wargame.eventlog.replay import fold, state_from_snapshot, state_to_snapshot
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "replay"

SCRIPT: list[tuple[str, dict[str, Any]]] = [
    ("team:USA", share("GBR")),
    ("white_cell", {"type": "start_exercise"}),
    ("team:GBR", share("USA", "degraded")),
    ("white_cell", {"type": "release_inject", "inject_id": "INJ-1"}),
    (
        "team:USA",
        {
            "type": "submit_order",
            "order": {"kind": "anti_jam", "asset_id": "usa-sat", "enabled": True},
            "reason": "jamming reported",
        },
    ),
    (
        "team:USA",
        {
            "type": "submit_order",
            "order": {
                "kind": "tasking_request",
                "partner": "JPN",
                "sensor_id": "bisei",
                "object_id": "red-insp",
            },
        },
    ),
    ("team:JPN", {"type": "post_chat", "channel": "coalition", "text": "we see it"}),
    ("team:USA", {"type": "draft_statement", "text": "We condemn the jamming.", "cosigners": ["GBR", "JPN"]}),
    ("team:GBR", {"type": "send_request", "kind": "rfi", "text": "Who is jamming?"}),
    ("team:JPN", {"type": "send_request", "kind": "assistance", "to": "USA", "text": "Track red-insp"}),
    ("white_cell", {"type": "pause_exercise", "reason": "hot wash"}),
    ("white_cell", {"type": "resume_exercise"}),
    ("white_cell", {"type": "advance_move", "from_move": 1}),
    (
        "facilitator",
        {"type": "record_observation", "objective_id": "OBJ-1", "rating": "S", "text": "ok"},
    ),
    (
        "white_cell",
        {"type": "adhoc_inject", "inject_type": "message", "title": "News", "text": "Press",
         "releasability": "PUBLIC"},
    ),
    ("white_cell", {"type": "advance_move", "from_move": 2}),
]


def play() -> tuple[ExerciseService, MemoryEventStore]:
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    for i, (viewer, data) in enumerate(SCRIPT):
        result = service.handle(EX, seat(viewer), f"cmd-{i}", command(data))
        assert result["status"] == "accepted", (data, result)
    return service, store


def test_replaying_the_log_gives_the_identical_state() -> None:
    service, store = play()
    replayed = fold(store.read_after(EX, 0))
    assert replayed is not None
    assert replayed.model_dump_json() == service.state(EX).model_dump_json()


def test_every_command_verifies_against_a_fresh_load() -> None:
    """verify_command: old state + the command's events == the state loaded fresh from the log."""
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    for i, (viewer, data) in enumerate(SCRIPT):
        before = service.state(EX)
        result = service.handle(EX, seat(viewer), f"cmd-{i}", command(data))
        emitted = store.read_after(EX, before.last_seq)
        assert [e.seq for e in emitted] == result["seqs"]
        fresh = fold(store.read_after(EX, 0))
        assert fresh is not None
        assert fold(emitted, before).model_dump_json() == fresh.model_dump_json()  # type: ignore[union-attr]


def test_snapshot_plus_tail_equals_full_replay() -> None:
    _, store = play()
    events = store.read_after(EX, 0)
    middle = len(events) // 2
    head = fold(events[:middle])
    assert head is not None
    restored = state_from_snapshot(state_to_snapshot(head), head.scenario, head.ruleset)
    assert restored == head
    tail = fold(events[middle:], restored)
    assert tail == fold(events)


def test_a_service_without_cache_loads_from_snapshots() -> None:
    service, store = play()
    cold = ExerciseService(store, FakeAdjudicator())
    assert cold.state(EX).model_dump_json() == service.state(EX).model_dump_json()


def test_sequence_has_no_gaps_and_the_chain_is_intact() -> None:
    _, store = play()
    events = store.read_after(EX, 0)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert verify_chain(events) == []


def test_tampering_is_detected() -> None:
    _, store = play()
    events = store.read_after(EX, 0)
    chat_index = next(i for i, e in enumerate(events) if isinstance(e.body, ChatPosted))
    forged = events[chat_index].model_copy(
        update={"body": events[chat_index].body.model_copy(update={"text": "forged"})}
    )
    problems = verify_chain([*events[:chat_index], forged, *events[chat_index + 1 :]])
    assert problems == [f"seq {forged.seq}: content does not match its hash"]
    dropped = verify_chain([*events[:chat_index], *events[chat_index + 1 :]])
    assert any("expected" in p for p in dropped)


def test_every_event_is_utc_and_numbered_with_its_move() -> None:
    _, store = play()
    events = store.read_after(EX, 0)
    assert all(
        e.at.utcoffset() is not None and e.at.utcoffset().total_seconds() == 0 for e in events
    )  # type: ignore[union-attr]
    advanced = [e for e in events if e.body.type == "move_advanced"]
    assert [e.move for e in advanced] == [2, 3]
