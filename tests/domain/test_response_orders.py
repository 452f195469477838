"""Response orders at the gate: who may give which, refusals that name the problem, sealed until close."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from tests.domain.response_game import response_created
from tests.factories import FakeAdjudicator, command, make_created, seat
from wargame.domain.orders import Order
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

EX = "resp"


STORES: dict[int, MemoryEventStore] = {}


def _service(created: Any = None) -> ExerciseService:
    store = MemoryEventStore()
    svc = ExerciseService(store, FakeAdjudicator())
    STORES[id(svc)] = store
    svc.create(EX, created or response_created())
    return svc


_count = iter(range(1, 10_000))


def run(svc: ExerciseService, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    return svc.handle(EX, seat(viewer), f"c{next(_count)}", command(data))


@pytest.fixture
def service() -> ExerciseService:
    svc = _service()
    assert run(svc, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return svc


def order(svc: ExerciseService, viewer: str, body: dict[str, Any]) -> dict[str, Any]:
    return run(svc, viewer, {"type": "submit_order", "order": body, "reason": "test"})


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({"kind": "safe_mode", "asset_id": "gbr-sat", "enter": True}, "not_owner", "does not belong to USA"),
        (
            {"kind": "safe_mode", "asset_id": "nope", "enter": True},
            "unknown_target",
            "no space object 'nope'",
        ),
        ({"kind": "safe_mode", "asset_id": "usa-sat", "enter": False}, "invalid", "is not in safe mode"),
        (
            {"kind": "ground_segment", "asset_id": "gbr-sat", "action": "harden"},
            "not_owner",
            "does not belong",
        ),
        ({"kind": "reconstitute", "spare_id": "nope"}, "unknown_target", "no spare 'nope'"),
        ({"kind": "reconstitute", "spare_id": "gbr-spare"}, "not_owner", "spare 'gbr-spare' does not belong"),
        ({"kind": "dime", "instrument": "sanctions", "target_nation": "USA"}, "invalid", "another nation"),
        (
            {"kind": "dime", "instrument": "sanctions", "target_nation": "XXX"},
            "unknown_target",
            "unknown nation",
        ),
    ],
)
def test_refusals_name_the_problem_and_change_nothing(
    service: ExerciseService, body: dict[str, Any], code: str, words: str
) -> None:
    before = service.state(EX)
    result = order(service, "team:USA", body)
    assert (result["status"], result["code"]) == ("rejected", code)
    assert words in result["message"]
    assert service.state(EX).nations["USA"].orders == before.nations["USA"].orders


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "dime", "instrument": "blockade", "target_nation": "RED"},
        {"kind": "ground_segment", "asset_id": "usa-sat", "action": "reboot"},
        {"kind": "safe_mode", "asset_id": "usa-sat"},
    ],
)
def test_a_bad_enum_or_missing_field_is_refused_by_the_schema(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Order).validate_python(body)


def test_a_spare_is_activated_once(service: ExerciseService) -> None:
    assert (
        order(service, "team:USA", {"kind": "reconstitute", "spare_id": "usa-spare"})["status"] == "accepted"
    )
    again = order(service, "team:USA", {"kind": "reconstitute", "spare_id": "usa-spare"})
    assert (again["status"], again["code"]) == ("rejected", "invalid")
    assert "already ordered this move" in again["message"]


def test_responses_need_a_ruleset_that_defines_them() -> None:
    svc = _service(make_created())
    assert run(svc, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    result = order(svc, "team:USA", {"kind": "safe_mode", "asset_id": "usa-sat", "enter": True})
    assert (result["status"], result["code"]) == ("rejected", "invalid")
    assert "defines no response orders (safe_mode)" in result["message"]


def test_accepted_responses_stay_sealed_from_other_teams(service: ExerciseService) -> None:
    bodies = [
        {"kind": "safe_mode", "asset_id": "usa-sat", "enter": True},
        {"kind": "ground_segment", "asset_id": "usa-isr", "action": "switch_ground_station"},
        {"kind": "reconstitute", "spare_id": "usa-spare"},
        {"kind": "dime", "instrument": "military_posture", "target_nation": "RED", "text": "carrier group"},
    ]
    for body in bodies:
        assert order(service, "team:USA", body)["status"] == "accepted"
    state = service.state(EX)
    own = view_for("team:USA", state)
    assert own is not None and [o["order"]["kind"] for o in own["orders"]] == [b["kind"] for b in bodies]
    events = STORES[id(service)].read_after(EX, 0)
    for viewer in ("team:GBR", "team:JPN", "observer"):
        other = view_for(viewer, state)
        assert other is not None and not other.get("orders")
        seen = [view_for(viewer, e) for e in events]
        assert not [v for v in seen if v is not None and v["type"] == "order_submitted"]
        assert "carrier group" not in str(seen) and "usa-spare" not in str(seen)
