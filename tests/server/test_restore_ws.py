"""restore_asset over the websocket: the white cell restores an asset; who hears of it, who may not."""

from __future__ import annotations

import pytest

from tests.conftest import LiveExercise
from tests.factories import EffectsAdjudicator
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]

SEATS = ("white_cell", "facilitator", "team:USA", "team:GBR", "team:JPN")


def restores(client: Client) -> list[dict[str, object]]:
    return [
        e["body"] for e in client.events
        if e["type"] == "asset_status_changed" and e["body"]["status"] == "nominal"
    ]


async def test_white_cell_restores_an_asset_round_trip(live_exercise: LiveExercise) -> None:
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    # Move 1 leaves usa-sat degraded (seen by GBR), usa-isr disabled for good, gbr-sat destroyed.
    set_service(ExerciseService(DjangoEventStore(), EffectsAdjudicator(), notify_news))
    c = {key: Client(live_exercise.tokens[key]) for key in SEATS}
    for client in c.values():
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
    white, usa, gbr, jpn = c["white_cell"], c["team:USA"], c["team:GBR"], c["team:JPN"]
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    assert (await white.command({"type": "advance_move", "from_move": 1}))["type"] == "ack"

    refused = await usa.command({"type": "restore_asset", "asset_id": "usa-sat", "reason": "mine"})
    assert (refused["type"], refused["code"]) == ("rejected", "forbidden")
    grappled = await white.command({"type": "restore_asset", "asset_id": "usa-isr", "reason": "undo"})
    assert (grappled["type"], grappled["code"]) == ("rejected", "invalid")
    assert "irreversible" in grappled["message"] and "inject:INJ-9" in grappled["message"]

    ack = await white.command(
        {"type": "restore_asset", "asset_id": "usa-sat", "reason": "operator regained the link"}
    )
    assert ack["type"] == "ack" and ack["pos"] is not None
    for client in c.values():
        await client.drain()

    expected = {
        "type": "asset_status_changed", "asset_id": "usa-sat", "owner": "USA", "status": "nominal",
        "until_move": None, "cause": "restored: operator regained the link", "inject_id": None,
    }
    assert restores(usa) == [expected]  # the owner is not told which nations noticed it
    assert restores(white) == restores(c["facilitator"]) == [{**expected, "observers": ["GBR"]}]
    assert restores(gbr) == [{"asset_id": "usa-sat", "owner": "USA", "status": "nominal"}]
    assert restores(jpn) == []
    restored = [e for e in white.events if e["type"] == "asset_status_changed" and e["seq"] <= ack["pos"]]
    event = restored[-1]
    told = [e for e in white.events if event["seq"] < e["seq"] <= ack["pos"]]  # control: pos is the seq
    feed_lines = [(e["type"], e["body"]["nation"]) for e in told]
    assert feed_lines == [("team_notified", "USA"), ("team_notified", "GBR")]
    assert event["actor"] == "white_cell" and event["audience"] == ["control", "team:USA", "team:GBR"]

    # A fresh snapshot shows the restored asset and which statuses stay irreversible.
    await white.send({"type": "resync"})
    snapshot = await white.recv()
    assets = {a["id"]: a for a in snapshot["view"]["assets"]}
    assert (assets["usa-sat"]["status"], assets["usa-sat"]["status_reversible"]) == ("nominal", True)
    assert (assets["usa-isr"]["status"], assets["usa-isr"]["status_reversible"]) == ("disabled", False)
    for client in c.values():
        await client.close()
