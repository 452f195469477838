"""Replay: a seat's view at any seq is the snapshot it would have been sent, built from the
nearest stored snapshot, and only changes at events of its own stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from tests.domain.test_background import background
from tests.factories import make_created, run_command, share
from tests.protocol.test_view_fixtures import EXERCISE, play
from wargame.domain.events import EventEnvelope
from wargame.eventlog.replay import fold
from wargame.eventlog.replay_view import (
    SeqOutOfRange,
    UnknownExercise,
    UnknownViewer,
    seat_view_at,
    seat_view_in_store,
    seat_viewers,
    state_at,
)
from wargame.eventlog.snapshots import Snapshot
from wargame.eventlog.store import READ_BATCH, MemoryEventStore
from wargame.protocol.seat_snapshot import snapshot_text, snapshot_view
from wargame.protocol.views_state import control_view
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EX = "rv"


class CountingStore(MemoryEventStore):
    """Records where each streaming read starts and how many events it yielded."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[int, list[int]]] = []

    def iter_after(
        self, exercise_id: str, after_seq: int, batch: int = READ_BATCH
    ) -> Iterator[EventEnvelope]:
        seen: list[int] = []
        self.reads.append((after_seq, seen))
        for event in super().iter_after(exercise_id, after_seq, batch):
            seen.append(event.seq)
            yield event


@cache
def background_game() -> tuple[CountingStore, ExerciseService]:
    """The unit scenario with a background catalog and the real core: three moves of sharing,
    chat and releases (snapshots at creation, the start and each advance)."""
    store = CountingStore()
    service = ExerciseService(store, InlineAdjudicator())
    service.create(EX, make_created(), background(120))
    script = [
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", share("GBR")),
        ("team:GBR", {"type": "post_chat", "channel": "coalition", "text": "GBR has the inspector"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
        ("team:JPN", {"type": "post_chat", "channel": "team", "text": "JPN only"}),
        ("team:GBR", share("USA", level="degraded")),
        ("white_cell", {"type": "advance_move", "from_move": 2}),
    ]
    for viewer, data in script:
        assert run_command(service, EX, viewer, data)["status"] == "accepted", data
    return store, service


@cache
def tutorial_game() -> tuple[MemoryEventStore, ExerciseService, list[EventEnvelope]]:
    service = play()
    assert isinstance(service.store, MemoryEventStore)
    return service.store, service, list(service.store.iter_after(EXERCISE, 0))


def as_sent(view: dict[str, Any]) -> dict[str, Any]:
    """The view as a seat parses it from its snapshot frames."""
    parsed: dict[str, Any] = json.loads(snapshot_text(view))
    return parsed


def snapshot_seqs(store: MemoryEventStore, exercise_id: str) -> list[int]:
    seqs, below = [], None
    while (stored := store.read_latest_snapshot(exercise_id, below)) is not None:
        seqs.append(stored.seq)
        below = stored.seq
    return sorted(seqs)


def test_from_the_nearest_snapshot_every_seat_at_every_seq_is_the_view_folded_from_the_start() -> None:
    store, service = background_game()
    events = list(store.iter_after(EX, 0))
    viewers = seat_viewers(events[0].body.scenario)
    control = ["white_cell", "facilitator", "evaluator"]
    assert viewers == [*control, "observer", "team:USA", "team:GBR", "team:JPN"]
    state = None
    for event in events:
        state = fold([event], state, service.catalog)
        assert state is not None
        for viewer in viewers:
            expected = snapshot_view(viewer, state)
            assert seat_view_in_store(store, EX, viewer, event.seq, service.catalog) == expected
            if event.seq % 5 == 0:
                assert seat_view_at(events, viewer, event.seq, service.catalog) == expected
    assert len(state.background) == 120 and state.move == 3  # the catalog was attached to each snapshot


def test_a_replay_reads_from_the_nearest_snapshot_and_stops_at_its_seq() -> None:
    store, service = background_game()
    snapshots = snapshot_seqs(store, EX)
    assert len(snapshots) == 3  # started, two advances (none at creation: the log is the setup)
    last = store.read_last_seq(EX)
    for at in (snapshots[1], snapshots[1] + 3, snapshots[2] - 1, last):
        store.reads.clear()
        state = state_at(store, EX, at, service.catalog)
        base = max(s for s in snapshots if s <= at)
        assert state.last_seq == at
        anchors = {(0, (1,)), *((s - 1, (s,)) for s in snapshots)}  # exercise_created, snapshots' events
        folded = [(after, seen) for after, seen in store.reads if (after, tuple(seen)) not in anchors]
        assert [after for after, _ in folded] == [base]
        assert folded[0][1] == list(range(base + 1, min(at + 1, last) + 1))  # one event past `at` at most


def test_a_damaged_snapshot_is_passed_over_for_an_earlier_one() -> None:
    store, service = background_game()
    snapshots = snapshot_seqs(store, EX)
    at = snapshots[1] + 2
    expected = seat_view_in_store(store, EX, "team:USA", at, service.catalog)
    stored = store.read_latest_snapshot(EX, snapshots[1] + 1)
    assert stored is not None and isinstance(stored.content, Snapshot)
    content = stored.content
    damaged = Snapshot(stored.seq, content.head_hash, content.digest, b"x" + content.data)
    store.put_snapshot(EX, stored.seq, damaged)
    try:
        store.reads.clear()
        assert seat_view_in_store(store, EX, "team:USA", at, service.catalog) == expected
        assert snapshots[0] in [after for after, _ in store.reads]
    finally:
        store.put_snapshot(EX, stored.seq, content)


def test_a_seat_view_changes_only_at_an_event_of_its_own_stream() -> None:
    """Between two positions of a seat's stream its replayed view is the same: nothing it was
    not sent shows in what it would be sent on joining (else joining and following would
    differ, and a control-only fact would leak)."""
    _store, service, events = tutorial_game()
    viewers = seat_viewers(events[0].body.scenario)
    previous: dict[str, dict[str, Any]] = {}
    moved = dict.fromkeys(viewers, 0)
    state = None
    for event in events:
        state = fold([event], state, service.catalog)
        assert state is not None
        for viewer in viewers:
            view = snapshot_view(viewer, state)
            before = previous.get(viewer)
            if before is not None and before["pos"] == view["pos"]:
                assert view == before, f"{viewer}'s view changed at seq {event.seq} ({event.body.type})"
            elif before is not None:
                assert view["pos"] == before["pos"] + 1
                moved[viewer] += 1
            previous[viewer] = view
    assert moved["white_cell"] == len(events) - 1
    assert 0 < moved["observer"] < moved["team:JPN"] < moved["white_cell"]


def test_a_view_built_without_the_projection_is_not_what_a_team_was_sent() -> None:
    """The mutation check: ground truth relabelled as a team's view differs from its replay."""
    store, service, events = tutorial_game()
    last = events[-1].seq
    state = state_at(store, EXERCISE, last, service.catalog)
    for viewer in ("team:USA", "team:JPN"):
        replayed = seat_view_in_store(store, EXERCISE, viewer, last, service.catalog)
        unprojected = control_view(state, viewer, replayed["pos"]).model_dump(mode="json")
        assert unprojected != replayed
        assert "msel" in unprojected and "msel" not in replayed


def test_unknown_exercises_seats_and_seqs_are_refused_by_name() -> None:
    store, service = background_game()
    last = store.read_last_seq(EX)
    with pytest.raises(UnknownExercise, match="no exercise 'nope'"):
        seat_view_in_store(store, "nope", "white_cell", 1)
    seats = r"no seat 'team:RED'.*seats are white_cell, facilitator, evaluator, observer, team:USA"
    with pytest.raises(UnknownViewer, match=seats):
        seat_view_in_store(store, EX, "team:RED", 2, service.catalog)
    for at in (0, -3, last + 1):
        with pytest.raises(SeqOutOfRange, match=f"outside the log of {EX} \\(seqs 1 to {last}\\)"):
            seat_view_in_store(store, EX, "white_cell", at, service.catalog)
    events = list(store.iter_after(EX, 0))
    with pytest.raises(SeqOutOfRange, match=f"past the end of the log \\(its last seq is {last}\\)"):
        seat_view_at(events, "white_cell", last + 1, service.catalog)
    with pytest.raises(UnknownViewer):
        seat_view_at(events, "referee", 3, service.catalog)
