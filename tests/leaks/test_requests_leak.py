"""Requests between teams reach only their parties: a capacity request, an RFI, a request for
assistance and a draft statement are seen by the requester, the addressee and control, never by
another team or the observer (events and snapshots); an issued PUBLIC statement by every seat."""

from __future__ import annotations

import json
from functools import cache

from tests.domain.request_game import RequestGame
from wargame.domain.request_events import REQUEST_EVENTS
from wargame.protocol.projection import view_for

SECRETS = {
    "capacity": "SECRET-CAPACITY-USA-GBR",
    "rfi": "SECRET-RFI-USA",
    "assistance": "SECRET-ASSIST-GBR-JPN",
    "draft": "SECRET-DRAFT-USA-JPN",
    "answer": "SECRET-ANSWER-WHITE",
    "refusal": "SECRET-REFUSAL-GBR",
}
PARTIES = {
    "capacity": {"USA", "GBR"},
    "rfi": {"USA"},
    "assistance": {"GBR", "JPN"},
    "draft": {"USA", "JPN"},
    "answer": {"USA"},
    "refusal": {"USA", "GBR"},
}
VIEWERS = ("team:USA", "team:GBR", "team:JPN", "observer")


@cache
def game() -> RequestGame:
    played = RequestGame("leak")
    played.ok(
        "team:USA",
        {
            "type": "request_capacity",
            "provider": "GBR",
            "area": "SATCOM",
            "units": 1,
            "moves": 1,
            "reason": SECRETS["capacity"],
        },
    )
    played.ok("team:USA", {"type": "send_request", "kind": "rfi", "text": SECRETS["rfi"]})
    rfi = played.last_id("ask")
    played.ok(
        "white_cell",
        {"type": "answer_request", "request_id": rfi, "approve": True, "answer": SECRETS["answer"]},
    )
    played.ok(
        "team:GBR", {"type": "send_request", "kind": "assistance", "to": "JPN", "text": SECRETS["assistance"]}
    )
    played.ok("team:USA", {"type": "draft_statement", "text": SECRETS["draft"], "cosigners": ["JPN"]})
    played.ok(
        "team:USA", {"type": "draft_statement", "text": "PUBLIC-STATEMENT-ISSUED", "cosigners": ["GBR"]}
    )
    public = played.last_id("statement")
    refuse = {
        "type": "answer_statement",
        "statement_id": public,
        "consent": False,
        "reason": SECRETS["refusal"],
    }
    played.ok("team:GBR", refuse)
    played.ok(
        "team:USA", {"type": "amend_statement", "statement_id": public, "text": "PUBLIC-STATEMENT-ISSUED."}
    )
    played.ok("team:GBR", {"type": "answer_statement", "statement_id": public, "consent": True})
    played.advance()  # the capacity request and the assistance request lapse
    return played


def seen(viewer: str) -> str:
    """Everything `viewer` receives: its events and its snapshot, as JSON text."""
    played = game()
    events = [view_for(viewer, e) for e in played.store.read_after(played.exercise_id, 0)]
    snapshot = view_for(viewer, played.state)
    return json.dumps([e for e in events if e is not None]) + json.dumps(snapshot)


def test_each_request_reaches_only_its_parties() -> None:
    for viewer in VIEWERS:
        text = seen(viewer)
        nation = viewer.removeprefix("team:")
        for what, secret in SECRETS.items():
            assert (secret in text) == (nation in PARTIES[what]), (viewer, what)


def test_control_sees_every_request_and_every_seat_the_issued_public_statement() -> None:
    control = seen("white_cell")
    assert all(secret in control for secret in SECRETS.values())
    for viewer in (*VIEWERS, "white_cell"):
        assert "PUBLIC-STATEMENT-ISSUED" in seen(viewer)


def test_request_events_other_teams_receive_are_only_the_ones_addressed_to_them() -> None:
    played = game()
    for viewer in VIEWERS:
        nation = viewer.removeprefix("team:")
        for envelope in played.store.read_after(played.exercise_id, 0):
            if envelope.body.type not in REQUEST_EVENTS or view_for(viewer, envelope) is None:
                continue
            body = envelope.body.model_dump()
            if body["type"] == "statement_issued":
                continue
            named = {body.get(k) for k in ("requester", "provider", "to", "drafter")} | set(
                body.get("cosigners", ())
            )
            assert nation in named, (viewer, body["type"])


def test_the_entitlement_oracle_agrees_with_every_request_event_each_seat_received() -> None:
    from tests.leaks.entitlement import Oracle

    played = game()
    envelopes = played.store.read_after(played.exercise_id, 0)
    control = [view_for("white_cell", e) for e in envelopes]
    oracle = Oracle([c for c in control if c is not None])
    problems = list(oracle.problems)
    for viewer in VIEWERS:
        for seen_event, envelope in zip(oracle.events, envelopes, strict=True):
            if envelope.body.type in REQUEST_EVENTS:  # the fake core's pictures are an older log's
                problems += oracle.check_event(viewer, seen_event, view_for(viewer, envelope))
    assert problems == []
    assert sum(e["type"] in REQUEST_EVENTS for e in oracle.events) >= 10
    issued = [e for e in oracle.events if e["type"] == "statement_issued"]
    assert issued and all(oracle.may_see("observer", e["seq"]) for e in issued)
