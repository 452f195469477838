"""One-line summaries: every event type has one, and they read as sentences."""

from __future__ import annotations

from typing import get_args

import pytest

from wargame.aar.summaries import SUMMARISERS, actor_label, summarise
from wargame.domain.events import EventBody


def _event_types() -> set[str]:
    union = get_args(EventBody)[0]
    return {model.model_fields["type"].default for model in get_args(union)}


def test_every_event_type_has_a_summariser() -> None:
    assert _event_types() == set(SUMMARISERS)


@pytest.mark.parametrize("event_type", sorted(SUMMARISERS))
def test_summaries_survive_sparse_projected_bodies(event_type: str) -> None:
    sentence = summarise(event_type, "team:USA", {})
    assert sentence and "\n" not in sentence


def test_actor_labels() -> None:
    assert actor_label("team:GBR") == "GBR"
    assert actor_label("white_cell") == "White cell"
    assert actor_label("facilitator") == "Facilitator"


def test_status_change_as_seen_by_an_observer_nation() -> None:
    body = {"asset_id": "GBR-SAT-1", "owner": "GBR", "status": "degraded"}
    assert summarise("asset_status_changed", "white_cell", body, {"GBR-SAT-1": "SKYNET-5A"}) == (
        "SKYNET-5A is now degraded")


def test_status_change_with_cause_and_duration() -> None:
    body = {"asset_id": "X", "owner": "GBR", "status": "degraded", "cause": "uplink jamming",
            "until_move": 3}
    assert summarise("asset_status_changed", "white_cell", body) == (
        "X is now degraded (uplink jamming) until move 3")


def test_restore_and_irreversible_status_changes_read_as_sentences() -> None:
    restored = {"asset_id": "GBR-SAT-1", "owner": "GBR", "status": "nominal",
                "cause": "restored: operator regained the link"}
    assert summarise("asset_status_changed", "white_cell", restored, {"GBR-SAT-1": "SKYNET-5A"}) == (
        "White cell restored SKYNET-5A to nominal: operator regained the link")
    grappled = {"asset_id": "X", "owner": "GBR", "status": "disabled", "cause": "inject:INJ-9",
                "reversible": False}
    assert summarise("asset_status_changed", "white_cell", grappled) == (
        "X is now disabled (inject:INJ-9); irreversible")


def test_disclosure_reads_as_a_sentence() -> None:
    body = {"asset_id": "JPN-WX", "owner": "JPN", "status": "disabled", "until_move": None,
            "reason": "audit found a rogue session"}
    assert summarise("status_disclosed", "white_cell", body, {"JPN-WX": "Himawari-9"}) == (
        "White cell told JPN that Himawari-9 is disabled: audit found a rogue session")


def test_inject_resolved_and_chat_shown_whole() -> None:
    resolved = {"inject_id": "INJ-03", "outcome": "jammed", "p_success": 0.8, "succeeded": True}
    assert summarise("inject_resolved", "white_cell", resolved) == (
        "Inject INJ-03 succeeded (p=0.80): jammed")
    chat = {"sender": "USA", "channel": "coalition", "text": "x" * 200}
    assert summarise("chat_posted", "team:USA", chat) == "USA on coalition: " + "x" * 200


def test_unknown_type_falls_back() -> None:
    assert summarise("something_new", "team:USA", {}) == "USA: something new"


def test_manoeuvres_show_every_delta_v_component() -> None:
    along_only = {"kind": "manoeuvre", "asset_id": "GBR-SAT-1", "dv_m_per_s": 0.5, "purpose": "evasion"}
    names = {"GBR-SAT-1": "SKYNET-5A"}
    assert summarise("order_submitted", "team:GBR", {"nation": "GBR", "order": along_only}, names) == (
        "GBR ordered manoeuvre of SKYNET-5A by 0.5 m/s (evasion)")
    three = {**along_only, "dv_radial_m_per_s": -1.0, "dv_cross_track_m_per_s": 2.0}
    assert summarise("order_submitted", "team:GBR", {"nation": "GBR", "order": three}, names) == (
        "GBR ordered manoeuvre of SKYNET-5A by 0.5 m/s along-track, -1 m/s radial, 2 m/s cross-track "
        "(2.29 m/s in all) (evasion)")
    executed = {"asset_id": "GBR-SAT-1", "owner": "GBR", "dv_m_per_s": 0.0, "dv_cross_track_m_per_s": 3.0,
                "propellant_dv_m_per_s": 17.0}
    assert summarise("manoeuvre_executed", "white_cell", executed, names) == (
        "SKYNET-5A (GBR) manoeuvred by 0 m/s along-track, 0 m/s radial, 3 m/s cross-track "
        "(3 m/s in all); 17 m/s left")


def test_the_sharing_analysis_events_read_as_sentences() -> None:
    requested = {"analysis_id": "SA-1", "through_seq": 92, "per_release": True,
                 "variants": [{"kind": "as_played"}, {"kind": "withhold", "nation": "JPN"}]}
    assert summarise("sharing_analysis_requested", "facilitator", requested) == (
        "Facilitator requested value-of-sharing analysis SA-1 of the log up to seq 92: as_played, "
        "withhold JPN; and what each release bought"
    )
    progress = {"analysis_id": "SA-1", "done": 3, "total": 18, "step": "nobody shares: move 2"}
    assert summarise("sharing_analysis_progress", "facilitator", progress) == (
        "Value-of-sharing analysis SA-1: 3 of 18 moves re-adjudicated (nobody shares: move 2)"
    )
    done = {"analysis_id": "SA-1", "result": {"exact": False, "variants": [{}, {}]}}
    assert summarise("sharing_analysis_completed", "facilitator", done) == (
        "Value-of-sharing analysis SA-1 done: 2 variants; "
        "as played does NOT reproduce the recorded adjudication"
    )
    failed = {"analysis_id": "SA-1", "reason": "RuntimeError: boom"}
    assert summarise("sharing_analysis_failed", "white_cell", failed) == (
        "Value-of-sharing analysis SA-1 failed: RuntimeError: boom"
    )


def test_numbers_in_sentences_are_rounded_for_people() -> None:
    executed = {"asset_id": "X", "owner": "USA", "dv_m_per_s": 0.123456789,
                "propellant_dv_m_per_s": 109.45227744249483}
    assert summarise("manoeuvre_executed", "white_cell", executed) == (
        "X (USA) manoeuvred by 0.123 m/s; 109 m/s left")
    warning = {"nation": "JPN", "asset_id": "A", "other_id": "B", "miss_km": 0.15012345, "pc": 0.00123456}
    assert summarise("conjunction_warning", "white_cell", warning) == (
        "JPN warned of conjunction between A and B: miss 0.15 km, Pc 1.2e-03")
    assessed = {"nation": "GBR", "inject_id": "I", "warned": True, "warning_time_h": 5.98765,
                "likelihood_pct": 71.6, "likelihood_label": "likely", "confidence": "low"}
    assert summarise("threat_assessed", "white_cell", assessed) == (
        "GBR assessed inject I: likely (72 %), low confidence; warned 5.99 h ahead")


def test_response_orders_and_outcomes_read_as_sentences() -> None:
    from wargame.aar.summaries import summarise

    order = {"nation": "USA", "reason": "deter", "order": {
        "kind": "dime", "instrument": "military_posture", "target_nation": "RED", "text": "bombers forward"}}
    assert summarise("order_submitted", "team:USA", order) == (
        "USA ordered military posture against RED (\u201cbombers forward\u201d): deter"
    )
    safe = {"nation": "USA", "order": {"kind": "safe_mode", "asset_id": "usa-wgs-10", "enter": True}}
    assert summarise("order_submitted", "team:USA", safe) == "USA ordered safe mode on for usa-wgs-10"
    body = {"explanation": "evasion burn of 20 m/s by usa-isr-1 against i1: p 0.59 -> 0.12, it missed"}
    assert summarise("evasion_resolved", "white_cell", body) == body["explanation"]
    level = {"level": 2, "name": "persistent", "score": 2.5, "reasons": ["hostile effects reached level 2"]}
    assert summarise("escalation_changed", "white_cell", level) == (
        "Escalation level 2 (persistent), score 2.5: hostile effects reached level 2"
    )
