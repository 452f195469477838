"""Issue 12's scripted game: the shipped schriever-escalation played over the websocket by real
seats with the real core and the embedded tempo scheduler. One move of orders (safe mode, ground
segment, reconstitution, DIME, an evasion burn against the red cell's own co-orbital attack),
requests (capacity, RFI, a joint statement refused then agreed), an inject held then released
mid-move at its scenario time, a deadline that advances the move by itself, then an override."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import LiveExercise, close_consumer_connections
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]

SCENARIO = "schriever-escalation"
HELD = "sw-002"  # planned at move 1 +2 h
WEAPON = "red-leo-kv"  # RED's LEO co-orbital kill vehicle
EVASION_DV = 10.0
REASON = "controller ruling for the exercise"
SEATS = ("white_cell", "observer", "team:USA", "team:GBR", "team:JPN", "team:COM", "team:RED")


@pytest.fixture
def schriever_game(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The shipped schriever-escalation with the real core, on the real store, with this process's
    tempo scheduler (embedded mode)."""
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.server.tempo_schedule import embedded, published
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator(), notify_news)
    service.on_published = published
    set_service(service)
    created = create_exercise(SCENARIO)
    tokens = {}
    for issued in created.seats:
        tokens[f"team:{issued.nation}" if issued.nation else issued.role.value] = issued.token
    yield LiveExercise(created.exercise_id, tokens)
    service.on_published = None
    embedded().at(created.exercise_id, None)
    set_service(None)
    close_consumer_connections()


def matches(e: dict[str, Any], kind: str, match: dict[str, Any]) -> bool:
    return e["type"] == kind and all(e["body"].get(k) == v for k, v in match.items())


async def event(client: Client, kind: str, wait: float = 30.0, **match: Any) -> dict[str, Any]:
    """The first event of `kind` (whose body has `match`) the client has or receives within `wait` s."""
    seen = 0
    async with asyncio.timeout(wait):
        while True:
            for e in client.events[seen:]:
                if matches(e, kind, match):
                    return e
            seen = len(client.events)
            await client.recv(timeout=wait)


def of(client: Client, kind: str, **match: Any) -> list[dict[str, Any]]:
    return [e for e in client.events if matches(e, kind, match)]


async def acked(client: Client, command: dict[str, Any]) -> dict[str, Any]:
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    return reply


async def order(client: Client, body: dict[str, Any], reason: str) -> None:
    await acked(client, {"type": "submit_order", "order": body, "reason": reason})


async def snapshot(client: Client) -> dict[str, Any]:
    await client.send({"type": "resync"})
    while (message := await client.recv(timeout=30))["type"] != "snapshot":
        pass
    view: dict[str, Any] = message["view"]
    return view


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Picks:
    """Targets and assets chosen from the loaded scenario: none an inject of moves 1-2 aims at."""

    def __init__(self) -> None:
        from wargame.domain.counterspace import regime_of
        from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts

        scenario, _ = load_scenario_parts(find_scenario(SCENARIO))
        self.scenario = scenario
        self.ruleset = load_ruleset(find_ruleset(scenario.ruleset))
        aimed = {i.target for i in scenario.msel if i.move <= 2}
        objects = [o for o in scenario.objects if o.kind == "payload" and o.id not in aimed]

        def pick(owner: str, regime: str, used: set[str], dv: float = 0.0) -> Any:
            return next(
                o
                for o in objects
                if o.owner == owner
                and o.id not in used
                and o.propellant_dv_m_per_s >= dv
                and regime_of(o.orbit, self.ruleset.regimes) == regime
            )

        weapon = next(w for n in scenario.nations for w in n.counterspace if w.id == WEAPON)
        parent = next(o for o in scenario.objects if o.id == weapon.parent)
        self.weapon = weapon
        self.target = pick("JPN", regime_of(parent.orbit, self.ruleset.regimes), set(), EVASION_DV)
        self.safe = pick("USA", "LEO", {self.target.id})
        self.ground = pick("USA", "GEO", {self.safe.id})
        self.overridden = pick("GBR", "LEO", set())
        self.spare = next(s for s in scenario.spares if s.owner == "USA")
        self.held = next(i for i in scenario.msel if i.id == HELD)
        com = next(n for n in scenario.nations if n.id == "COM")
        assert com.fallback is not None
        self.capacity = com.fallback.max_request["SATCOM"]


async def test_a_scripted_schriever_escalation_game(schriever_game: LiveExercise) -> None:
    p = Picks()
    rules = p.ruleset
    responses = rules.responses
    assert responses is not None
    clients = {seat: Client(schriever_game.tokens[seat]) for seat in SEATS}
    for client in clients.values():
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
    white, usa, gbr, jpn = (clients[s] for s in ("white_cell", "team:USA", "team:GBR", "team:JPN"))
    com, red = clients["team:COM"], clients["team:RED"]
    blue = (usa, gbr, jpn, com)
    assert red.view is not None
    arsenal = {w["id"]: w for w in red.view["arsenal"]}
    assert (arsenal[WEAPON]["magazine"], arsenal[WEAPON]["fired"]) == (1, 0)

    # sw-002 would be released as move 1 opens (the scenario has no tempo, so no clock yet): the
    # white cell holds it, to lift the hold once the move has a clock.
    await acked(white, {"type": "hold_inject", "inject_id": HELD, "reason": REASON})
    await acked(white, {"type": "start_exercise"})
    for client in clients.values():
        await event(client, "exercise_started")
    await white.drain(0.5)
    assert [e["body"]["inject"]["id"] for e in of(white, "inject_released")].count(HELD) == 0

    # Move 1 orders: the red cell's own attack, the owner's evasion burn, the responses.
    attack = {"kind": "counterspace", "weapon_id": WEAPON, "target": p.target.id}
    await order(red, attack, "kill the imager")
    evade = {"kind": "manoeuvre", "asset_id": p.target.id, "dv_m_per_s": EVASION_DV, "purpose": "evasion"}
    await order(jpn, evade, "the RED interceptor is closing")
    await order(usa, {"kind": "safe_mode", "asset_id": p.safe.id, "enter": True}, "ride out the threat")
    await order(usa, {"kind": "ground_segment", "asset_id": p.ground.id, "action": "harden"}, "patch")
    await order(usa, {"kind": "reconstitute", "spare_id": p.spare.id}, "replace lost capacity")
    dime = {"kind": "dime", "instrument": "military_posture", "target_nation": "RED", "text": "carrier moves"}
    await order(usa, dime, "deter RED")

    # Requests: capacity from COM granted in part, an RFI answered, a statement refused then agreed.
    ask = {"type": "request_capacity", "provider": "COM", "area": "SATCOM", "units": p.capacity, "moves": 2}
    await acked(usa, ask)
    rid = (await event(com, "capacity_requested"))["body"]["request_id"]
    partial = {
        "type": "answer_capacity",
        "request_id": rid,
        "accept": True,
        "units": p.capacity - 1,
        "reason": "the rest is sold",
    }
    await acked(com, partial)
    answered = await event(usa, "capacity_answered")
    assert (answered["body"]["units"], answered["body"]["requested"]) == (p.capacity - 1, p.capacity)
    await acked(usa, {"type": "send_request", "kind": "rfi", "text": "Who owns RED-CO-1?"})
    rfi = await event(white, "request_sent")
    answer = {
        "type": "answer_request",
        "request_id": rfi["body"]["request_id"],
        "approve": True,
        "answer": "RED",
    }
    await acked(white, answer)
    replied = await event(usa, "request_answered")
    assert (replied["body"]["approved"], replied["body"]["answer"]) == (True, "RED")
    draft = {
        "type": "draft_statement",
        "text": "RED's interceptor threatens us all.",
        "cosigners": ["GBR", "JPN"],
    }
    await acked(usa, draft)
    sid = (await event(jpn, "statement_drafted"))["body"]["statement_id"]
    refuse = {"type": "answer_statement", "statement_id": sid, "consent": False, "reason": "name no state"}
    await acked(jpn, refuse)
    refused = await event(usa, "statement_answered", consent=False)
    assert (refused["body"]["nation"], refused["body"]["reason"]) == ("JPN", "name no state")
    text = "An interceptor threatens us all."
    await acked(usa, {"type": "amend_statement", "statement_id": sid, "text": text})
    assert (await event(jpn, "statement_amended"))["body"]["version"] == 2
    for cosigner in (jpn, gbr):
        await acked(cosigner, {"type": "answer_statement", "statement_id": sid, "consent": True})
    for client in clients.values():  # a PUBLIC statement reaches every seat
        issued = await event(client, "statement_issued")
        assert (issued["body"]["text"], issued["body"]["version"]) == (text, 2)

    # A 6-second deadline that advances; the held inject comes at its scenario time (+2 h of 12 h).
    deadline = {
        "type": "set_move_deadline",
        "action": "set",
        "minutes": 0.1,
        "on_deadline": "advance",
        "reason": "a short move",
    }
    await acked(white, deadline)
    await acked(white, {"type": "lift_hold", "inject_id": HELD, "reason": REASON})
    for client in clients.values():
        await event(client, "move_advanced", wait=240, move=2)
    for client in clients.values():
        clock = of(client, "move_clock_set", move=1, change="set")
        assert [(c["body"]["deadline_s"], c["body"]["on_deadline"]) for c in clock] == [(6.0, "advance")]
        kinds = [e["type"] for e in client.events]
        assert of(client, "deadline_passed", move=1, on_deadline="advance")
        assert kinds.index("deadline_passed") < kinds.index("move_advanced")
    planned = when(p.scenario.start_time.isoformat()) + timedelta(hours=p.held.offset_hours)
    for seat in ("white_cell", *(f"team:{n}" for n in p.held.recipients)):
        client = clients[seat]
        released = [e for e in of(client, "inject_released") if e["body"]["inject"]["id"] == HELD]
        assert len(released) == 1 and when(released[0]["body"]["scenario_time"]) == planned, seat
        assert client.events.index(released[0]) < client.events.index(of(client, "deadline_passed")[0])
    sw2 = next(e for e in of(white, "inject_released") if e["body"]["inject"]["id"] == HELD)
    assert sw2["actor"] == "scheduler"
    assert of(white, "move_closing")[-1]["member"] == "scheduler"

    # The red cell's attack: fired from its magazine, sealed from blue.
    fired = of(red, "counterspace_fired")
    assert [(f["body"]["weapon_id"], f["body"]["target"], f["body"]["uses_left"]) for f in fired] == [
        (WEAPON, p.target.id, 0)
    ]
    inject_id = fired[0]["body"]["inject_id"]
    arsenal = {w["id"]: w for w in (await snapshot(red))["arsenal"]}
    assert arsenal[WEAPON]["magazine"] - arsenal[WEAPON]["fired"] == 0
    for client in blue:
        assert not of(client, "counterspace_fired")
        assert not of(client, "order_submitted", nation="RED")
    assert of(white, "order_submitted", nation="RED")

    # The evasion burn against it: the odds before and after, from the ruleset, told to the owner.
    rule = rules.effects["co_orbital"]
    p_before = rule.p_success * math.prod(rule.protection_factors.get(x, 1.0) for x in p.target.protections)
    factor = max(responses.evasion.min_factor, 1.0 - responses.evasion.factor_per_m_per_s * EVASION_DV)
    evasion = of(jpn, "evasion_resolved", asset_id=p.target.id, inject_id=inject_id)
    assert len(evasion) == 1
    body = evasion[0]["body"]
    assert (body["owner"], body["dv_m_per_s"]) == ("JPN", EVASION_DV)
    assert body["factor"] == pytest.approx(factor)
    assert body["p_before"] == pytest.approx(p_before)
    assert body["p_after"] == pytest.approx(p_before * factor)
    changes = of(jpn, "asset_status_changed", asset_id=p.target.id)
    hit = [e for e in changes if e["body"].get("inject_id") == inject_id]
    assert bool(hit) == body["hit"]
    assert of(jpn, "team_notified", topic="response", subject=p.target.id, text=body["explanation"])
    for client in (usa, gbr, com, red):
        assert not of(client, "evasion_resolved")

    # Safe mode, ground segment, spare and DIME, each with its outcome and team feed line.
    assert of(usa, "asset_status_changed", asset_id=p.safe.id, status="safe_mode")
    safe_lines = of(usa, "team_notified", topic="status", subject=p.safe.id)
    own_order = "(safe mode: entered on the owner's order)"
    assert [line["body"]["text"].endswith(own_order) for line in safe_lines] == [True]
    harden = responses.ground_segment.harden
    acted = of(usa, "ground_segment_acted", asset_id=p.ground.id, action="harden")
    assert [(a["body"]["succeeded"], a["body"]["from_move"], a["body"]["until_move"]) for a in acted] == [
        (True, 2, 1 + harden.duration_moves)
    ]
    explained = acted[0]["body"]["explanation"]
    assert of(usa, "team_notified", topic="response", subject=p.ground.id, text=explained)
    spare = of(usa, "spare_activated", spare_id=p.spare.id)
    assert [s["body"]["arrives_move"] for s in spare] == [1 + p.spare.lead_time_moves]
    posture = responses.dime["military_posture"]
    taken = of(usa, "dime_taken", nation="USA", instrument="military_posture", target_nation="RED")
    assert len(taken) == 1
    assert (taken[0]["body"]["escalation_delta"], taken[0]["body"]["deterrence_factor"]) == (
        posture.escalation_delta,
        posture.deterrence_factor,
    )
    for client in (usa, gbr, jpn, com, red):
        assert of(client, "team_notified", topic="response", text=taken[0]["body"]["explanation"])
    for client in (gbr, jpn, com, red):
        assert not of(client, "spare_activated") and not of(client, "ground_segment_acted")

    # Move 2: the white cell overrides a status with a logged reason; the owner's feed tells it.
    override = {
        "type": "override_status",
        "asset_id": p.overridden.id,
        "status": "degraded",
        "until_move": 3,
        "reason": REASON,
    }
    await acked(white, override)
    logged = await event(white, "status_overridden", asset_id=p.overridden.id)
    assert (logged["body"]["status"], logged["body"]["previous"], logged["body"]["reason"]) == (
        "degraded",
        "nominal",
        REASON,
    )
    line = await event(gbr, "team_notified", topic="status", subject=p.overridden.id)
    assert "degraded" in line["body"]["text"] and "corrected by exercise control" in line["body"]["text"]
    assert not of(usa, "status_overridden") and not of(gbr, "status_overridden")
    for client in clients.values():
        await client.close()
