"""The websocket consumer: handshake auth, resume, commands, errors and gap-free delivery."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LiveExercise
from tests.factories import share
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]


async def test_bad_token_is_refused_with_4401(live_exercise: LiveExercise) -> None:
    client = Client("not-a-token")
    connected, _ = await client.comm.connect()
    assert connected
    error = json.loads(await client.comm.receive_from())
    assert error == {
        "type": "error",
        "code": "unauthorized",
        "message": "unknown or revoked seat token",
        "details": [],
    }
    closed = await client.comm.receive_output()
    assert closed == {"type": "websocket.close", "code": 4401}


@pytest.mark.parametrize("origin", [(b"origin", b"http://evil.example"), None])
async def test_a_foreign_or_missing_origin_is_told_why_and_closed(
    live_exercise: LiveExercise, origin: tuple[bytes, bytes] | None
) -> None:
    client = Client(live_exercise.tokens["team:USA"], origin=origin)
    connected, _ = await client.comm.connect()
    assert connected  # only to say why: no welcome, no snapshot
    error = await client.comm.receive_json_from()
    assert error["type"] == "error" and error["code"] == "forbidden_origin"
    assert ("evil.example" in error["message"]) == (origin is not None)
    assert ("no Origin header" in error["message"]) == (origin is None)
    closed = await client.comm.receive_output()
    assert closed == {"type": "websocket.close", "code": 4403}


async def test_welcome_and_snapshot_for_a_team(live_exercise: LiveExercise) -> None:
    client = Client(live_exercise.tokens["team:USA"])
    welcome = await client.connect()
    assert (
        welcome["viewer"] == "team:USA"
        and welcome["role"] == "player"
        and welcome["nation"] == "USA"
    )
    snapshot = await client.recv()
    # A team's stream has nothing yet (exercise_created is control-only): position 0, not a seq.
    assert snapshot["type"] == "snapshot" and snapshot["pos"] == 0
    assert snapshot["view"]["nation"] == "USA" and "msel" not in snapshot["view"]
    assert snapshot["view"]["kind"] == "team" and snapshot["view"]["pos"] == 0
    await client.close()


async def test_player_cannot_use_a_white_cell_command(live_exercise: LiveExercise) -> None:
    client = Client(live_exercise.tokens["team:GBR"])
    await client.connect()
    await client.recv()
    reply = await client.command({"type": "start_exercise"})
    assert reply["type"] == "rejected" and reply["code"] == "forbidden"
    assert "current_seq" not in reply and "seq" not in reply  # nothing that counts others' events
    assert await client.drain() == []
    await client.close()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ('{"type": "fly"}', "bad_message"),
        (
            '{"type": "command", "command_id": "x", "command": {"type": "release_product", "level": 5}}',
            "bad_message",
        ),
        ("[1, 2, 3]", "bad_message"),
        ("x" * (64 * 1024 + 1), "too_large"),
    ],
)
async def test_malformed_frames_get_structured_errors_and_the_socket_stays(
    live_exercise: LiveExercise, frame: str, code: str
) -> None:
    client = Client(live_exercise.tokens["team:USA"])
    await client.connect()
    await client.recv()
    await client.comm.send_to(text_data=frame)
    error = await client.recv()
    assert error["type"] == "error" and error["code"] == code and error["message"]
    await client.send({"type": "ping"})
    assert (await client.recv()) == {"type": "pong", "pos": 0}
    await client.close()


async def test_events_reach_exactly_their_audience(live_exercise: LiveExercise) -> None:
    tokens = live_exercise.tokens
    white, usa, gbr, jpn = (
        Client(tokens[k]) for k in ("white_cell", "team:USA", "team:GBR", "team:JPN")
    )
    for client in (white, usa, gbr, jpn):
        await client.connect()
        await client.recv()
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    ack = await usa.command(share("GBR"))
    assert ack["type"] == "ack"
    await usa.command({"type": "post_chat", "channel": "team", "text": "usa internal"})
    for client in (white, usa, gbr, jpn):
        await client.drain()
    usa_types = [e["type"] for e in usa.events]
    assert "product_released" in usa_types and "chat_posted" in usa_types
    assert [e["type"] for e in gbr.events if e["type"] == "product_released"] == [
        "product_released"
    ]
    assert not any(e["type"] in ("product_released", "chat_posted") for e in jpn.events)
    pictures = [e["body"]["nation"] for e in jpn.events if e["type"] == "picture_updated"]
    assert pictures == ["JPN"]
    assert len(white.events) == white.last_pos - 1  # control sees everything after the snapshot
    assert [e["type"] for e in usa.events][:3] == ["move_closing", "exercise_started", "picture_updated"]
    assert ack["pos"] == usa.events.index(next(e for e in usa.events if e["type"] == "product_released")) + 1
    for client in (white, usa, gbr, jpn):
        await client.close()


async def test_resume_sends_exactly_the_missed_events(live_exercise: LiveExercise) -> None:
    tokens = live_exercise.tokens
    white = Client(tokens["white_cell"])
    await white.connect()
    await white.recv()
    usa = Client(tokens["team:USA"])
    await usa.connect()
    await usa.recv()
    await white.command({"type": "start_exercise"})
    await usa.drain()
    seen = usa.last_pos
    await usa.close()
    await white.command({"type": "release_inject", "inject_id": "INJ-1"})
    await white.command({"type": "release_inject", "inject_id": "INJ-3"})
    await white.command({"type": "advance_move", "from_move": 1})
    back = Client(tokens["team:USA"])
    back.last_pos = seen
    await back.connect(last_pos=seen)
    await back.drain()
    types = [e["type"] for e in back.events]
    assert types[0] == "inject_released" and back.events[0]["body"]["inject"]["id"] == "INJ-1"
    assert "move_advanced" in types
    assert all(e["body"].get("inject", {}).get("id") != "INJ-3" for e in back.events)
    await back.close()
    await white.close()


async def test_repeated_command_id_is_idempotent_over_the_socket(
    live_exercise: LiveExercise,
) -> None:
    white = Client(live_exercise.tokens["white_cell"])
    await white.connect()
    await white.recv()
    first = await white.command({"type": "start_exercise"}, command_id="start-1")
    again = await white.command({"type": "start_exercise"}, command_id="start-1")
    assert first["type"] == again["type"] == "ack"
    assert again["pos"] == first["pos"] and again["repeat"] is True
    await white.close()


async def test_resync_gives_a_fresh_snapshot(live_exercise: LiveExercise) -> None:
    usa = Client(live_exercise.tokens["team:USA"])
    await usa.connect()
    await usa.recv()
    await usa.send({"type": "resync"})
    snapshot = await usa.recv()
    assert snapshot["type"] == "snapshot" and snapshot["pos"] == 0
    await usa.close()


async def test_revoked_seat_cannot_connect(live_exercise: LiveExercise) -> None:
    from channels.db import database_sync_to_async

    from wargame.server.seats import revoke_seat

    token = live_exercise.tokens["team:JPN"]
    assert await database_sync_to_async(revoke_seat)(token)
    client = Client(token)
    await client.comm.connect()
    assert json.loads(await client.comm.receive_from())["code"] == "unauthorized"
