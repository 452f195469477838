"""Each seat's stream is numbered 1, 2, 3... by what it may see; the store indexes it."""

from __future__ import annotations

import pytest

from tests.factories import FakeAdjudicator, make_created, run_command, share
from wargame.domain.streams import visible
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService


def _played(store: MemoryEventStore | None = None) -> tuple[ExerciseService, MemoryEventStore]:
    store = store or MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create("s", make_created())
    for viewer, command in (
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "team", "text": "ours"}),
        ("team:GBR", {"type": "post_chat", "channel": "team", "text": "theirs"}),
        ("team:USA", share("GBR")),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ):
        assert run_command(service, "s", viewer, command)["status"] == "accepted"
    return service, store


def test_positions_are_contiguous_per_stream_and_tell_nothing_of_others() -> None:
    service, store = _played()
    log = store.read_after("s", 0)
    state = service.state("s")
    for viewer in ("team:USA", "team:GBR", "team:JPN", "observer"):
        mine = [e.seq for e in log if visible(viewer, e.body.type, e.audience)]
        index = store.stream_seqs("s", viewer, 0, 10_000)
        assert index == list(enumerate(mine, start=1)), viewer
        assert state.stream_heads[viewer] == len(mine)
        assert store.stream_seqs("s", viewer, 2, 1) == index[2:3]
    # GBR's team chat moved GBR's stream, not USA's.
    usa = dict(store.stream_seqs("s", "team:USA", 0, 100))
    assert all(store.read_after("s", seq - 1, 1)[0].body.type != "chat_posted"
               or store.read_after("s", seq - 1, 1)[0].body.channel != "team:GBR" for seq in usa.values())


def test_heads_are_part_of_the_fold() -> None:
    service, store = _played()
    assert fold(store.read_after("s", 0)) == service.state("s")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_database_store_indexes_streams_as_the_memory_store_does() -> None:
    from wargame.server.models import Exercise
    from wargame.server.store import DjangoEventStore

    Exercise.objects.create(id="s")
    store = DjangoEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create("s", make_created())
    memory_service, memory = _played()
    for viewer, command in (
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "team", "text": "ours"}),
        ("team:GBR", {"type": "post_chat", "channel": "team", "text": "theirs"}),
        ("team:USA", share("GBR")),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ):
        assert run_command(service, "s", viewer, command)["status"] == "accepted"
    for viewer in ("team:USA", "team:GBR", "observer"):
        assert store.stream_seqs("s", viewer, 0, 1000) == memory.stream_seqs("s", viewer, 0, 1000)
    assert service.state("s").stream_heads == memory_service.state("s").stream_heads
