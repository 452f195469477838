"""request_sharing_analysis: who may ask, when, for which variants; and how the analysis's
events change the state (ExerciseState.analyses)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.factories import FakeAdjudicator, make_created, run_command, service_at_move_2
from wargame.domain.analysis_commands import analysis_refusal, evolve_analysis
from wargame.domain.events import (
    SharingAnalysisCompleted,
    SharingAnalysisFailed,
    SharingAnalysisProgress,
    SharingAnalysisRequested,
)
from wargame.domain.sharing_analysis import (
    AS_PLAYED,
    NationOutcome,
    SharingAnalysisResult,
    SharingVariant,
    VariantOutcome,
)
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

EX = "ex-analysis"


def request(*variants: dict[str, Any], per_release: bool = True) -> dict[str, Any]:
    return {"type": "request_sharing_analysis", "variants": list(variants), "per_release": per_release}


@pytest.fixture
def service() -> ExerciseService:
    return service_at_move_2(EX, FakeAdjudicator())


def refused(svc: ExerciseService, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    before = svc.state(EX).model_dump_json()
    result = run_command(svc, EX, viewer, data)
    assert result["status"] == "rejected", result
    assert svc.state(EX).model_dump_json() == before
    return result


@pytest.mark.parametrize("viewer", ["team:USA", "team:JPN", "observer"])
def test_only_control_seats_ask_for_an_analysis(service: ExerciseService, viewer: str) -> None:
    result = refused(service, viewer, request())
    assert result["code"] == "forbidden"
    assert "facilitators and the white cell" in result["message"] or "observers" in result["message"]


@pytest.mark.parametrize("viewer", ["white_cell", "facilitator"])
def test_a_request_records_as_played_first_then_the_defaults(service: ExerciseService, viewer: str) -> None:
    seq = service.state(EX).last_seq
    assert run_command(service, EX, viewer, request())["status"] == "accepted"
    (event,) = service.store.read_after(EX, seq)
    body = event.body
    assert isinstance(body, SharingAnalysisRequested)
    assert [v.key for v in body.variants] == ["as_played", "all_full", "none", "no_review"]
    assert body.through_seq == seq and body.per_release
    assert event.audience == ("control",) and event.actor == viewer
    for team in ("team:USA", "team:GBR", "observer"):
        assert view_for(team, event) is None
    status = service.state(EX).analyses[body.analysis_id]
    assert (status.phase, status.requested_seq, status.through_seq) == ("requested", event.seq, seq)


def test_variants_asked_for_are_kept_once_in_order(service: ExerciseService) -> None:
    data = request({"kind": "none"}, {"kind": "as_played"}, {"kind": "withhold", "nation": "GBR"},
                   {"kind": "none"}, {"kind": "open", "nation": "JPN"}, per_release=False)
    assert run_command(service, EX, "facilitator", data)["status"] == "accepted"
    (status,) = service.state(EX).analyses.values()
    assert [v.key for v in status.variants] == ["as_played", "none", "withhold:GBR", "open:JPN"]
    assert status.per_release is False


@pytest.mark.parametrize(
    ("variant", "code", "words"),
    [
        ({"kind": "withhold", "nation": "FRA"}, "unknown_target", "FRA is not a played nation"),
        ({"kind": "open", "nation": "RED"}, "unknown_target", "RED is not a played nation"),
        ({"kind": "without_release", "product_id": "P-1"}, "invalid", "without_release is not requested"),
    ],
)
def test_bad_variants_are_refused_naming_what_is_wrong(
    service: ExerciseService, variant: dict[str, Any], code: str, words: str
) -> None:
    result = refused(service, "facilitator", request(variant))
    assert result["code"] == code and words in result["message"]


def test_a_variant_needs_exactly_its_arguments() -> None:
    with pytest.raises(ValidationError, match="a withhold variant needs nation"):
        SharingVariant(kind="withhold")
    with pytest.raises(ValidationError, match="a none variant takes no nation"):
        SharingVariant(kind="none", nation="USA")
    with pytest.raises(ValidationError, match="a without_release variant needs product_id"):
        SharingVariant(kind="without_release")
    assert SharingVariant(kind="open", nation="JPN").label == "JPN releases everything in full"


def test_nothing_to_analyse_before_the_start() -> None:
    svc = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    svc.create(EX, make_created())
    before = svc.state(EX).model_dump_json()
    result = run_command(svc, EX, "facilitator", request())
    assert (result["status"], result["code"]) == ("rejected", "wrong_phase")
    assert svc.state(EX).model_dump_json() == before


def test_an_analysis_may_be_asked_for_after_the_end_when_other_commands_are_refused(
    service: ExerciseService,
) -> None:
    for move in (2, 3):
        advance = {"type": "advance_move", "from_move": move}
        assert run_command(service, EX, "white_cell", advance)["status"] == "accepted"
    assert service.state(EX).phase == "ended"
    chat = run_command(service, EX, "facilitator", {"type": "post_chat", "channel": "control", "text": "x"})
    assert chat["code"] == "wrong_phase"
    assert run_command(service, EX, "facilitator", request())["status"] == "accepted"


def _result() -> SharingAnalysisResult:
    outcome = VariantOutcome(variant=AS_PLAYED, by_move={1: {"USA": NationOutcome(custody=3)}})
    return SharingAnalysisResult(through_seq=9, nations=("USA",), moves=(1,), exact=True, variants=(outcome,))


def test_progress_then_the_result_move_the_status_and_nothing_after_it(service: ExerciseService) -> None:
    run_command(service, EX, "facilitator", request())
    state = service.state(EX)
    (analysis_id,) = state.analyses
    progress = SharingAnalysisProgress(analysis_id=analysis_id, done=3, total=8, step="none: move 1")
    state = evolve_analysis(state, progress)
    status = state.analyses[analysis_id]
    assert (status.phase, status.done, status.total, status.step) == ("running", 3, 8, "none: move 1")
    assert analysis_refusal(state, analysis_id) is None
    done = evolve_analysis(state, SharingAnalysisCompleted(analysis_id=analysis_id, result=_result()))
    status = done.analyses[analysis_id]
    assert (status.phase, status.result_seq, status.done) == ("done", state.last_seq + 1, 8)
    assert analysis_refusal(done, analysis_id) == f"analysis {analysis_id!r} is already done"
    failed = evolve_analysis(state, SharingAnalysisFailed(analysis_id=analysis_id, reason="boom"))
    assert (failed.analyses[analysis_id].phase, failed.analyses[analysis_id].reason) == ("failed", "boom")
    assert analysis_refusal(state, "SA-none") == "no analysis 'SA-none' was requested"


def test_a_played_red_team_may_be_withheld_but_not_opened_to_the_coalition() -> None:
    nations = [
        {"id": "USA", "name": "United States", "groups": ["FVEY"]},
        {"id": "GBR", "name": "United Kingdom", "groups": ["FVEY"]},
        {"id": "JPN", "name": "Japan"},
        {"id": "RED", "name": "Red cell", "side": "red"},
    ]
    svc = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    svc.create(EX, make_created(nations=nations))
    assert run_command(svc, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    result = run_command(svc, EX, "facilitator", request({"kind": "open", "nation": "RED"}))
    assert (result["code"], result["message"]) == (
        "invalid", "variants: open RED: only a coalition nation (not red) releases to all"
    )
    withheld = run_command(svc, EX, "facilitator", request({"kind": "withhold", "nation": "RED"}))
    assert withheld["status"] == "accepted"
