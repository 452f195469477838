"""Condition triggers: the pure evaluation, and automatic release as moves open."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.factories import FakeAdjudicator, make_created, scenario_data, seat
from wargame.domain.common import AssetStatus
from wargame.domain.conditions import Condition
from wargame.domain.evolve import initial_state
from wargame.domain.orders import AntiJamOrder
from wargame.domain.state import ExerciseState, SubmittedOrder
from wargame.domain.triggers import due_injects, holds
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService


def follow_up(inject_id: str, condition: dict[str, Any], move: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "id": inject_id,
        "title": f"follow-up {inject_id}",
        "move": move,
        "trigger": "condition",
        "condition": condition,
        "type": "message",
        **extra,
    }


def state_with(msel: list[dict[str, Any]], moves: int = 4) -> ExerciseState:
    created = make_created(moves=moves, msel=[*scenario_data()["msel"], *msel])
    return initial_state("x", created)


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


def test_after_inject_counts_moves_since_release() -> None:
    state = state_with([])
    released = {"INJ-1": 2}
    waiting = cond({"after_inject": "INJ-1", "delay_moves": 1})
    assert not holds(waiting, state, 2, released)
    assert holds(waiting, state, 3, released)
    assert not holds(waiting, state, 3, {"INJ-1": None})
    assert holds(cond({"after_inject": "INJ-1"}), state, 2, released)


def test_asset_status_or_worse_and_exact() -> None:
    state = state_with([])
    assets = dict(state.assets)
    assets["usa-sat"] = assets["usa-sat"].model_copy(update={"status": AssetStatus.DISABLED})
    state = state.model_copy(update={"assets": assets})
    assert holds(cond({"asset_status": {"asset": "usa-sat", "status": "degraded"}}), state, 1)
    exact = {"asset_status": {"asset": "usa-sat", "status": "degraded", "or_worse": False}}
    assert not holds(cond(exact), state, 1)
    assert not holds(cond({"asset_status": {"asset": "usa-isr", "status": "degraded"}}), state, 1)


def test_escalation_capability_and_combinators() -> None:
    state = state_with([]).model_copy(
        update={"escalation_level": 3, "metrics_by_move": {1: {"capability": {"JPN": {"SATCOM": 0.4}}}}}
    )
    assert holds(cond({"escalation_at_least": 3}), state, 2)
    assert not holds(cond({"escalation_at_least": 4}), state, 2)
    below = {"capability_below": {"nation": "JPN", "mission": "SATCOM", "below": 0.5}}
    assert holds(cond(below), state, 2)
    above = {"capability_below": {"nation": "JPN", "mission": "SATCOM", "below": 0.3}}
    assert not holds(cond(above), state, 2)
    assert holds(cond({"all_of": [below, {"escalation_at_least": 1}]}), state, 2)
    assert not holds(cond({"all_of": [below, above]}), state, 2)
    assert holds(cond({"any_of": [above, below]}), state, 2)
    assert holds(cond({"none_of": [above]}), state, 2)
    assert not holds(cond({"none_of": [above, below]}), state, 2)


def test_order_kind_reads_the_closed_move() -> None:
    state = state_with([])
    order = SubmittedOrder(
        order_id="O1", nation="USA", move=1,
        order=AntiJamOrder(kind="anti_jam", asset_id="usa-sat", enabled=True),
    )
    usa = state.nations["USA"].model_copy(update={"orders": {"O1": order}})
    closed = state.model_copy(update={"nations": {**state.nations, "USA": usa}})
    spec = {"order_kind_by": {"nation": "USA", "kind": "anti_jam"}}
    assert holds(cond(spec), state, 2, closed=closed)
    assert not holds(cond(spec), state, 2, closed=None)
    on_other = {"order_kind_by": {"nation": "USA", "kind": "anti_jam", "asset": "usa-isr"}}
    assert not holds(cond(on_other), state, 2, closed=closed)
    assert not holds(cond({"order_kind_by": {"nation": "GBR", "kind": "anti_jam"}}), state, 2, closed=closed)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "exactly one of"),
        ({"escalation_at_least": 1, "after_inject": "X"}, "found after_inject, escalation_at_least"),
        ({"escalation_at_least": 1, "delay_moves": 2}, "delay_moves only goes with"),
        ({"all_of": []}, "all_of needs at least one condition"),
    ],
)
def test_malformed_conditions_are_rejected(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Condition.model_validate(data)
    assert message in str(info.value)


def test_due_injects_chain_and_never_release_contingency() -> None:
    state = state_with(
        [
            follow_up("F-SAME", {"after_inject": "INJ-2"}),
            follow_up("F-CHAIN", {"after_inject": "F-SAME"}),
            follow_up("F-LATER", {"after_inject": "INJ-2", "delay_moves": 1}),
            follow_up("F-EARLY", {"escalation_at_least": 0}, move=3),
            {"id": "C-1", "title": "pool", "type": "message", "contingency": True, "move": 2},
        ]
    )
    released = [e.inject.id for e in due_injects(state, 2)]  # type: ignore[union-attr]
    assert released == ["INJ-2", "F-SAME", "F-CHAIN"]


def test_condition_injects_release_when_moves_open_or_the_action_is_decided() -> None:
    created = make_created(
        moves=3,
        msel=[
            *scenario_data()["msel"],
            follow_up("F-ANTIJAM", {"order_kind_by": {"nation": "USA", "kind": "anti_jam"}}),
            follow_up("F-STORM", {"after_inject": "INJ-2", "delay_moves": 1}),
            follow_up("F-NEVER", {"escalation_at_least": 5}),
        ],
    )
    service = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    service.create("ex", created)
    white, usa = seat("white_cell"), seat("team:USA")

    def run(actor: Any, command_id: str, data: dict[str, Any]) -> None:
        from tests.factories import command

        result = service.handle("ex", actor, command_id, command(data))
        assert result["status"] == "accepted", result

    run(white, "s", {"type": "start_exercise"})
    assert service.state("ex").injects["F-ANTIJAM"].released_move is None
    order = {"kind": "anti_jam", "asset_id": "usa-sat", "enabled": True}
    run(usa, "o", {"type": "submit_order", "order": order, "reason": "jamming expected"})
    # the condition is evaluated as the order is decided, not when the next move opens
    assert service.state("ex").injects["F-ANTIJAM"].released_move == 1
    released = [e for e in service.store.read_after("ex", 0) if e.body.type == "inject_released"]
    assert (released[-1].body.inject.id, released[-1].actor) == ("F-ANTIJAM", "scheduler")
    run(white, "a1", {"type": "advance_move", "from_move": 1})
    state = service.state("ex")
    assert state.injects["F-ANTIJAM"].released_move == 1
    assert state.injects["INJ-2"].released_move == 2
    assert state.injects["F-STORM"].released_move is None
    run(white, "a2", {"type": "advance_move", "from_move": 2})
    state = service.state("ex")
    assert state.injects["F-STORM"].released_move == 3
    assert state.injects["F-NEVER"].released_move is None
