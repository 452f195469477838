"""The white cell's control of scheduled injects over the websocket: skip, hold, lift, retime and
edit each give their event to control alone and show in its MSEL; a team seat and bad input are
refused with a structured reason and change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveExercise
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]

REASON = "Exercise control keeps the storm for later"
CONTROL_EVENTS = {"inject_held", "inject_hold_lifted", "inject_retimed", "inject_edited", "inject_skipped"}


async def _seat(live: LiveExercise, viewer: str) -> Client:
    client = Client(live.tokens[viewer])
    await client.connect()
    await client.recv()
    return client


def _msel(view: dict[str, Any] | None, inject_id: str) -> dict[str, Any]:
    assert view is not None
    return next(e for e in view["msel"] if e["id"] == inject_id)


async def _snapshot(client: Client) -> dict[str, Any]:
    await client.send({"type": "resync"})
    while True:
        message = await client.recv()
        if message["type"] == "snapshot":
            view: dict[str, Any] = message["view"]
            return view


async def test_each_command_gives_its_event_to_control_and_its_state_to_the_msel(
    live_exercise: LiveExercise,
) -> None:
    white = await _seat(live_exercise, "white_cell")
    usa = await _seat(live_exercise, "team:USA")
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    # INJ-2: a time-triggered storm planned for move 2 at +0 h.
    steps: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
        ({"type": "hold_inject"}, "inject_held", {}),
        ({"type": "lift_hold"}, "inject_hold_lifted", {}),
        (
            {"type": "retime_inject", "move": 3, "offset_hours": 2.5},
            "inject_retimed",
            {"move": 3, "offset_hours": 2.5, "previous_move": 2, "previous_offset_hours": 0.0},
        ),
        (
            {"type": "edit_inject", "title": "Severe storm", "text": "NOAA G4 watch"},
            "inject_edited",
            {"changes": {"title": "Severe storm", "text": "NOAA G4 watch"}},
        ),
        ({"type": "skip_inject"}, "inject_skipped", {}),
    ]
    for command, kind, fields in steps:
        reply = await white.command({**command, "inject_id": "INJ-2", "reason": REASON})
        assert reply["type"] == "ack", reply
        await white.drain()
        event = white.events[-1]
        assert event["type"] == kind
        assert event["body"] == {"type": kind, "inject_id": "INJ-2", "reason": REASON, **fields}
        if kind == "inject_held":
            assert _msel(await _snapshot(white), "INJ-2")["held"] is True
        if kind == "inject_hold_lifted":
            assert _msel(await _snapshot(white), "INJ-2")["held"] is False
    entry = _msel(await _snapshot(white), "INJ-2")
    assert (entry["move"], entry["offset_hours"]) == (3, 2.5)
    assert (entry["planned_move"], entry["planned_offset_hours"]) == (2, 0.0)
    assert entry["edited"] == ["text", "title"]
    assert (entry["title"], entry["text"]) == ("Severe storm", "NOAA G4 watch")
    assert entry["skipped"] is True and entry["held"] is False and entry["released_move"] is None
    await usa.drain()
    assert not {e["type"] for e in usa.events} & CONTROL_EVENTS, "teams never see the white cell's control"
    await white.close()
    await usa.close()


COMMANDS = [
    {"type": "skip_inject", "inject_id": "INJ-2", "reason": REASON},
    {"type": "hold_inject", "inject_id": "INJ-2", "reason": REASON},
    {"type": "lift_hold", "inject_id": "INJ-2", "reason": REASON},
    {"type": "retime_inject", "inject_id": "INJ-2", "move": 3, "offset_hours": 1.0, "reason": REASON},
    {"type": "edit_inject", "inject_id": "INJ-2", "title": "Severe storm", "reason": REASON},
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c["type"] for c in COMMANDS])
async def test_a_team_seat_is_refused_and_nothing_changes(
    live_exercise: LiveExercise, command: dict[str, Any]
) -> None:
    white = await _seat(live_exercise, "white_cell")
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    await white.drain()
    before = white.last_pos
    gbr = await _seat(live_exercise, "team:GBR")
    reply = await gbr.command(command)
    assert reply["type"] == "rejected" and reply["code"] == "forbidden"
    assert reply["message"] == f"{command['type']} is a white cell command"
    await white.drain()
    assert white.last_pos == before
    entry = _msel(await _snapshot(white), "INJ-2")
    assert (entry["held"], entry["skipped"], entry["move"], entry["title"]) == (False, False, 2, "Storm")
    await white.close()
    await gbr.close()


BAD = [
    ({"type": "hold_inject", "inject_id": "INJ-2"}, "bad_message", "reason"),
    ({"type": "hold_inject", "inject_id": "INJ-2", "reason": "short"}, "bad_message", "reason"),
    ({"type": "skip_inject", "inject_id": "INJ-9", "reason": REASON}, "unknown_target", "no inject 'INJ-9'"),
    ({"type": "hold_inject", "inject_id": "INJ-1", "reason": REASON}, "invalid", "released only by hand"),
    ({"type": "lift_hold", "inject_id": "INJ-2", "reason": REASON}, "invalid", "is not held"),
    (
        {"type": "retime_inject", "inject_id": "INJ-2", "move": 1, "reason": REASON},
        "invalid",
        "move 1 has opened already",
    ),
    (
        {"type": "retime_inject", "inject_id": "INJ-2", "move": 9, "reason": REASON},
        "invalid",
        "after the last move (3)",
    ),
    (
        {"type": "retime_inject", "inject_id": "INJ-2", "move": 2, "offset_hours": 6, "reason": REASON},
        "invalid",
        "not within a 6 h move",
    ),
    ({"type": "edit_inject", "inject_id": "INJ-2", "reason": REASON}, "invalid", "nothing to change"),
    (
        {"type": "edit_inject", "inject_id": "INJ-2", "params": {"p_success": 1}, "reason": REASON},
        "invalid",
        "p_success",
    ),
]


@pytest.mark.parametrize(
    ("command", "code", "says"), BAD, ids=[f"{c['type']}-{code}-{i}" for i, (c, code, _) in enumerate(BAD)]
)
async def test_bad_input_is_refused_with_what_is_wrong(
    live_exercise: LiveExercise, command: dict[str, Any], code: str, says: str
) -> None:
    white = await _seat(live_exercise, "white_cell")
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    await white.drain()
    before = white.last_pos
    reply = await white.command(command)
    assert reply["type"] in ("rejected", "error") and reply["code"] == code, reply
    assert says in reply["message"] or says in str(reply.get("details")), reply
    await white.drain()
    assert white.last_pos == before, "a refused command appends nothing"
    entry = _msel(await _snapshot(white), "INJ-2")
    assert (entry["held"], entry["skipped"], entry["move"], entry["title"]) == (False, False, 2, "Storm")
    await white.close()
