"""Snapshots are derived data: compressed, checked against the chain, ignored and rebuilt if wrong."""

from __future__ import annotations

import dataclasses
import json
import logging
import zlib
from collections.abc import Callable, Iterator

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command, share
from wargame.eventlog.replay import fold, state_from_snapshot
from wargame.eventlog.snapshots import BadSnapshot, Snapshot, StoredSnapshot
from wargame.eventlog.store import READ_BATCH, EventStore, MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "snap"


class CountingStore(MemoryEventStore):
    """Records where each streaming read starts, to see which snapshot a load used."""

    def __init__(self) -> None:
        super().__init__()
        self.reads_after: list[int] = []

    def iter_after(self, exercise_id: str, after_seq: int, batch: int = READ_BATCH) -> Iterator:  # type: ignore[type-arg]
        self.reads_after.append(after_seq)
        return super().iter_after(exercise_id, after_seq, batch)


def play(store: EventStore) -> ExerciseService:
    """Create, start and play two moves: snapshots at creation, the start and each advance."""
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    script = [
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "coalition", "text": "in position"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
        ("team:GBR", share("USA")),
        ("white_cell", {"type": "advance_move", "from_move": 2}),
    ]
    for viewer, data in script:
        assert run_command(service, EX, viewer, data)["status"] == "accepted"
    return service


def fresh_fold_json(store: EventStore) -> str:
    state = fold(store.read_after(EX, 0))
    assert state is not None
    return state.model_dump_json()


def snapshot_seqs(store: EventStore) -> list[int]:
    seqs: list[int] = []
    below = None
    while (stored := store.read_latest_snapshot(EX, below)) is not None:
        seqs.append(stored.seq)
        below = stored.seq
    return seqs


def newest(store: EventStore) -> StoredSnapshot:
    stored = store.read_latest_snapshot(EX)
    assert stored is not None
    return stored


def test_a_snapshot_is_compressed_checked_and_leaves_the_setup_out() -> None:
    store = MemoryEventStore()
    service = play(store)
    head = service.state(EX)
    stored = newest(store)
    snapshot = stored.content
    assert isinstance(snapshot, Snapshot)
    at_head = (head.last_seq, head.last_hash)
    assert (stored.seq, stored.log_hash) == at_head == (snapshot.seq, snapshot.head_hash)
    text = zlib.decompress(snapshot.data)
    assert len(snapshot.data) * 3 < len(text)
    assert not {"scenario", "ruleset"} & set(json.loads(text))
    assert state_from_snapshot(snapshot, head.scenario, head.ruleset) == head
    with pytest.raises(BadSnapshot, match="no scenario"):
        state_from_snapshot(snapshot)


def test_a_cold_service_loads_the_newest_snapshot_and_only_the_events_after_it() -> None:
    store = CountingStore()
    play(store)
    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    assert cold.state(EX).model_dump_json() == fresh_fold_json(store)
    assert store.reads_after == [0, newest(store).seq]  # event 1 for the setup, then the tail


Damage = Callable[[MemoryEventStore, StoredSnapshot], None]


def edited(store: MemoryEventStore, stored: StoredSnapshot) -> None:
    assert isinstance(stored.content, Snapshot)
    data = bytearray(stored.content.data)
    data[len(data) // 2] ^= 0x01
    store.put_snapshot(EX, stored.seq, dataclasses.replace(stored.content, data=bytes(data)))


def truncated(store: MemoryEventStore, stored: StoredSnapshot) -> None:
    assert isinstance(stored.content, Snapshot)
    store.put_snapshot(EX, stored.seq, dataclasses.replace(stored.content, data=stored.content.data[:-40]))


def moved(store: MemoryEventStore, stored: StoredSnapshot) -> None:
    """The newest snapshot's row now claims a later seq: its head hash names another event."""
    store.put_snapshot(EX, stored.seq + 2, stored.content)


@pytest.mark.parametrize("damage", [edited, truncated, moved])
def test_a_damaged_snapshot_is_ignored_the_state_rebuilt_and_a_fresh_one_saved(
    damage: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    store = CountingStore()
    service = play(store)
    for text in ("a", "b"):
        chat = {"type": "post_chat", "channel": "coalition", "text": text}
        assert run_command(service, EX, "team:USA", chat)["status"] == "accepted"
    good = snapshot_seqs(store)
    damage(store, newest(store))
    bad_seq = newest(store).seq

    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    with caplog.at_level(logging.WARNING, logger="wargame.eventlog.replay"):
        assert cold.state(EX).model_dump_json() == fresh_fold_json(store)
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert f"snapshot at seq {bad_seq} ignored" in caplog.records[0].getMessage()
    earlier = good[0] if damage is moved else good[1]
    assert store.reads_after[-1] == earlier  # rebuilt from the next good snapshot, not from seq 0

    result = run_command(cold, EX, "team:GBR", {"type": "post_chat", "channel": "coalition", "text": "c"})
    assert result["status"] == "accepted"
    saved = store.read_latest_snapshot(EX, result["seq"])
    assert saved is not None and saved.seq == result["seq"] - 1  # saved at the next write
    again = ExerciseService(store, FakeAdjudicator())
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="wargame.eventlog.replay"):
        assert again.state(EX).model_dump_json() == fresh_fold_json(store)
    assert caplog.records == []


def test_with_every_snapshot_damaged_the_state_comes_from_the_log() -> None:
    store = CountingStore()
    play(store)
    for seq in snapshot_seqs(store):
        stored = store.read_latest_snapshot(EX, seq + 1)
        assert stored is not None
        truncated(store, stored)
    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    assert cold.state(EX).model_dump_json() == fresh_fold_json(store)
    assert store.reads_after[-1] == 0


def test_a_snapshot_saved_by_the_previous_release_still_loads_unless_it_is_off_the_chain() -> None:
    store = CountingStore()
    service = play(store)
    head = service.state(EX)
    embedded = head.model_dump(mode="json")  # how the previous release saved it: scenario included
    store.put_snapshot(EX, head.last_seq, embedded)
    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    assert cold.state(EX) == head
    assert store.reads_after == [head.last_seq]  # no need to read event 1

    store.put_snapshot(EX, head.last_seq, {**embedded, "last_hash": "f" * 64})
    colder = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    assert colder.state(EX).model_dump_json() == fresh_fold_json(store)
    assert store.reads_after[-1] < head.last_seq
