"""Over the websocket: revocation closes sockets, rate limit, isolation, presence, group renewal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer

from tests.conftest import LiveExercise
from tests.factories import make_created
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]


async def test_revoking_a_seat_closes_its_open_sockets(live_exercise: LiveExercise) -> None:
    from wargame.server.seats import revoke_seat

    usa, gbr = Client(live_exercise.tokens["team:USA"]), Client(live_exercise.tokens["team:GBR"])
    for client in (usa, gbr):
        await client.connect()
        await client.recv()
    assert await database_sync_to_async(revoke_seat)(live_exercise.tokens["team:USA"])
    error = await usa.recv()
    assert error["type"] == "error" and error["code"] == "unauthorized"
    assert await usa.comm.receive_output(2) == {"type": "websocket.close", "code": 4401}
    await gbr.send({"type": "ping"})
    assert (await gbr.recv())["type"] == "pong"
    await gbr.close()


async def test_a_flood_is_rate_limited_with_structured_errors(
    live_exercise: LiveExercise, settings: Any
) -> None:
    settings.WARGAME = {**settings.WARGAME, "RATE_PER_SECOND": 0.001, "RATE_BURST": 5}
    client = Client(live_exercise.tokens["team:USA"])
    await client.connect()  # the hello spends one token
    await client.recv()
    for _ in range(10):
        await client.send({"type": "ping"})
    replies = [await client.recv() for _ in range(10)]
    assert [r["type"] for r in replies[:4]] == ["pong"] * 4
    assert {r["code"] for r in replies[4:]} == {"rate_limited"}
    await client.close()


@pytest.fixture
def second_exercise(live_exercise: LiveExercise) -> LiveExercise:
    from wargame.server.models import Exercise
    from wargame.server.runtime import get_service
    from wargame.server.seats import issue_default_seats

    created = make_created()
    exercise = Exercise.objects.create(id="live2", title="other", scenario_id=created.scenario.id)
    get_service().create("live2", created)
    tokens = {}
    for issued in issue_default_seats(exercise, created.scenario):
        tokens[f"team:{issued.nation}" if issued.nation else issued.role.value] = issued.token
    return LiveExercise("live2", tokens)


async def test_exercises_are_isolated(live_exercise: LiveExercise, second_exercise: LiveExercise) -> None:
    white1 = Client(live_exercise.tokens["white_cell"])
    white2 = Client(second_exercise.tokens["white_cell"])
    usa2 = Client(second_exercise.tokens["team:USA"])
    for client in (white1, white2, usa2):
        await client.connect()
        await client.recv()
    assert (await white1.command({"type": "start_exercise"}))["type"] == "ack"
    await white2.drain()
    await usa2.drain()
    assert white2.events == [] and usa2.events == []
    assert white1.events and all(e["seq"] > 1 for e in white1.events)
    for client in (white1, white2, usa2):
        await client.close()


async def test_presence_shows_the_seats_heard_from(live_exercise: LiveExercise) -> None:
    white = Client(live_exercise.tokens["white_cell"])
    await white.connect()
    await white.recv()
    usa = Client(live_exercise.tokens["team:USA"])
    await usa.connect()
    await usa.recv()
    await white.drain()
    await usa.drain()
    assert white.presence == ["team:USA", "white_cell"]
    assert usa.presence == ["team:USA", "white_cell"]
    for client in (white, usa):
        await client.close()


@pytest.mark.django_db(transaction=True)
async def test_the_hub_renews_its_group_membership(settings: Any) -> None:
    from wargame.server.bus import LayerHub

    settings.WARGAME = {**settings.WARGAME, "GROUP_RENEW_SECONDS": 0.2, "POLL_SECONDS": 60}
    layer = InMemoryChannelLayer(group_expiry=1)
    hub = LayerHub("nobody", layer)
    await hub.start()
    try:
        await asyncio.sleep(2.5)  # more than the group expiry
        beat = {"type": "presence.beat", "server": "x", "viewers": ["observer"]}
        await layer.group_send(hub.group, beat)
        for _ in range(50):
            if "observer" in hub.presence.online():
                break
            await asyncio.sleep(0.05)
        assert "observer" in hub.presence.online() and hub.renewals > 5
    finally:
        await hub.stop()


def test_expired_membership_without_renewal_goes_deaf() -> None:
    """The failure the renewal prevents (so the test above can fail)."""

    async def scenario() -> list[Any]:
        layer = InMemoryChannelLayer(group_expiry=1)
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        await asyncio.sleep(2.5)
        await layer.group_send("g", {"type": "x"})
        try:
            return [await asyncio.wait_for(layer.receive(channel), 0.3)]
        except TimeoutError:
            return []

    assert asyncio.run(scenario()) == []
