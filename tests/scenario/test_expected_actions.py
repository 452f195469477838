"""Every expected player action of the shipped MSELs maps to orders or commands a team can give
(docs/expected-actions.yaml), action by action, in MSEL order."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from wargame.domain.audience import Role
from wargame.domain.commands import Command
from wargame.domain.orders import Order
from wargame.domain.permissions import SENDERS
from wargame.scenario.loader import load_scenario

REPO = Path(__file__).resolve().parents[2]
MAPPING = REPO / "docs" / "expected-actions.yaml"
SHIPPED = ("tutorial", "regional-sentinel", "schriever-escalation", "global-sentinel")


def _members(union: Any, field: str) -> set[str]:
    models = typing.get_args(typing.get_args(union)[0])
    return {typing.get_args(m.model_fields[field].annotation)[0] for m in models}


ORDER_KINDS = _members(Order, "kind")
COMMAND_TYPES = _members(Command, "type")


def _mapping() -> dict[str, dict[str, list[dict[str, Any]]]]:
    loaded: dict[str, dict[str, list[dict[str, Any]]]] = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    return loaded


def _answerable(answer: str) -> str | None:
    """Why a team cannot give `answer` (None: it can)."""
    kind, _, name = answer.partition(":")
    if kind == "order":
        return None if name in ORDER_KINDS else f"no order kind {name!r}"
    if kind == "command":
        if name not in COMMAND_TYPES:
            return f"no command {name!r}"
        return None if Role.PLAYER in SENDERS[name].roles else f"{name} is not a team's command"
    return f"{answer!r} is neither order:<kind> nor command:<type>"


def test_the_vocabulary_is_the_protocol_s() -> None:
    assert {"manoeuvre", "anti_jam", "tasking_request", "public_attribution"} <= ORDER_KINDS
    assert {"release_product", "post_chat", "submit_order"} <= COMMAND_TYPES
    assert _answerable("command:start_exercise") == "start_exercise is not a team's command"
    assert _answerable("order:teleport") == "no order kind 'teleport'"


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_each_expected_action_maps_to_what_a_team_can_give(scenario_id: str) -> None:
    scenario = load_scenario(REPO / "scenarios" / f"{scenario_id}.yaml")
    mapped = _mapping().get(scenario_id, {})
    expected = {i.id: list(i.expected_actions) for i in scenario.msel if i.expected_actions}
    assert sorted(mapped) == sorted(expected), "injects with expected actions and the mapping differ"
    problems = []
    for inject_id, actions in expected.items():
        rows = mapped[inject_id]
        if [row["action"] for row in rows] != actions:
            problems.append(f"{inject_id}: the mapping's actions are not the MSEL's, in order")
            continue
        for row in rows:
            if not row["answers"]:
                problems.append(f"{inject_id}: {row['action']!r} maps to nothing")
            problems += [f"{inject_id}: {why}" for a in row["answers"] if (why := _answerable(a))]
    assert problems == []


def test_every_new_order_and_request_answers_some_expected_action() -> None:
    used = {
        answer
        for injects in _mapping().values()
        for rows in injects.values()
        for row in rows
        for answer in row["answers"]
    }
    orders = ("safe_mode", "ground_segment", "dime", "manoeuvre", "anti_jam", "tasking_request")
    commands = ("request_capacity", "answer_capacity", "draft_statement", "answer_statement", "send_request")
    assert {f"order:{k}" for k in orders} | {f"command:{c}" for c in commands} <= used
