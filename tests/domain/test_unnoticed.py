"""An effect the owner does not notice stays hidden from its team until the white cell discloses it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UnnoticedAdjudicator, run_command, service_at_move_2
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, MoveAdvanced
from wargame.domain.evolve import evolve_body
from wargame.domain.state import OwnerBelief
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

EX = "ex-unnoticed"


def run(svc: ExerciseService, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    return run_command(svc, EX, viewer, data)


def disclose(asset_id: str, reason: str = "ground station audit found a rogue session") -> dict[str, Any]:
    return {"type": "disclose_status", "asset_id": asset_id, "reason": reason}


@pytest.fixture
def service() -> ExerciseService:
    """Move 2 is open; move 1 seized jpn-wx without JPN noticing."""
    return service_at_move_2(EX, UnnoticedAdjudicator())


def _own_asset(svc: ExerciseService, viewer: str, asset_id: str) -> dict[str, Any]:
    snapshot = view_for(viewer, svc.state(EX))
    assert snapshot is not None
    return next(a for a in snapshot["assets"] if a["id"] == asset_id)


def _delivered(svc: ExerciseService, viewer: str) -> list[dict[str, Any]]:
    events = svc.store.read_after(EX, 0)
    return [v for v in (view_for(viewer, e) for e in events) if v is not None]


def test_the_owner_sees_nominal_while_control_sees_the_truth(service: ExerciseService) -> None:
    truth = service.state(EX).assets["jpn-wx"]
    assert truth.status is AssetStatus.DISABLED
    assert truth.owner_belief == OwnerBelief(status=AssetStatus.NOMINAL)
    assert _own_asset(service, "team:JPN", "jpn-wx")["status"] == "nominal"
    control = _own_asset(service, "white_cell", "jpn-wx")
    assert control["status"] == "disabled" and control["owner_belief"]["status"] == "nominal"
    for viewer in ("team:JPN", "team:USA", "team:GBR", "observer"):
        assert not any("INJ-7" in str(e) for e in _delivered(service, viewer))


def test_only_the_white_cell_discloses(service: ExerciseService) -> None:
    for viewer in ("team:JPN", "team:USA", "facilitator", "observer"):
        before = service.state(EX).model_dump_json()
        result = run(service, viewer, disclose("jpn-wx"))
        assert (result["status"], result["code"]) == ("rejected", "forbidden")
        assert service.state(EX).model_dump_json() == before


def test_disclosure_tells_the_owner_only_and_once(service: ExerciseService) -> None:
    seq = service.state(EX).last_seq
    assert run(service, "white_cell", disclose("jpn-wx"))["status"] == "accepted"
    event, told = service.store.read_after(EX, seq)
    assert told.audience == ("control", "team:JPN")
    assert "disclosed its true status" in told.body.text  # type: ignore[union-attr]
    jpn = view_for("team:JPN", event)
    assert jpn is not None and jpn["type"] == "status_disclosed"
    assert jpn["body"] == {
        "type": "status_disclosed", "asset_id": "jpn-wx", "owner": "JPN", "status": "disabled",
        "until_move": None, "reason": "ground station audit found a rogue session",
    }
    assert view_for("team:USA", event) is None and view_for("observer", event) is None
    assert _own_asset(service, "team:JPN", "jpn-wx")["status"] == "disabled"
    assert service.state(EX).assets["jpn-wx"].owner_belief is None
    again = run(service, "white_cell", disclose("jpn-wx"))
    assert (again["status"], again["code"]) == ("rejected", "already_done")


@pytest.mark.parametrize(
    ("asset_id", "code", "named"),
    [("usa-sat", "already_done", "USA already knows"), ("nope", "unknown_target", "'nope'"),
     ("red-insp", "invalid", "no played owner")],
)
def test_refusals_name_the_problem(service: ExerciseService, asset_id: str, code: str, named: str) -> None:
    before = service.state(EX).model_dump_json()
    result = run(service, "white_cell", disclose(asset_id))
    assert (result["status"], result["code"]) == ("rejected", code) and named in result["message"]
    assert service.state(EX).model_dump_json() == before


def test_an_unnoticed_effect_that_ends_unnoticed_leaves_no_trace_for_the_owner(
    service: ExerciseService,
) -> None:
    state = service.state(EX)
    ended = AssetStatusChanged(
        asset_id="jpn-wx", owner="JPN", status=AssetStatus.NOMINAL, cause="recovered", noticed_by_owner=False
    )
    after = evolve_body(evolve_body(state, MoveAdvanced(move=3, scenario_time=state.move_start(3))), ended)
    assert after.assets["jpn-wx"].status is AssetStatus.NOMINAL
    assert after.assets["jpn-wx"].owner_belief is None


def test_a_believed_status_runs_its_course_in_the_owners_view(service: ExerciseService) -> None:
    """JPN knew of a jamming until move 2, then an unnoticed seizure replaced it: at move 3 JPN
    believes the jamming over, though the seizure goes on."""
    state = service.state(EX)
    believed = OwnerBelief(status=AssetStatus.DEGRADED, until_move=2)
    seized = state.assets["jpn-wx"].model_copy(update={"owner_belief": believed})
    state = state.model_copy(update={"assets": {**state.assets, "jpn-wx": seized}})
    view = view_for("team:JPN", state)
    assert view is not None
    assert [(a["status"], a["status_until_move"]) for a in view["assets"] if a["id"] == "jpn-wx"] == [
        ("degraded", 2)
    ]
    later = evolve_body(state, MoveAdvanced(move=3, scenario_time=state.move_start(3)))
    view = view_for("team:JPN", later)
    assert view is not None
    assert [(a["status"], a["status_until_move"]) for a in view["assets"] if a["id"] == "jpn-wx"] == [
        ("nominal", None)
    ]
    assert later.assets["jpn-wx"].status is AssetStatus.DISABLED
