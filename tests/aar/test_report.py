"""build_report: sections built from the log alone, and filtered by audience through view_for."""

from __future__ import annotations

import pytest

from tests.aar.game import CAPABILITY, CUSTODY, EXERCISE_ID, SECRET, START
from wargame.aar import build_report, export_json, timeline_filter
from wargame.domain.events import EventEnvelope


def _types(report: dict) -> list[str]:
    return [entry["type"] for entry in report["timeline"]]


def test_facilitator_timeline_holds_every_event_in_seq_order(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    seqs = [entry["seq"] for entry in report["timeline"]]
    assert seqs == list(range(1, len(events) + 1))
    assert len(report["timeline"]) == len(events) == report["exercise"]["event_count"]
    assert _types(report) == [e.body.type for e in events]
    assert all(entry["summary"] and "\n" not in entry["summary"] for entry in report["timeline"])


def test_exercise_section(events: list[EventEnvelope]) -> None:
    ex = build_report(events)["exercise"]
    assert ex["id"] == EXERCISE_ID
    assert ex["title"] == "Exercise | Pole Star"
    assert (ex["scenario_id"], ex["ruleset_id"], ex["seed"]) == ("aar-test", "mini", 42)
    assert ex["start_time"] == START.isoformat()
    assert ex["move_length_hours"] == 6.0
    assert (ex["moves_played"], ex["moves_planned"], ex["final_phase"]) == (2, 2, "ended")
    assert ex["first_event_at"] == events[0].at.isoformat()
    assert ex["last_event_at"] == events[-1].at.isoformat()
    assert ex["chain_ok"] is True and ex["chain_problems"] == []


def test_summaries_are_human_sentences(events: list[EventEnvelope]) -> None:
    summaries = [entry["summary"] for entry in build_report(events)["timeline"]]
    released = "USA released tracks at full, marked REL GBR: GBR from move 1"
    assert any(s.startswith(released) for s in summaries)
    assert "White cell released INJ-03 'Uplink jamming of SKYNET-5A' [NOFORN]" in summaries
    assert "White cell released INJ-01 'Crisis news' [PUBLIC]" in summaries
    assert ("GBR ordered manoeuvre of SKYNET-5A by 0.5 m/s (evasion): move away | from the jammer"
            in summaries)
    request = next(e.body.request_id for e in events if e.body.type == "tasking_requested")
    assert f"GBR accepted tasking request {request} from USA: radar has spare capacity" in summaries
    assert "Move 2 adjudicated: escalation level 2, 1 collision(s)" in summaries


def test_team_report_excludes_other_teams_events(events: list[EventEnvelope]) -> None:
    report = build_report(events, "team:USA")
    timeline = report["timeline"]
    assert 0 < len(timeline) < len(events)
    assert not [e for e in timeline if e["type"] == "order_submitted" and e["actor"] == "team:GBR"]
    assert [o["nation"] for o in report["decisions"]["orders"]] == ["USA"]
    assert "GBR internal chat" not in export_json(report)
    assert "INJ-03" not in {e["body"].get("inject", {}).get("id") for e in timeline}
    control_types = {"exercise_created", "move_adjudicated", "observation_recorded"}
    assert not control_types & set(_types(report))
    # What USA was entitled to: its tip, GBR's answer to its request, the public attribution.
    assert "INJ-02" in {e["body"].get("inject", {}).get("id") for e in timeline}
    assert report["decisions"]["tasking_answers"][0]["reason"] == "radar has spare capacity"
    assert report["decisions"]["attributions"][0]["statement"] == "attribute the jamming"
    assert report["exercise"]["seed"] is None and report["exercise"]["ruleset_id"] is None


@pytest.mark.parametrize("viewer", ["team:USA", "team:GBR", "team:FRA", "observer"])
def test_no_controller_notes_in_any_non_control_report(
    events: list[EventEnvelope], viewer: str
) -> None:
    text = export_json(build_report(events, viewer))
    assert "controller_notes" not in text
    assert SECRET not in text
    assert "expected_actions" not in text


def test_control_report_keeps_ground_truth(events: list[EventEnvelope]) -> None:
    assert SECRET in export_json(build_report(events, "white_cell"))


def test_observer_sees_only_public_events(events: list[EventEnvelope]) -> None:
    report = build_report(events, "observer")
    assert set(_types(report)) <= {"exercise_started", "move_closing", "move_advanced",
                                   "move_reopened", "inject_released", "attribution_published",
                                   "exercise_ended"}
    assert report["sharing"]["changes"] == []
    assert report["warnings"] == {}


def test_sharing_matrix_per_move(events: list[EventEnvelope]) -> None:
    sharing = build_report(events)["sharing"]
    move1, move2 = sharing["by_move"]
    assert (move1["move"], move2["move"]) == (1, 2)
    assert move1["matrix"]["USA"] == {"GBR": "full", "FRA": "withhold"}
    assert move1["matrix"]["GBR"] == {"USA": "full", "FRA": "degraded"}
    assert move1["matrix"]["FRA"] == {"USA": "withhold", "GBR": "withhold"}
    assert move2["matrix"]["USA"]["GBR"] == "withhold"
    assert move2["matrix"]["GBR"]["USA"] == "full"
    pairs = {tuple(p["pair"]): p["reciprocal"] for p in move1["reciprocity"]}
    assert pairs == {("FRA", "GBR"): False, ("FRA", "USA"): False, ("GBR", "USA"): True}
    assert move1["reciprocal_share"] == pytest.approx(1 / 3)
    assert move2["reciprocal_share"] == 0.0
    changes = [(c["move"], c["actor"], c["nation"], c["partner"], c["level"])
               for c in sharing["changes"]]
    assert changes == [(1, "team:USA", "USA", "GBR", "full"), (1, "team:GBR", "GBR", "USA", "full"),
                       (1, "team:GBR", "GBR", "FRA", "degraded"),
                       (2, "team:USA", "USA", "GBR", "withhold")]
    assert {c.get("product_id") is not None for c in sharing["changes"]} == {True}


def test_team_sharing_matrix_hides_pairs_it_cannot_know(events: list[EventEnvelope]) -> None:
    move1 = build_report(events, "team:USA")["sharing"]["by_move"][0]
    assert move1["matrix"]["GBR"] == {"USA": "full", "FRA": None}
    assert move1["matrix"]["USA"] == {"GBR": "full", "FRA": "withhold"}
    assert move1["reciprocal_share"] == 0.5


def test_metrics_carried_through(events: list[EventEnvelope]) -> None:
    rows = build_report(events)["metrics_by_move"]
    assert [r["move"] for r in rows] == [1, 2]
    for row in rows:
        assert row["adjudicated"] is True
        assert row["capability"] == CAPABILITY[row["move"]]
        assert row["custody"] == CUSTODY[row["move"]]
    assert [(r["escalation_level"], r["escalation_name"]) for r in rows] == [
        (1, "Grey zone"), (2, "Dazzling")]
    assert rows[0]["collisions"] == [] and rows[1]["collisions"] == [["USA-SAT-1", "RED-SAT-1"]]
    assert rows[0]["shared_products"]["GBR"] == {"USA": "full", "FRA": "degraded"}
    counts = [(r["injects_released"], r["orders"], r["sharing_changes"], r["chat_messages"])
              for r in rows]
    assert counts == [(2, 2, 3, 2), (1, 1, 1, 0)]


def test_team_metrics_have_counts_but_no_ground_truth(events: list[EventEnvelope]) -> None:
    rows = build_report(events, "team:USA")["metrics_by_move"]
    assert [(r["adjudicated"], r["capability"], r["escalation_level"]) for r in rows] == [
        (False, {}, None), (False, {}, None)]
    assert [(r["orders"], r["chat_messages"]) for r in rows] == [(1, 1), (0, 0)]


def test_decisions_with_reasons(events: list[EventEnvelope]) -> None:
    decisions = build_report(events)["decisions"]
    orders = [(o["nation"], o["kind"], o["reason"]) for o in decisions["orders"]]
    assert orders == [("GBR", "manoeuvre", "move away | from the jammer"),
                      ("USA", "tasking_request", "need custody of the inspector"),
                      ("GBR", "public_attribution", "attribute the jamming")]
    (answer,) = decisions["tasking_answers"]
    assert (answer["accepted"], answer["sensor_id"], answer["object_id"]) == (
        True, "GBR-RADAR", "RED-SAT-1")
    (attribution,) = decisions["attributions"]
    assert (attribution["accused"], attribution["likelihood"]) == ("RED", "likely")
    assert decisions["unanswered_taskings"] == []


def test_observations_grouped_by_objective(events: list[EventEnvelope]) -> None:
    observations = build_report(events)["observations"]
    assert [o["id"] for o in observations["objectives"]] == ["OBJ-1", "OBJ-2"]
    obj1, obj2 = observations["by_objective"]
    assert [(o["rating"], o["text"]) for o in obj1["observations"]] == [
        ("S", "USA and GBR shared quickly")]
    assert obj1["ratings"] == {"S": 1}
    assert obj2["observations"] == []
    assert [o["text"] for o in observations["unassigned"]] == ["General note"]


def test_warnings_per_nation(events: list[EventEnvelope]) -> None:
    warnings = build_report(events)["warnings"]
    assert warnings["USA"]["count"] == 1
    (conjunction,) = warnings["USA"]["conjunctions"]
    assert (conjunction["other_id"], conjunction["miss_km"], conjunction["move"]) == (
        "RED-SAT-1", 0.4, 1)
    assert warnings["GBR"]["count"] == 0
    assert set(build_report(events, "team:GBR")["warnings"]) == {"GBR"}


def test_chain_tampering_is_reported(events: list[EventEnvelope]) -> None:
    index = next(i for i, e in enumerate(events) if e.body.type == "order_submitted")
    original = events[index]
    tampered_body = original.body.model_copy(update={"reason": "a different story"})
    tampered = [*events[:index], original.model_copy(update={"body": tampered_body}),
                *events[index + 1:]]
    ex = build_report(tampered)["exercise"]
    assert ex["chain_ok"] is False
    assert any(f"seq {original.seq}" in p for p in ex["chain_problems"])
    assert build_report(events)["exercise"]["chain_ok"] is True


def test_report_up_to_a_move(events: list[EventEnvelope]) -> None:
    report = build_report(events, until_move=1)
    assert report["exercise"]["moves_played"] == 1
    assert report["exercise"]["final_phase"] == "running"
    assert report["exercise"]["chain_ok"] is True
    assert {e["move"] for e in report["timeline"]} == {0, 1}
    assert [r["move"] for r in report["metrics_by_move"]] == [1]


def test_events_out_of_order_are_sorted(events: list[EventEnvelope]) -> None:
    shuffled = list(reversed(events))
    assert build_report(shuffled) == build_report(events)


def test_empty_log_is_refused() -> None:
    with pytest.raises(ValueError):
        build_report([])


def test_timeline_filter(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    sharing = timeline_filter(report, types=["product_released"], move=1)
    assert [e["seq"] for e in sharing] == [c["seq"] for c in report["sharing"]["changes"][:3]]
    assert all(e["actor"] == "team:GBR" for e in timeline_filter(report, actor="team:GBR"))


def test_sensor_status_changes_read_with_the_sensor_name() -> None:
    from tests.factories import EffectsAdjudicator, service_at_move_2

    service = service_at_move_2("ex-aar-sensor", EffectsAdjudicator())
    log = service.store.read_after("ex-aar-sensor", 0)
    for viewer in ("team:GBR", "facilitator"):
        summaries = [e["summary"] for e in build_report(log, viewer)["timeline"]]
        assert "Fylingdales is now disabled (inject:INJ-S) until move 3" in summaries
    assert not any("Fylingdales is now" in e["summary"] for e in build_report(log, "team:USA")["timeline"])
