"""A played red cell over the websocket: its seat fires a weapon from its inventory; the attack
stays sealed until the move closes, then resolves through the effects engine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveExercise
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]


async def _seat(token: str) -> Client:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    return client


def _of(client: Client, kind: str) -> list[dict[str, Any]]:
    return [e for e in client.events if e["type"] == kind]


async def test_the_red_cell_fires_a_da_asat_that_resolves_at_move_close(
    schriever_exercise: LiveExercise,
) -> None:
    tokens = schriever_exercise.tokens
    white, red, usa = [await _seat(tokens[k]) for k in ("white_cell", "team:RED", "team:USA")]
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    for client in (white, red, usa):
        await client.drain(1.0)
    order = {"kind": "counterspace", "weapon_id": "red-da-asat", "target": "usa-wgs-09"}
    refused = await red.command({"type": "submit_order", "order": order, "reason": "GEO strike"})
    assert refused["type"] == "rejected" and refused["code"] == "invalid"
    assert "'usa-wgs-09' is in GEO, out of reach" in refused["message"]
    not_theirs = await usa.command(
        {"type": "submit_order", "order": {**order, "target": "red-isr-1"}, "reason": "x"}
    )
    assert not_theirs["type"] == "rejected" and not_theirs["code"] == "not_owner"
    order["target"] = "usa-isr-2"  # LEO
    assert (await red.command({"type": "submit_order", "order": order, "reason": "blind them"}))[
        "type"
    ] == "ack"
    await usa.drain(0.5)
    assert not [e for e in usa.events if e["type"] in ("order_submitted", "counterspace_fired")]
    await white.drain(0.5)
    assert any(e["type"] == "order_submitted" and e["body"]["nation"] == "RED" for e in white.events)
    advance = {"type": "advance_move", "from_move": 1}
    # the ack comes after the core, beyond recv's timeout: send and wait for move_advanced
    await white.send({"type": "command", "command_id": "advance-1", "command": advance})
    for _ in range(120):
        await white.drain(1.0)
        if _of(white, "move_advanced"):
            break
    await red.drain(1.0)
    await usa.drain(1.0)
    fired = _of(red, "counterspace_fired")
    assert (
        len(fired) == 1
        and fired[0]["body"]["weapon_id"] == "red-da-asat"
        and fired[0]["body"]["uses_left"] == 1
    )
    inject_id = fired[0]["body"]["inject_id"]
    resolved = [e for e in _of(white, "inject_resolved") if e["body"]["inject_id"] == inject_id]
    assert len(resolved) == 1 and resolved[0]["body"]["p_success"] == pytest.approx(0.9 * 0.8)  # manoeuvrable
    kills = [e for e in _of(usa, "asset_status_changed") if e["body"].get("inject_id") == inject_id]
    assert bool(kills) == resolved[0]["body"]["succeeded"]
    assert not _of(usa, "counterspace_fired") and not [
        e for e in _of(usa, "inject_released") if e["body"]["inject"]["id"] == inject_id
    ]
    for client in (white, red, usa):
        await client.close()
