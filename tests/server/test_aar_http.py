"""GET /api/aar and /api/timeline: control reads any seat's projected report, a seat its own only;
the timeline a seat gets is exactly that seat's projected timeline, grouped."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests.conftest import LiveExercise
from tests.server.wsclient import Client
from wargame.aar import build_report
from wargame.domain.audience import can_see

pytestmark = [pytest.mark.integration]

CONTROL_ONLY = {"exercise_created", "inject_resolved", "move_adjudicated", "debris_created"}


async def get(token: str, path: str) -> tuple[int, Any]:
    from django.test import AsyncClient

    response = await AsyncClient().get(path, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, json.loads(response.content.decode())


async def _ok(token: str, command: dict[str, Any]) -> None:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    await client.close()


def _log(exercise_id: str) -> tuple[list[Any], list[str]]:
    from wargame.server.runtime import get_service

    service = get_service()
    events = list(service.store.read_after(exercise_id, 0))
    notes = [i.controller_notes for i in service.state(exercise_id).scenario.msel if i.controller_notes]
    return events, notes


def _report(exercise_id: str, viewer: str) -> dict[str, Any]:
    from wargame.server.runtime import get_service

    service = get_service()
    report = build_report(service.store.read_after(exercise_id, 0), viewer, catalogs=service.catalog)
    parsed: dict[str, Any] = json.loads(json.dumps(report))
    return parsed


def members(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for g in answer["groups"] for m in g["members"]]


async def test_control_reads_any_seats_view_and_a_team_only_its_own(tutorial_exercise: LiveExercise) -> None:
    tokens, exercise_id = tutorial_exercise.tokens, tutorial_exercise.exercise_id
    await _ok(tokens["white_cell"], {"type": "start_exercise"})
    await _ok(tokens["white_cell"], {"type": "advance_move", "from_move": 1})
    events, notes = await sync_to_async(_log)(exercise_id)
    jpn_report = await sync_to_async(_report)(exercise_id, "team:JPN")
    sent_to_jpn = [e for e in events if can_see(e.audience, "team:JPN")]

    # The facilitator asking for JPN gets exactly JPN's projected timeline, grouped.
    status, answer = await get(tokens["facilitator"], "/api/timeline?viewer=team:JPN")
    assert status == 200 and answer["viewer"] == "team:JPN"
    assert members(answer) == jpn_report["timeline"]
    assert answer["event_count"] == answer["matched"] == len(sent_to_jpn) > 0
    # JPN asking for its own gets the same; nothing control-only, no controller notes.
    status, own = await get(tokens["team:JPN"], "/api/timeline")
    assert status == 200 and own["groups"] == answer["groups"]
    assert not CONTROL_ONLY & {m["type"] for m in members(own)}
    text = json.dumps(own)
    assert notes and not any(note in text for note in notes)
    # The AAR itself, JSON, as JPN saw it: the same report either way.
    status, aar = await get(tokens["facilitator"], "/api/aar?format=json&viewer=team:JPN")
    assert status == 200 and aar == jpn_report and aar["viewer"] == "team:JPN"
    status, aar_own = await get(tokens["team:JPN"], "/api/aar?format=json")
    assert status == 200 and aar_own == jpn_report

    # Without a viewer the facilitator reads ground truth: control-only events included.
    status, truth = await get(tokens["facilitator"], "/api/timeline")
    assert status == 200 and truth["viewer"] == "facilitator"
    assert len(members(truth)) == truth["event_count"] == len(events)
    assert {"exercise_created", "move_adjudicated"} <= set(truth["types"])
    pictures = [g for g in truth["groups"] if g["type"] == "picture_updated"]
    assert [(g["count"], g["move_first"]) for g in pictures] == [(3, 1), (3, 1)]
    assert pictures[0]["summary"].startswith("3 pictures updated, move 1: ")

    # A team asking for another team, or for ground truth, is refused; a name not a seat is 400.
    for path in ("/api/timeline?viewer=team:USA", "/api/aar?format=json&viewer=team:USA",
                 "/api/aar?format=md&viewer=facilitator", "/api/timeline?viewer=white_cell"):
        status, refused = await get(tokens["team:JPN"], path)
        assert (status, refused["code"]) == (403, "forbidden"), path
        assert "its own report only" in refused["message"]
    status, refused = await get(tokens["facilitator"], "/api/timeline?viewer=team:RED")
    assert (status, refused["code"]) == (400, "bad_request")
    assert "team:JPN" in refused["message"] and "'team:RED'" in refused["message"]
    status, refused = await get(tokens["facilitator"], "/api/timeline?move=two")
    assert (status, refused["code"]) == (400, "bad_request")


async def test_the_timeline_filters_before_it_groups(tutorial_exercise: LiveExercise) -> None:
    tokens, exercise_id = tutorial_exercise.tokens, tutorial_exercise.exercise_id
    await _ok(tokens["white_cell"], {"type": "start_exercise"})
    await _ok(tokens["white_cell"], {"type": "advance_move", "from_move": 1})
    report = await sync_to_async(_report)(exercise_id, "facilitator")

    status, answer = await get(tokens["white_cell"], "/api/timeline?type=picture_updated&move=1")
    expected = [e for e in report["timeline"] if e["type"] == "picture_updated" and e["move"] == 1]
    assert status == 200 and members(answer) == expected and answer["matched"] == len(expected)
    assert answer["event_count"] == len(report["timeline"])  # what the filters choose from
    assert answer["moves"] == sorted({e["move"] for e in report["timeline"]})

    status, answer = await get(tokens["facilitator"], "/api/timeline?actor=white_cell&viewer=observer")
    assert status == 200 and answer["viewer"] == "observer"
    assert {m["actor"] for m in members(answer)} <= {"white_cell"}
    status, own = await get(tokens["observer"], "/api/timeline?actor=white_cell")
    assert status == 200 and own["groups"] == answer["groups"]
