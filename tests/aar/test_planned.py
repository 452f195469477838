"""Planned versus actual on the tutorial played to its end: each MSEL inject's planned and actual
release, recipients, the teams' responses with their times, and expected actions checked."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from wargame.aar import build_report, export_json
from wargame.aar.planned import expected_kinds, subject_nations
from wargame.domain.events import EventEnvelope
from wargame.scenario import find_scenario, load_scenario_parts

MSEL_ORDER = [f"inj-00{n}" for n in range(1, 10)]


@pytest.fixture(scope="module")
def rows(tutorial_events: list[EventEnvelope]) -> dict[str, dict]:
    report = build_report(tutorial_events, "facilitator")
    assert [r["inject_id"] for r in report["planned_vs_actual"]] == MSEL_ORDER
    return {r["inject_id"]: r for r in report["planned_vs_actual"]}


def _seq_of(events: list[EventEnvelope], kind: str, nation: str, move: int) -> EventEnvelope:
    return next(e for e in events if e.body.type == "order_submitted" and e.body.nation == nation
                and e.body.order.kind == kind and e.move == move)


def test_planned_and_actual_release_of_each_inject(
    rows: dict[str, dict], tutorial_events: list[EventEnvelope]
) -> None:
    scenario, _ = load_scenario_parts(find_scenario("tutorial"))
    for inject in scenario.msel:
        row = rows[inject.id]
        planned = scenario.start_time + timedelta(
            hours=(inject.move - 1) * scenario.move_length_hours + inject.offset_hours)
        assert row["planned_move"] == inject.move
        assert datetime.fromisoformat(row["planned_scenario_time"]) == planned
        assert row["expected"] and [x["text"] for x in row["expected"]] == list(inject.expected_actions)
        assert row["objectives"] == list(inject.objectives)
        released = next(e for e in tutorial_events
                        if e.body.type == "inject_released" and e.body.inject.id == inject.id)
        assert (row["released_seq"], row["released_move"]) == (released.seq, released.move)
        assert row["released_at"] == released.at.isoformat()
        assert row["moves_late"] == 0
    assert rows["inj-009"]["contingency"] is True and rows["inj-009"]["trigger"] == "manual"
    assert rows["inj-002"]["planned_scenario_time"] == "2027-03-01T02:00:00+00:00"


def test_recipients_come_from_the_release(rows: dict[str, dict]) -> None:
    assert rows["inj-001"]["recipients"] == ["USA", "GBR", "JPN"]  # PUBLIC: every played nation
    assert rows["inj-002"]["recipients"] == ["USA", "JPN"]
    assert rows["inj-003"]["recipients"] == ["GBR"]
    assert rows["inj-009"]["recipients"] == ["USA"]


def test_responses_and_time_to_the_first(rows: dict[str, dict], tutorial_events: list[EventEnvelope]) -> None:
    by_seq = {e.seq: e for e in tutorial_events}
    anti_jam = _seq_of(tutorial_events, "anti_jam", "GBR", 2)
    row = rows["inj-003"]
    assert row["first_response"]["seq"] == anti_jam.seq
    assert row["first_response"]["kind"] == "order:anti_jam"
    released = by_seq[row["released_seq"]]
    assert row["seconds_to_first_response"] == (anti_jam.at - released.at).total_seconds() > 0
    # GBR's attribution of inj-003 in move 4 names it, so it counts though made two moves later.
    kinds = [(r["move"], r["kind"]) for r in row["responses"]]
    assert kinds == [(2, "order:anti_jam"), (2, "product_released"), (4, "order:public_attribution"),
                     (4, "attribution_published")]
    assert all(r["nation"] == "GBR" for r in row["responses"])
    # Only recipients' actions: USA's anti-jam in move 3 answers inj-009 (USA) but not inj-006 (GBR).
    usa_anti_jam = _seq_of(tutorial_events, "anti_jam", "USA", 3).seq
    assert usa_anti_jam in [r["seq"] for r in rows["inj-009"]["responses"]]
    assert usa_anti_jam not in [r["seq"] for r in rows["inj-006"]["responses"]]
    assert [r["kind"] for r in rows["inj-006"]["responses"]] == ["chat_posted"]
    chat = rows["inj-006"]["responses"][0]["summary"]
    assert chat.endswith("likely a laser, close shutters there")


def test_expected_actions_checked_against_what_was_done(
    rows: dict[str, dict], tutorial_events: list[EventEnvelope]
) -> None:
    tasking = _seq_of(tutorial_events, "tasking_request", "JPN", 1).seq
    manoeuvre = _seq_of(tutorial_events, "manoeuvre", "JPN", 1).seq
    request, decide = rows["inj-002"]["expected"]
    assert (request["nations"], request["kinds"], request["done"]) == (["JPN"], ["tasking_request"], True)
    assert request["matched_seqs"] == [tasking]
    assert (decide["kinds"], decide["done"], decide["matched_seqs"]) == (["manoeuvre"], True, [manoeuvre])
    ask, share, reposition = rows["inj-004"]["expected"]
    assert ask["done"] is True
    assert (share["kinds"], share["done"]) == (["sharing"], False)  # nobody shared custody at REL CSPO
    assert (reposition["kinds"], reposition["done"]) == (["manoeuvre"], False)
    storm = rows["inj-005"]["expected"]
    assert [x["done"] for x in storm] == [None, None]  # judged by people, not the log
    assert [x["done"] for x in rows["inj-003"]["expected"]] == [True, True]
    assert rows["inj-006"]["expected"][0]["kinds"] == ["warning"]
    assert rows["inj-006"]["expected"][0]["done"] is True  # GBR's bilateral warning to USA


def test_a_report_up_to_move_two_lists_later_injects_as_not_released(
    tutorial_events: list[EventEnvelope],
) -> None:
    rows = {r["inject_id"]: r for r in build_report(tutorial_events, "facilitator", until_move=2)
            ["planned_vs_actual"]}
    assert set(rows) == set(MSEL_ORDER)
    later = rows["inj-007"]
    assert (later["released"], later["released_seq"], later["responses"]) == (False, None, [])
    assert [x["done"] for x in later["expected"]] == [None, None]
    assert rows["inj-003"]["released"] is True


def test_a_team_sees_only_its_injects_and_its_own_responses(tutorial_events: list[EventEnvelope]) -> None:
    report = build_report(tutorial_events, "team:JPN")
    rows = report["planned_vs_actual"]
    assert [r["inject_id"] for r in rows] == ["inj-001", "inj-002", "inj-004", "inj-005", "inj-008"]
    for row in rows:
        assert row["recipients"] == ["JPN"]
        assert (row["planned_move"], row["planned_scenario_time"], row["expected"]) == (None, None, [])
        assert {r["nation"] for r in row["responses"]} <= {"JPN"}
    assert [r["kind"] for r in rows[1]["responses"]] == [
        "order:tasking_request", "order:manoeuvre", "inject_forwarded", "chat_posted"]
    text = export_json(report)
    assert "expected_actions" not in text and "Reward JPN" not in text  # controller notes


@pytest.mark.parametrize(("text", "kinds"), [
    ("JPN requests a tasked track from a partner sensor", ["tasking_request"]),
    ("Review national space order of battle and sensor tasking", []),
    ("GBR switches Skynet 5D to anti-jam mode or moves users to allied SATCOM", ["anti_jam"]),
    ("USA sanitises and releases a warning to JPN", ["sharing", "forward"]),
    ("GBR assesses cause and warns partners with ISR over the same area", ["warning"]),
    ("Coalition coordinates a joint statement", ["attribution", "chat"]),
    ("Teams distinguish storm effects from hostile interference", []),
])
def test_expected_kinds(text: str, kinds: list[str]) -> None:
    assert expected_kinds(text) == kinds


def test_subject_nations() -> None:
    played = ["USA", "GBR", "JPN", "FRA", "DEU"]
    assert subject_nations("FRA and DEU decide whether to release the CDM", played) == ["FRA", "DEU"]
    assert subject_nations("USA asks GBR/JPN for capacity", played) == ["USA"]
    assert subject_nations("Partners share custody of RED-INSPECTOR-1 at REL CSPO", played) == []


def test_an_ad_hoc_inject_follows_the_msel_rows() -> None:
    from wargame.aar.planned import planned_vs_actual

    def event(seq: int, kind: str, actor: str, body: dict, at: str) -> dict:
        return {"seq": seq, "move": 1, "at": at, "scenario_time": "2027-03-01T00:00:00+00:00",
                "actor": actor, "type": kind, "body": body, "audience": ["control", "team:USA"]}

    msel = [{"id": "inj-1", "serial": 1, "title": "Planned", "move": 2, "offset_hours": 1.5,
             "trigger": "time", "expected_actions": ["USA switches to anti-jam"]}]
    visible = [
        event(5, "inject_released", "white_cell",
              {"inject": {"id": "adhoc-1", "title": "Spoofing report", "type": "message"}, "adhoc": True},
              "2026-12-07T10:00:00+00:00"),
        event(6, "chat_posted", "team:USA", {"sender": "USA", "channel": "team", "text": "seen"},
              "2026-12-07T10:02:30+00:00"),
    ]
    rows = planned_vs_actual(visible, msel, played=["USA", "GBR"], viewer_nation=None,
                             start_time="2027-03-01T00:00:00+00:00", move_length_h=6.0)
    assert [r["inject_id"] for r in rows] == ["inj-1", "adhoc-1"]
    planned, adhoc = rows
    assert planned["planned_scenario_time"] == "2027-03-01T07:30:00+00:00"
    assert (planned["released"], planned["expected"][0]["done"]) == (False, None)
    assert (adhoc["adhoc"], adhoc["planned_move"], adhoc["recipients"]) == (True, None, ["USA"])
    assert adhoc["seconds_to_first_response"] == 150.0
    assert adhoc["first_response"]["kind"] == "chat_posted"
