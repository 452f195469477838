"""What the evaluator seat sees (view_for): exactly what a facilitator sees, ground truth and the
whole log with the evaluation; no team or observer ever sees the evaluation."""

from __future__ import annotations

import json
from typing import Any

from tests.protocol.test_view_fixtures import recorded
from wargame.domain.audience import Role, Seat, is_control_viewer
from wargame.server.presence import presence_view

EVALUATION = (
    "observation_recorded",
    "observation_edited",
    "observation_retracted",
    "rating_set",
    "strength_set",
    "afi_set",
    "improvement_item_set",
    "evaluation_item_removed",
)


def test_the_evaluator_sees_every_event_and_snapshot_as_the_facilitator_does() -> None:
    streams = recorded()["streams"]
    evaluator, facilitator = streams["evaluator"], streams["facilitator"]
    assert evaluator["events"] == facilitator["events"]
    for moment in ("start", "end"):
        assert evaluator[moment]["viewer"] == "evaluator"
        assert {**evaluator[moment], "viewer": "facilitator"} == facilitator[moment]
    end = evaluator["end"]
    assert end["kind"] == "control" and end["seq"] == evaluator["events"][-1]["pos"]
    assert any(entry.get("controller_notes") for entry in end["msel"])  # ground truth: the MSEL as written
    assert {c["channel"] for c in end["chat"]} >= {"control", "team:USA"}  # every channel, read-only


def test_the_evaluator_snapshot_holds_the_evaluation_as_recorded() -> None:
    end = recorded()["streams"]["evaluator"]["end"]
    evaluation = end["evaluation"]
    observations = list(evaluation["observations"].values())
    by_author = {o["author"]: o for o in observations}
    assert by_author["evaluator"]["author_member"] == "eva"
    assert (
        by_author["evaluator"]["task"],
        by_author["evaluator"]["rating"],
        by_author["evaluator"]["edits"],
    ) == (2, "M", 1)
    assert by_author["facilitator"]["retracted"] is True
    assert list(evaluation["ratings"]) == ["objective:obj-safety"]  # the capability's rating was cleared
    (afi,) = evaluation["afis"].values()
    assert (afi["revision"], afi["author_member"], afi["analysis"]) == (2, "eva", "Pc from catalog data")
    (item,) = evaluation["improvements"].values()
    assert (item["afi_id"], item["capability"], item["end_date"]) == (
        afi["afi_id"],
        "Spaceflight Safety",
        "2027-06-30",
    )
    (strength,) = evaluation["strengths"].values()
    assert strength["text"] == "USA released its tracks within the move"


def test_no_team_or_observer_receives_the_evaluation() -> None:
    streams = recorded()["streams"]
    for viewer in ("team:USA", "team:JPN", "observer"):
        stream = streams[viewer]
        assert not {e["event"]["type"] for e in stream["events"]} & set(EVALUATION), viewer
        text = json.dumps(stream)
        for marker in ("JPN assessed the conjunction", "Catalog-only Pc", "OBS-", "evaluation"):
            assert marker not in text, (viewer, marker)


def test_evaluators_see_as_control_but_are_not_control_seats() -> None:
    evaluator = Seat(role=Role.EVALUATOR, member="eva")
    assert evaluator.viewer == "evaluator" and is_control_viewer("evaluator")
    assert not evaluator.is_control  # no control chat, no white cell commands (decide.authorize)
    online = ["evaluator", "facilitator", "white_cell", "team:USA"]
    assert presence_view("evaluator", online) == sorted(online)
    assert presence_view("team:USA", online) == ["facilitator", "team:USA", "white_cell"]


def _types(stream: dict[str, Any]) -> set[str]:
    return {e["event"]["type"] for e in stream["events"]}


def test_the_recorded_game_holds_every_evaluation_event() -> None:
    assert set(EVALUATION) <= _types(recorded()["streams"]["evaluator"])
