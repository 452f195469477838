"""The analysis as a use case on the tutorial played to the end: a request launches it, its
progress and result are recorded once in the log (control only), the AAR shows its tables."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from tests.aar.tutorial_game import EXERCISE, FACILITATOR, play, played
from wargame.aar import build_report, export_markdown
from wargame.aar.sharing_analysis import analyse
from wargame.adjudication.counterfactual import CounterfactualError
from wargame.domain.background import EMPTY_CATALOG
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventEnvelope
from wargame.domain.sharing_analysis import AS_PLAYED, SharingAnalysisResult, SharingVariant
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService
from wargame.services.sharing_analysis import AnalysisPool, AnalysisRunner, analyses_view

REQUEST = {"type": "request_sharing_analysis", "per_release": False}


def ask(service: ExerciseService, command_id: str, data: dict[str, Any] = REQUEST) -> tuple[str, list[str]]:
    """Request an analysis as the facilitator; returns its id and what was launched."""
    launched: list[str] = []
    service.launch_analysis = lambda exercise, analysis: launched.append(f"{exercise}/{analysis}")
    command = command_adapter.validate_python(data)
    result, events = service.handle_events(EXERCISE, FACILITATOR, command_id, command)
    assert result["status"] == "accepted", result
    (event,) = events
    analysis_id = str(event.body.analysis_id)
    return analysis_id, launched


@cache
def recorded() -> tuple[ExerciseService, str, str, list[EventEnvelope]]:
    """A tutorial game, an analysis requested after its end and run to its result."""
    service = play()
    before = service.state(EXERCISE).last_seq
    analysis_id, launched = ask(service, "sharing-1")
    assert launched == [f"{EXERCISE}/{analysis_id}"]
    phase = AnalysisRunner(service, progress_every_s=0.0).run(EXERCISE, analysis_id)
    return service, analysis_id, phase, service.store.read_after(EXERCISE, before)


def test_progress_then_the_result_are_recorded_for_control_seats_only() -> None:
    service, analysis_id, phase, events = recorded()
    assert phase == "done"
    types = [e.body.type for e in events]
    assert types[0] == "sharing_analysis_requested" and types[-1] == "sharing_analysis_completed"
    progress = [e.body for e in events if e.body.type == "sharing_analysis_progress"]
    # as played: the start and 4 moves; everyone in full: 5; nobody and no review from move 1: 4 each
    assert [(p.done, p.total) for p in progress] == [(k, 18) for k in range(1, 19)]
    assert progress[0].step == "as played: the start" and progress[-1].step == "no disclosure review: move 4"
    for event in events:
        assert event.audience == ("control",) and event.actor == "facilitator"
        assert all(view_for(v, event) is None for v in ("team:USA", "team:GBR", "team:JPN", "observer"))
        assert view_for("white_cell", event) is not None
    status = service.state(EXERCISE).analyses[analysis_id]
    assert (status.phase, status.result_seq, status.done, status.total) == ("done", events[-1].seq, 18, 18)


def test_running_it_again_records_nothing() -> None:
    service, analysis_id, _, _ = recorded()
    seq = service.state(EXERCISE).last_seq
    assert AnalysisRunner(service).run(EXERCISE, analysis_id) == "skipped"
    assert AnalysisRunner(service).run(EXERCISE, "SA-unknown") == "skipped"
    assert service.state(EXERCISE).last_seq == seq


def test_the_control_aar_shows_the_tables_and_a_team_s_has_none() -> None:
    service, analysis_id, _, _ = recorded()
    events = service.store.read_after(EXERCISE, 0)
    report = build_report(events, "facilitator")
    section = report["sharing_value"]
    latest = section["latest"]
    assert latest["analysis_id"] == analysis_id and latest["exact"] is True
    assert [a["phase"] for a in section["analyses"]] == ["done"]
    assert [v["key"] for v in latest["variants"]] == ["as_played", "all_full", "none", "no_review"]
    precise = {k: {n: row["precise_custody"] for n, row in latest["totals"][k].items()}
               for k in ("all_full", "none", "no_review")}
    assert precise == {"all_full": {"USA": 1, "GBR": 36, "JPN": 40},
                       "none": {"USA": -15, "GBR": -32, "JPN": -4},
                       "no_review": {"USA": 1, "GBR": 0, "JPN": 2}}
    assert latest["deltas"]["none"]["2"]["GBR"]["warning_hours"] == pytest.approx(1.23 - 9.73, abs=0.01)
    assert latest["review_cost"]["JPN"]["assessments_received"] == 1
    assert build_report(events, "team:GBR")["sharing_value"] is None
    timeline = [t for t in report["timeline"] if t["type"] == "sharing_analysis_completed"]
    assert timeline[0]["body"] == {"analysis_id": analysis_id, "exact": True, "variants": 4}
    assert "as played reproduces the recorded adjudication" in timeline[0]["summary"]

    text = export_markdown(report)
    assert "## Value of sharing" in text
    assert "as played reproduces the recorded adjudication exactly: yes" in text
    # Nobody sharing: GBR loses 32 precise track-moves, the inspector's close approach on JPN's
    # satellite (not assessed at all), and 16.8 h of warning; its likelihoods stay the same.
    assert "| nobody shares | GBR | -1 | -32 | -1 | -1 | -16.8 | 0 | 0 | 0 | -1 |" in text
    row = "| 2 | GBR | 28 (-1) | 12 (-16) | 1 (-1) | 1 (-1) | 1.2 (-8.5) | 25 (0) | 0 (0) | 0 (0) | 0 (-1) |"
    assert row in text
    assert "### What the disclosure review cost (no review minus as played)" in text
    assert "Value of sharing" not in export_markdown(build_report(events, "team:GBR"))


def test_the_control_view_lists_the_analyses_and_the_latest_tables() -> None:
    service, analysis_id, _, _ = recorded()
    view = analyses_view(service, EXERCISE)
    assert [(a["analysis_id"], a["phase"]) for a in view["analyses"]] == [(analysis_id, "done")]
    assert view["latest"]["totals"]["none"]["GBR"]["precise_custody"] == -32
    assert view["nations"] == ["USA", "GBR", "JPN"]


def test_a_failed_analysis_is_recorded_with_why() -> None:
    service, _, _, _ = recorded()
    analysis_id, _ = ask(service, "sharing-fails")

    def broken(*args: Any) -> Any:
        raise RuntimeError("the core ran out of memory")

    assert AnalysisRunner(service, broken).run(EXERCISE, analysis_id) == "failed"
    status = service.state(EXERCISE).analyses[analysis_id]
    assert (status.phase, status.reason) == ("failed", "RuntimeError: the core ran out of memory")
    (last,) = service.store.read_after(EXERCISE, service.state(EXERCISE).last_seq - 1)
    assert last.body.type == "sharing_analysis_failed"
    assert analyses_view(service, EXERCISE)["latest"]["analysis_id"] != analysis_id


def test_the_analysis_of_a_log_from_before_move_closings_is_refused_with_why() -> None:
    service, _, _, _ = recorded()
    events = [e for e in service.store.read_after(EXERCISE, 0) if e.body.type != "move_closing"]
    with pytest.raises(CounterfactualError, match="before move closings and cannot be re-adjudicated"):
        analyse(events, [AS_PLAYED], EMPTY_CATALOG)


def _without_timings(result: SharingAnalysisResult) -> dict[str, Any]:
    data = result.model_dump(mode="json", exclude={"seconds"})
    for variant in data["variants"]:
        variant.pop("seconds")
    return data


def test_the_analysis_process_gives_what_the_analysis_gives_here_and_relays_its_progress() -> None:
    _, events = played()
    variants = [AS_PLAYED, SharingVariant(kind="none")]
    here = analyse(events, variants, EMPTY_CATALOG)
    relayed: list[tuple[int, int, str]] = []
    pool = AnalysisPool(1)
    try:
        there = pool(events, variants, EMPTY_CATALOG, lambda d, t, s: relayed.append((d, t, s)))
    finally:
        pool.shutdown()
    assert there.exact and _without_timings(there) == _without_timings(here)
    assert [(d, t) for d, t, _ in relayed] == [(k, 9) for k in range(1, 10)]
    assert relayed[-1][2] == "nobody shares: move 4"
