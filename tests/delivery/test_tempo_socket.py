"""Over the websocket, as real seats: a move with a 3-second deadline warns every seat at its
marks and advances by itself (the embedded scheduler), and a late seat's snapshot has the clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LiveExercise, close_consumer_connections
from tests.factories import FakeAdjudicator, make_created
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]

TEMPO = {"move_deadline_minutes": 0.05, "warn_before_minutes": [0.04, 0.02], "on_deadline": "advance"}


@pytest.fixture
def timed_exercise(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The unit scenario with a 3-second move deadline, on the real store, with this process's
    tempo scheduler (embedded mode)."""
    from wargame.server.models import Exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.seats import issue_default_seats
    from wargame.server.store import DjangoEventStore
    from wargame.server.tempo_schedule import embedded, published
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), FakeAdjudicator(), notify_news)
    service.on_published = published
    set_service(service)
    created = make_created(tempo=TEMPO, moves=2)
    exercise = Exercise.objects.create(id="timed", title=created.title, scenario_id=created.scenario.id)
    service.create("timed", created)
    tokens = {}
    for issued in issue_default_seats(exercise, created.scenario):
        tokens[f"team:{issued.nation}" if issued.nation else issued.role.value] = issued.token
    yield LiveExercise("timed", tokens)
    service.on_published = None
    embedded().at("timed", None)
    set_service(None)
    close_consumer_connections()


def advanced(events: list[dict[str, Any]], move: int) -> bool:
    return any(e["type"] == "move_advanced" and e["body"]["move"] == move for e in events)


async def until_advanced(client: Client, move: int) -> list[dict[str, Any]]:
    """The events a seat has received once move `move` opens (at most 20 s of real time)."""
    async with asyncio.timeout(20):
        while not advanced(client.events, move):
            await client.recv(timeout=20)
    return client.events


async def test_a_deadline_warns_every_seat_and_advances_the_move_by_itself(
    timed_exercise: LiveExercise,
) -> None:
    seats = ["white_cell", "team:USA", "team:GBR"]
    clients = {viewer: Client(timed_exercise.tokens[viewer]) for viewer in seats}
    for client in clients.values():
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
    assert (await clients["white_cell"].command({"type": "start_exercise"}))["type"] == "ack"
    for viewer, client in clients.items():
        seen = await until_advanced(client, 2)
        kinds = [e["type"] for e in seen]
        clock = next(e for e in seen if e["type"] == "move_clock_set")
        assert (clock["body"]["move"], clock["body"]["deadline_s"], clock["body"]["change"]) == (
            1,
            3.0,
            "opened",
        )
        warnings = [e["body"]["mark_minutes"] for e in seen if e["type"] == "deadline_warning"]
        assert warnings == [0.04, 0.02], viewer
        passed = [
            (e["body"]["move"], e["body"]["on_deadline"]) for e in seen if e["type"] == "deadline_passed"
        ]
        assert passed[:1] == [(1, "advance")], viewer
        after = kinds[kinds.index("deadline_passed") :]  # the start's own move_closing comes first
        assert after.index("move_closing") < after.index("move_advanced")
        assert client.view is not None and client.view["phase"] == "setup"  # its snapshot, before the start
        assert "clock" not in client.view
    late = Client(timed_exercise.tokens["observer"])
    await late.connect()
    snapshot = await late.recv()
    assert snapshot["view"]["move"] == 2
    if snapshot["view"]["phase"] == "running":
        assert snapshot["view"]["clock"]["move"] == snapshot["view"]["move"]
        assert snapshot["view"]["clock"]["deadline_s"] == 3.0
    for client in (*clients.values(), late):
        await client.close()
