"""Response orders over the websocket on the tutorial with the real core: a team's safe mode, DIME
response and evasion burn, sealed until the move closes, then adjudicated with the standard
ruleset's numbers; who hears of each outcome and what the team page's view says."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveExercise
from tests.server.wsclient import Client
from wargame.domain.common import InjectType
from wargame.resources import shipped_root
from wargame.scenario.loader import load_ruleset, load_scenario

pytestmark = [pytest.mark.integration]

SEATS = ("white_cell", "team:USA", "team:GBR", "team:JPN")
RESPONSE_TYPES = {"evasion_resolved", "ground_segment_acted", "spare_activated", "response_failed"}


def of_type(client: Client, kind: str) -> list[dict[str, Any]]:
    return [e for e in client.events if e["type"] == kind]


async def ok(client: Client, command: dict[str, Any]) -> dict[str, Any]:
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    return reply


def expected_p() -> tuple[float, float]:
    """The co-orbital attack's p on usa-isr-1 before and after a 20 m/s evasion burn."""
    rules = load_ruleset(shipped_root() / "rulesets" / "standard.yaml")
    scenario = load_scenario(shipped_root() / "scenarios" / "tutorial.yaml")
    assert rules.responses is not None
    rule = rules.effects[InjectType.CO_ORBITAL]
    spec = scenario.object("usa-isr-1")
    assert spec is not None
    p = rule.p_success
    for key in sorted(spec.protections):
        p *= rule.protection_factors.get(key, 1.0)
    evasion = rules.responses.evasion
    return p, p * max(evasion.min_factor, 1.0 - evasion.factor_per_m_per_s * 20.0)


async def test_a_team_plays_safe_mode_dime_and_evasion_over_the_websocket(
    tutorial_exercise: LiveExercise,
) -> None:
    c = {key: Client(tutorial_exercise.tokens[key]) for key in SEATS}
    for client in c.values():
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
    white, usa, gbr, jpn = c["white_cell"], c["team:USA"], c["team:GBR"], c["team:JPN"]
    await ok(white, {"type": "start_exercise"})

    refused = await usa.command(
        {"type": "submit_order", "order": {"kind": "safe_mode", "asset_id": "gbr-skynet-5d", "enter": True}}
    )
    assert (refused["type"], refused["code"]) == ("rejected", "not_owner")
    bad = await usa.command(
        {"type": "submit_order", "order": {"kind": "dime", "instrument": "blockade", "target_nation": "RED"}}
    )
    assert bad["type"] == "error" and "instrument" in bad["message"]
    orders = [
        {"kind": "safe_mode", "asset_id": "usa-wgs-10", "enter": True},
        {"kind": "dime", "instrument": "military_posture", "target_nation": "RED", "text": "bombers forward"},
        {"kind": "manoeuvre", "asset_id": "usa-isr-1", "dv_m_per_s": 20.0, "purpose": "evasion"},
    ]
    for order in orders:
        await ok(usa, {"type": "submit_order", "order": order, "reason": "answer the RED threat"})
    await ok(
        white,
        {
            "type": "adhoc_inject",
            "inject_type": "co_orbital",
            "title": "RED kill vehicle closes on USA ISR-1",
            "target": "usa-isr-1",
            "actor": "RED",
            "recipients": ["USA"],
            "params": {"approacher": "red-kv-1"},
        },
    )
    for client in c.values():
        await client.drain()
    for other in (gbr, jpn):  # sealed: nothing of USA's orders before the move closes
        assert not of_type(other, "order_submitted")
        assert "bombers forward" not in str(other.events)

    await ok(white, {"type": "advance_move", "from_move": 1})
    for client in c.values():
        await client.drain()

    (status,) = [
        e["body"] for e in of_type(usa, "asset_status_changed") if e["body"]["asset_id"] == "usa-wgs-10"
    ]
    assert (status["status"], status["cause"]) == ("safe_mode", "safe mode: entered on the owner's order")
    p_before, p_after = expected_p()
    (evasion,) = [e["body"] for e in of_type(usa, "evasion_resolved")]
    assert (evasion["asset_id"], evasion["dv_m_per_s"], evasion["factor"]) == ("usa-isr-1", 20.0, 0.2)
    assert abs(evasion["p_before"] - p_before) < 1e-9 and abs(evasion["p_after"] - p_after) < 1e-9
    for client in (usa, gbr, jpn):  # a DIME response is public once adjudicated
        (dime,) = [e["body"] for e in of_type(client, "dime_taken")]
        assert (dime["nation"], dime["instrument"], dime["escalation_delta"], dime["deterrence_factor"]) == (
            "USA",
            "military_posture",
            0.5,
            0.7,
        )
        (escalation,) = [e["body"] for e in of_type(client, "escalation_changed")]
        assert "USA military posture against RED: +0.5" in escalation["reasons"]
    for other in (gbr, jpn):  # the owner's outcomes stay the owner's
        assert not [e for e in other.events if e["type"] in RESPONSE_TYPES]
        assert not [
            e for e in of_type(other, "asset_status_changed") if e["body"]["asset_id"] == "usa-wgs-10"
        ]

    await usa.send({"type": "resync"})
    view = (await usa.recv())["view"]
    assets = {a["id"]: a for a in view["assets"]}
    assert assets["usa-wgs-10"]["status"] == "safe_mode"
    card = view["responses"]
    assert (
        card["escalation"]["level"] == escalation["level"]
        and card["escalation"]["name"] == escalation["name"]
    )
    assert [n["kind"] for n in card["notes"]] == ["dime_taken", "evasion_resolved"]
    assert card["deterrence"] == [
        {
            "nation": "USA",
            "instrument": "military_posture",
            "target_nation": "RED",
            "factor": 0.7,
            "from_move": 2,
            "until_move": 3,
        }
    ]
    await gbr.send({"type": "resync"})
    gbr_card = (await gbr.recv())["view"]["responses"]
    assert [n["kind"] for n in gbr_card["notes"]] == ["dime_taken"]

    await ok(
        usa,
        {"type": "submit_order", "order": {"kind": "safe_mode", "asset_id": "usa-wgs-10", "enter": False}},
    )
    for client in c.values():
        await client.close()
