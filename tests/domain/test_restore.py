"""restore_asset: the white cell returns an asset to nominal, only from a reversible status."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from tests.factories import EffectsAdjudicator, command, make_created, run_command, service_at_move_2
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, EventEnvelope
from wargame.eventlog.chain import GENESIS_HASH, event_hash, verify_chain
from wargame.eventlog.replay import state_from_snapshot, state_to_snapshot
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

EX = "ex-restore"

def run(svc: ExerciseService, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    return run_command(svc, EX, viewer, data)


def restore(asset_id: str, reason: str = "operator regained the link") -> dict[str, Any]:
    return {"type": "restore_asset", "asset_id": asset_id, "reason": reason}


@pytest.fixture
def service() -> ExerciseService:
    """Move 2 is open; move 1 left usa-sat degraded, usa-isr disabled for good, gbr-sat destroyed."""
    return service_at_move_2(EX, EffectsAdjudicator())


def refused(svc: ExerciseService, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    """Run a command that must be refused, and check that nothing changed."""
    before = svc.state(EX).model_dump_json()
    result = run(svc, viewer, data)
    assert result["status"] == "rejected", result
    assert svc.state(EX).model_dump_json() == before
    assert result["current_seq"] == svc.state(EX).last_seq
    return result


def test_the_fold_records_status_reversibility_and_observers(service: ExerciseService) -> None:
    assets = service.state(EX).assets
    assert (assets["usa-sat"].status_reversible, assets["usa-sat"].status_observers) == (True, ("GBR",))
    assert (assets["usa-isr"].status_reversible, assets["usa-isr"].cause) == (False, "inject:INJ-9")
    assert assets["gbr-sat"].status_reversible is False
    assert assets["jpn-wx"].status_reversible is True


@pytest.mark.parametrize("viewer", ["team:USA", "team:GBR", "facilitator", "observer"])
def test_only_the_white_cell_restores(service: ExerciseService, viewer: str) -> None:
    result = refused(service, viewer, restore("usa-sat"))
    assert result["code"] == "forbidden"
    # The same structured refusal as the other white cell commands give.
    other = refused(service, viewer, {"type": "release_inject", "inject_id": "INJ-1"})
    assert other["code"] == "forbidden"
    if viewer != "observer":
        assert result["message"] == "restore_asset is a white cell command"


def test_unknown_asset_is_named(service: ExerciseService) -> None:
    result = refused(service, "white_cell", restore("no-such-sat"))
    assert result["code"] == "unknown_target" and "'no-such-sat'" in result["message"]


def test_a_nominal_asset_is_refused(service: ExerciseService) -> None:
    result = refused(service, "white_cell", restore("jpn-wx"))
    assert result["code"] == "already_done" and "nominal" in result["message"]


def test_an_irreversible_status_is_refused_with_its_cause(service: ExerciseService) -> None:
    result = refused(service, "white_cell", restore("usa-isr"))
    assert result["code"] == "invalid"
    assert "irreversible" in result["message"] and "inject:INJ-9" in result["message"]


def test_a_destroyed_asset_is_refused(service: ExerciseService) -> None:
    result = refused(service, "white_cell", restore("gbr-sat"))
    assert result["code"] == "invalid"
    assert "destroyed" in result["message"] and "irreversible" in result["message"]
    assert "inject:INJ-8" in result["message"]


def test_phase_rules() -> None:
    svc = ExerciseService(MemoryEventStore(), EffectsAdjudicator())
    svc.create(EX, make_created())
    assert refused(svc, "white_cell", restore("usa-sat"))["code"] == "wrong_phase"  # setup
    run(svc, "white_cell", {"type": "start_exercise"})
    run(svc, "white_cell", {"type": "advance_move", "from_move": 1})
    run(svc, "white_cell", {"type": "pause_exercise", "reason": "lunch"})
    assert run(svc, "white_cell", restore("usa-sat"))["status"] == "accepted"  # paused is fine
    run(svc, "white_cell", {"type": "end_exercise"})
    assert refused(svc, "white_cell", restore("usa-sat"))["code"] == "wrong_phase"


def test_a_reason_is_required() -> None:
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            command(restore("usa-sat", reason))
    with pytest.raises(ValidationError):
        command({"type": "restore_asset", "asset_id": "usa-sat"})
    with pytest.raises(ValidationError):
        command(restore("usa-sat", "x" * 191))
    assert command(restore("usa-sat", "x" * 190))


def test_restore_records_one_nominal_status_change(service: ExerciseService) -> None:
    seq = service.state(EX).last_seq
    result = run(service, "white_cell", restore("usa-sat", "  operator regained the link "))
    assert result["status"] == "accepted" and result["seqs"] == [seq + 1, seq + 2, seq + 3]
    event, *told = service.store.read_after(EX, seq)
    spec = service.state(EX).scenario.object("usa-sat")
    assert spec is not None
    assert [(e.body.nation, e.body.text) for e in told] == [  # type: ignore[union-attr]
        ("USA", f"{spec.name}: nominal (restored by exercise control)"),
        ("GBR", f"USA {spec.name}: observed nominal (your SSA picture)"),
    ]
    assert event.actor == "white_cell"
    assert event.body == AssetStatusChanged(
        asset_id="usa-sat",
        owner="USA",
        status=AssetStatus.NOMINAL,
        until_move=None,
        cause="restored: operator regained the link",
        observers=("GBR",),
    )
    assert event.body.reversible is True and event.body.inject_id is None
    # Owner's team, control (white cell and facilitator), and the nations that saw the effect.
    assert event.audience == ("control", "team:USA", "team:GBR")
    assert view_for("team:JPN", event) is None and view_for("observer", event) is None
    gbr = view_for("team:GBR", event)
    assert gbr is not None and gbr["body"] == {"asset_id": "usa-sat", "owner": "USA", "status": "nominal"}
    usa = view_for("team:USA", event)
    assert usa is not None and usa["body"]["cause"] == "restored: operator regained the link"
    asset = service.state(EX).assets["usa-sat"]
    assert (asset.status, asset.status_until_move, asset.cause) == (AssetStatus.NOMINAL, None, None)
    assert (asset.status_reversible, asset.status_observers) == (True, ())
    assert refused(service, "white_cell", restore("usa-sat"))["code"] == "already_done"


def test_snapshots_keep_reversibility_and_old_snapshots_load(service: ExerciseService) -> None:
    state = service.state(EX)
    assert state_from_snapshot(state_to_snapshot(state), state.scenario, state.ruleset) == state
    old = state.model_dump(mode="json")  # as an earlier release saved it, scenario included
    for asset in old["assets"].values():
        del asset["status_reversible"], asset["status_observers"]
    loaded = state_from_snapshot(old)
    assert loaded.assets["usa-isr"].status_reversible is True  # written before the field: default
    assert loaded.assets["usa-sat"].status_observers == ()


def test_an_old_status_event_dumps_and_hashes_as_before() -> None:
    """Logs written before `reversible` existed must keep their hashes (wargame exercise verify)."""
    old_body = {
        "type": "asset_status_changed", "asset_id": "usa-sat", "owner": "USA", "status": "degraded",
        "until_move": 3, "cause": "inject:INJ-1", "inject_id": "INJ-1", "observers": ["GBR"],
    }
    event = AssetStatusChanged.model_validate(old_body)
    assert event.reversible is True
    assert event.model_dump(mode="json") == old_body
    fields = {
        "exercise_id": EX, "seq": 1, "at": "2027-03-01T00:00:00Z", "scenario_time": "2027-03-01T00:00:00Z",
        "move": 1, "actor": "white_cell", "audience": ["control", "team:USA"], "prev_hash": GENESIS_HASH,
        "body": old_body,
    }
    stored = EventEnvelope.model_validate({**fields, "hash": event_hash(fields)})
    assert verify_chain([stored]) == []
    irreversible = event.model_copy(update={"reversible": False})
    assert json.loads(irreversible.model_dump_json())["reversible"] is False
    assert AssetStatusChanged.model_validate(irreversible.model_dump(mode="json")) == irreversible
