"""Requests between teams over the websocket, as real seats: USA drafts a joint statement naming
GBR and JPN, JPN refuses, USA amends, both consent and it is issued to every seat; GBR accepts
part of USA's capacity request; the white cell answers USA's RFI. Others see none of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LiveExercise, close_consumer_connections
from tests.domain.request_game import request_created
from tests.factories import FakeAdjudicator
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]


@pytest.fixture
def request_exercise(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The unit scenario with GBR lending SATCOM (and COM, not played, ISR), on the real store."""
    from wargame.server.models import Exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.seats import issue_default_seats
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), FakeAdjudicator(), notify_news)
    set_service(service)
    created = request_created()
    exercise = Exercise.objects.create(id="req1", title=created.title, scenario_id=created.scenario.id)
    service.create("req1", created)
    tokens = {}
    for issued in issue_default_seats(exercise, created.scenario):
        tokens[f"team:{issued.nation}" if issued.nation else issued.role.value] = issued.token
    yield LiveExercise("req1", tokens)
    set_service(None)
    close_consumer_connections()


async def event(client: Client, kind: str, **match: Any) -> dict[str, Any]:
    """The first event of `kind` (whose body has `match`) the client has or next receives."""
    seen = 0
    while True:
        for e in client.events[seen:]:
            if e["type"] == kind and all(e["body"].get(k) == v for k, v in match.items()):
                return e
        seen = len(client.events)
        await client.recv()


async def acked(client: Client, command: dict[str, Any]) -> None:
    reply = await client.command(command)
    assert reply["type"] == "ack", reply


async def test_statement_capacity_and_rfi_as_real_seats(request_exercise: LiveExercise) -> None:
    tokens = request_exercise.tokens
    usa, gbr, jpn = (Client(tokens[f"team:{n}"]) for n in ("USA", "GBR", "JPN"))
    white, observer = Client(tokens["white_cell"]), Client(tokens["observer"])
    for client in (usa, gbr, jpn, white, observer):
        await client.connect()
        assert (await client.recv())["type"] == "snapshot"
    await acked(white, {"type": "start_exercise"})
    await event(usa, "exercise_started")

    # A joint statement: JPN refuses, USA amends, both consent, it is issued.
    draft = {"type": "draft_statement", "text": "We condemn the jamming by RED.", "cosigners": ["GBR", "JPN"]}
    await acked(usa, draft)
    drafted = await event(jpn, "statement_drafted")
    sid = drafted["body"]["statement_id"]
    assert drafted["body"]["marking"]["releasability"] == "PUBLIC"
    await acked(
        jpn, {"type": "answer_statement", "statement_id": sid, "consent": False, "reason": "name no state"}
    )
    refused = await event(usa, "statement_answered", consent=False)
    assert (refused["body"]["nation"], refused["body"]["reason"]) == ("JPN", "name no state")
    early = await gbr.command({"type": "answer_statement", "statement_id": sid, "consent": True})
    assert early["type"] == "rejected" and early["code"] == "wrong_phase"
    await acked(usa, {"type": "amend_statement", "statement_id": sid, "text": "We condemn the jamming."})
    assert (await event(jpn, "statement_amended"))["body"]["version"] == 2
    await acked(jpn, {"type": "answer_statement", "statement_id": sid, "consent": True})
    await acked(gbr, {"type": "answer_statement", "statement_id": sid, "consent": True})
    for client in (usa, gbr, jpn, observer, white):
        issued = await event(client, "statement_issued")
        assert (issued["body"]["text"], issued["body"]["version"]) == ("We condemn the jamming.", 2)
    assert not [e for e in observer.events if e["type"] in ("statement_drafted", "statement_answered")]

    # A capacity request, accepted in part.
    too_big = await usa.command(
        {"type": "request_capacity", "provider": "GBR", "area": "SATCOM", "units": 4, "moves": 1}
    )
    assert too_big["type"] == "rejected" and "fallback.max_request.SATCOM" in too_big["message"]
    await acked(
        usa, {"type": "request_capacity", "provider": "GBR", "area": "SATCOM", "units": 3, "moves": 2}
    )
    asked = await event(gbr, "capacity_requested")
    rid = asked["body"]["request_id"]
    partial = {
        "type": "answer_capacity",
        "request_id": rid,
        "accept": True,
        "units": 2,
        "reason": "two spare",
    }
    await acked(gbr, partial)
    answered = await event(usa, "capacity_answered")
    assert (answered["body"]["units"], answered["body"]["requested"], answered["body"]["reason"]) == (
        2,
        3,
        "two spare",
    )

    # An RFI answered by the white cell.
    await acked(usa, {"type": "send_request", "kind": "rfi", "text": "Who owns red-insp?"})
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

    await gbr.drain()
    await jpn.drain()
    assert not [e for e in jpn.events if e["type"].startswith(("capacity_", "request_"))]
    assert not [e for e in gbr.events if e["type"].startswith("request_")]
    await usa.send({"type": "resync"})
    snapshot = await usa.recv()
    while snapshot["type"] != "snapshot":
        snapshot = await usa.recv()
    requests = snapshot["view"]["requests"]
    assert [(r["status"], r["granted"]) for r in requests["capacity"]] == [("accepted", 2)]
    assert [s["status"] for s in requests["statements"]] == ["issued"]
    assert [(a["status"], a["answer"]) for a in requests["asks"]] == [("approved", "RED")]
    for client in (usa, gbr, jpn, white, observer):
        await client.close()
