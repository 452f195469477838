"""A scripted four-move tutorial game over the websocket: three teams and the white cell.

Asserts what each team sees and, above all, what it does not see.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import LiveExercise
from tests.factories import share
from tests.picture_format import rows
from tests.server.wsclient import Client, get_picture

pytestmark = [pytest.mark.integration]

TEAMS = ("USA", "GBR", "JPN")


async def connect_all(tokens: dict[str, str]) -> dict[str, Client]:
    clients = {}
    for key in ("white_cell", "facilitator", *(f"team:{n}" for n in TEAMS)):
        client = Client(tokens[key])
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
        clients[key] = client
    return clients


async def settle(clients: dict[str, Client]) -> None:
    for client in clients.values():
        await client.drain(0.2)


def of_type(client: Client, kind: str) -> list[dict[str, Any]]:
    return [e for e in client.events if e["type"] == kind]


async def ok(client: Client, command: dict[str, Any]) -> dict[str, Any]:
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    return reply


async def test_four_move_tutorial_game(tutorial_exercise: LiveExercise) -> None:
    c = await connect_all(tutorial_exercise.tokens)
    white, usa, gbr, jpn = c["white_cell"], c["team:USA"], c["team:GBR"], c["team:JPN"]

    # Before the start: USA and GBR share fully with each other; JPN withholds from everyone.
    await ok(usa, share("GBR"))
    await ok(gbr, share("USA"))
    await ok(white, {"type": "start_exercise"})
    await settle(c)
    for nation in TEAMS:
        pictures = of_type(c[f"team:{nation}"], "picture_updated")
        assert [p["body"]["nation"] for p in pictures] == [nation]
    # Move 1 opens with the scheduled public message and the conjunction warning to JPN and USA.
    assert {e["body"]["inject"]["id"] for e in of_type(usa, "inject_released")} == {"inj-001", "inj-002"}
    assert {e["body"]["inject"]["id"] for e in of_type(gbr, "inject_released")} == {"inj-001"}

    # Move 1 decisions.
    await ok(jpn, {"type": "submit_order", "reason": "avoid the debris",
                   "order": {"kind": "manoeuvre", "asset_id": "jpn-igs-optical-8", "dv_m_per_s": 0.5,
                             "purpose": "collision_avoidance"}})
    await ok(usa, {"type": "submit_order", "reason": "need GEO custody",
                   "order": {"kind": "tasking_request", "partner": "JPN", "sensor_id": "jpn-bisei",
                             "object_id": "red-inspector-1"}})
    await settle(c)
    (request,) = of_type(jpn, "tasking_requested")
    await ok(jpn, {"type": "answer_tasking", "request_id": request["body"]["request_id"], "accept": True,
                   "reason": "Bisei has night sky"})
    await ok(usa, {"type": "post_chat", "channel": "team", "text": "USA-ONLY: watch the inspector"})
    await ok(usa, {"type": "post_chat", "channel": "bilateral", "partner": "GBR", "text": "USA-GBR private"})
    await ok(jpn, {"type": "post_chat", "channel": "coalition", "text": "JPN to all"})
    await ok(white, {"type": "advance_move", "from_move": 1})
    await settle(c)

    # Move 2: jamming of GBR's Skynet, close approach to JPN's Kirameki.
    assert "inj-003" in {e["body"]["inject"]["id"] for e in of_type(gbr, "inject_released")}
    assert "inj-003" not in {e["body"]["inject"]["id"] for e in of_type(usa, "inject_released")}
    await ok(gbr, {"type": "submit_order", "reason": "jamming on the X-band uplink",
                   "order": {"kind": "anti_jam", "asset_id": "gbr-skynet-5d", "enabled": True}})
    rejected = await gbr.command({"type": "advance_move", "from_move": 2})
    assert rejected["type"] == "rejected" and rejected["code"] == "forbidden"
    stale = await white.command({"type": "advance_move", "from_move": 1})
    assert stale["type"] == "rejected" and stale["code"] == "stale"
    await ok(white, {"type": "advance_move", "from_move": 2})
    await settle(c)
    await ok(gbr, {"type": "submit_order", "reason": "pattern matches RED doctrine",
                   "order": {"kind": "public_attribution", "inject_id": "inj-003", "accused": "RED",
                             "likelihood": "likely"}})
    await ok(white, {"type": "release_inject", "inject_id": "inj-009"})
    await ok(white, {"type": "advance_move", "from_move": 3})
    await ok(white, {"type": "advance_move", "from_move": 4})
    await settle(c)

    # The game ended after move 4 and everyone saw it.
    for client in c.values():
        assert of_type(client, "exercise_ended"), client
    assert len(of_type(white, "move_adjudicated")) == 4
    assert len(of_type(c["facilitator"], "move_adjudicated")) == 4

    for nation in TEAMS:
        team = c[f"team:{nation}"]
        others = [n for n in TEAMS if n != nation]
        text = json.dumps(team.events)
        # Ground truth and controller material never reach a team.
        for kind in ("move_adjudicated", "inject_resolved", "exercise_created", "observation_recorded"):
            assert not of_type(team, kind), (nation, kind)
        assert "controller_notes" not in text and "expected_actions" not in text
        # Pictures: only our own, once at the start and once per adjudicated move.
        pictures = of_type(team, "picture_updated")
        assert {p["body"]["nation"] for p in pictures} == {nation} and len(pictures) == 5
        # Other teams' sealed orders never reach us.
        for order in of_type(team, "order_submitted"):
            assert order["body"]["nation"] == nation
        # Team chat stays in the team; bilateral stays in the pair.
        assert ("USA-ONLY" in text) == (nation == "USA")
        assert ("USA-GBR private" in text) == (nation in ("USA", "GBR"))
        assert "JPN to all" in text
        # The public attribution is public.
        assert [a["body"]["accused"] for a in of_type(team, "attribution_published")] == ["RED"]
        del others

    # Sharing shows in the fused pictures: GBR's and USA's tracks carry each other's data,
    # JPN shares with nobody, so nobody's track has JPN as a contributor.
    pictures = {}
    for nation in TEAMS:
        last = of_type(c[f"team:{nation}"], "picture_updated")[-1]["body"]
        assert "tracks" not in last and last["url"] == f"/api/picture?move={last['move']}"
        token = tutorial_exercise.tokens[f"team:{nation}"]
        status, _headers, data = await get_picture(token, f"move={last['move']}")
        assert status == 200
        pictures[nation] = rows(data)
        assert len(pictures[nation]) == last["held"]

    def contributors(nation: str) -> set[str]:
        return {n for row in pictures[nation].values() for n in row["contributors"]}

    assert "GBR" in contributors("USA")
    assert "USA" in contributors("GBR")
    assert "JPN" not in contributors("USA") | contributors("GBR")
    assert contributors("JPN") <= {"JPN"}
    # The conjunction warning reached the nations that hold both objects, with a probability.
    warnings = of_type(jpn, "conjunction_warning")
    assert warnings and all(0.0 <= w["body"]["pc"] <= 1.0 for w in warnings)
    # GBR's jammed satellite was affected (or resisted) and GBR saw the outcome of its own asset.
    statuses = [e for e in of_type(gbr, "asset_status_changed")
                if e["body"]["asset_id"] == "gbr-skynet-5d" and e["body"]["cause"] == "inject:inj-003"]
    truth = [e for e in of_type(white, "inject_resolved") if e["body"]["inject_id"] == "inj-003"]
    assert len(truth) == 1
    assert bool(statuses) == truth[0]["body"]["succeeded"]
    # Every stream was contiguous (the client asserts prev_seq == last seq on every event).
    for client in c.values():
        await client.close()
