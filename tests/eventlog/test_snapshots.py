"""Snapshots are derived data under the chain: compressed, their digest recorded in the log, ignored
and rebuilt if the log does not vouch for them."""

from __future__ import annotations

import dataclasses
import json
import logging
import zlib
from collections.abc import Callable, Iterator

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command, share
from wargame.eventlog.replay import fold, state_from_snapshot
from wargame.eventlog.snapshots import BadSnapshot, Snapshot, StoredSnapshot, encode_snapshot
from wargame.eventlog.store import READ_BATCH, EventStore, MemoryEventStore
from wargame.eventlog.verify import verify_log
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
    """Create, start and play two moves: snapshots at the start and each advance."""
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
    (event,) = store.read_after(EX, stored.seq - 1, limit=1)
    assert event.snapshot_digest == snapshot.digest  # the log vouches for it
    text = zlib.decompress(snapshot.data)
    assert len(snapshot.data) * 3 < len(text)
    assert not {"scenario", "ruleset", "last_hash"} & set(json.loads(text))
    assert json.loads(text)["created_hash"] == store.read_after(EX, 0, limit=1)[0].hash
    assert state_from_snapshot(snapshot, head.scenario, head.ruleset) == head
    with pytest.raises(BadSnapshot, match="no scenario"):
        state_from_snapshot(snapshot)


def test_a_cold_service_loads_the_newest_snapshot_and_only_the_events_after_it() -> None:
    store = CountingStore()
    play(store)
    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    assert cold.state(EX).model_dump_json() == fresh_fold_json(store)
    seq = newest(store).seq  # the event that records it, event 1 for the setup, then the tail
    assert store.reads_after == [seq - 1, 0, seq]


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
def test_a_damaged_snapshot_is_ignored_the_state_rebuilt_and_a_fresh_one_recorded(
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
    # the log records a snapshot there and this is not it: an error; a row it never recorded: a warning
    assert [r.levelno for r in caplog.records] == [logging.WARNING if damage is moved else logging.ERROR]
    assert f"snapshot at seq {bad_seq} ignored" in caplog.records[0].getMessage()
    earlier = good[0] if damage is moved else good[1]
    assert store.reads_after[-1] == earlier  # rebuilt from the next good snapshot, not from seq 0

    result = run_command(cold, EX, "team:GBR", {"type": "post_chat", "channel": "coalition", "text": "c"})
    assert result["status"] == "accepted"
    saved = store.read_latest_snapshot(EX)
    assert saved is not None and saved.seq == result["seq"]  # recorded by the next event sealed
    assert store.read_after(EX, saved.seq - 1)[0].snapshot_digest == saved.content.digest  # type: ignore[union-attr]
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


def test_a_snapshot_the_log_does_not_record_is_not_used_not_even_one_of_the_previous_release(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = CountingStore()
    service = play(store)
    head = service.state(EX)
    good = snapshot_seqs(store)
    embedded = head.model_dump(mode="json")  # how the previous release saved it: scenario included
    embedded["escalation_level"] = 5  # and what an edit of it could have changed
    store.put_snapshot(EX, head.last_seq, embedded)
    cold = ExerciseService(store, FakeAdjudicator())
    store.reads_after.clear()
    with caplog.at_level(logging.WARNING, logger="wargame.eventlog.replay"):
        assert cold.state(EX) == head and head.escalation_level == 0
    assert "the log does not record a snapshot" in caplog.records[0].getMessage()
    assert store.reads_after[-1] == good[1]  # from the newest one the log records


def forged(store: MemoryEventStore, stored: StoredSnapshot, **changes: object) -> StoredSnapshot:
    """The snapshot decoded, edited and encoded again, its row made consistent (digest, head)."""
    assert isinstance(stored.content, Snapshot)
    head = store.read_after(EX, 0)[-1]
    assert head.seq == stored.seq
    state = state_from_snapshot(stored.content, *_setup(store))
    edited = encode_snapshot(state.model_copy(update=changes))
    snapshot = dataclasses.replace(edited, head_hash=stored.content.head_hash)
    store.put_snapshot(EX, stored.seq, snapshot)
    return StoredSnapshot(seq=stored.seq, content=snapshot, log_hash=stored.log_hash)


def _setup(store: EventStore) -> tuple:  # type: ignore[type-arg]
    created = store.read_after(EX, 0, limit=1)[0].body
    return created.scenario, created.ruleset  # type: ignore[union-attr]


def test_an_edited_snapshot_with_a_consistent_row_fails_verify_and_never_reaches_the_state(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = CountingStore()
    service = play(store)
    head = service.state(EX)
    before = verify_log(store, EX)
    assert before.problems == [] and before.snapshots == len(snapshot_seqs(store))
    bad = forged(store, newest(store), escalation_level=4)
    assert isinstance(bad.content, Snapshot) and bad.content.digest != newest_digest_in_log(store)

    report = verify_log(store, EX)
    assert report.problems == [f"snapshot at seq {bad.seq}: its bytes are not those event {bad.seq} records"]
    cold = ExerciseService(store, FakeAdjudicator())
    with caplog.at_level(logging.ERROR, logger="wargame.eventlog.replay"):
        assert cold.state(EX) == head and cold.state(EX).escalation_level == 0
    assert "its bytes are not those event" in caplog.records[0].getMessage()


def newest_digest_in_log(store: EventStore) -> str:
    return next(e.snapshot_digest for e in reversed(store.read_after(EX, 0)) if e.snapshot_digest)


def test_a_snapshot_of_another_exercise_created_is_refused() -> None:
    """Event 1 (the scenario and ruleset a snapshot leaves out) is bound by the snapshot."""
    store = CountingStore()
    play(store)
    stored = newest(store)
    state = state_from_snapshot(stored.content, *_setup(store))  # type: ignore[arg-type]
    assert state.created_hash == store.read_after(EX, 0, limit=1)[0].hash
    from wargame.eventlog.trust import anchored_state

    (anchor,) = store.read_after(EX, stored.seq - 1, limit=1)
    other = play(MemoryEventStore()).store.read_after(EX, 0, limit=1)[0]  # same id, another salt
    with pytest.raises(BadSnapshot, match="another exercise_created") as caught:
        anchored_state(stored, EX, anchor, other)
    assert caught.value.tampered
