"""Fallback capacity in the real core's capability score: the units a provider lends raise the
requester's score in that mission area by the ruleset's requests.capability_per_unit while the
grant lasts, and change nothing else."""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.domain.override_game import Game
from tests.scenario.test_shipped_scenarios import load
from wargame.domain.common import MissionArea
from wargame.domain.events import MoveAdjudicated
from wargame.domain.request_model import FallbackOffer


def _lending_nations() -> tuple[Any, ...]:
    scenario = load("tutorial")
    offer = FallbackOffer(capacity={MissionArea.WEATHER: 3, MissionArea.SATCOM: 2})
    return tuple(n.model_copy(update={"fallback": offer}) if n.id == "GBR" else n for n in scenario.nations)


def capability_by_move(lend: bool) -> dict[int, dict[str, dict[str, float]]]:
    game = Game("fallback-lend" if lend else "fallback-none", nations=_lending_nations())
    if lend:
        ask = {"type": "request_capacity", "provider": "GBR", "area": "WEATHER", "units": 2, "moves": 1}
        game.ok("team:USA", ask)
        request_id = next(iter(game.state.requests.capacity))
        game.ok("team:GBR", {"type": "answer_capacity", "request_id": request_id, "accept": True})
    game.advance()
    game.advance()
    out: dict[int, dict[str, dict[str, float]]] = {}
    for envelope in game.store.read_after(game.id, 0):
        if isinstance(envelope.body, MoveAdjudicated):
            out[envelope.body.move] = envelope.body.capability
    return out


@cache
def both() -> tuple[dict[int, Any], dict[int, Any]]:
    return capability_by_move(True), capability_by_move(False)


def test_lent_units_raise_the_requesters_score_by_the_ruleset_number_while_granted() -> None:
    lent, none = both()
    per_unit = load_rules_per_unit()
    assert "WEATHER" not in none[1]["USA"]  # USA has no weather satellite of its own
    assert lent[1]["USA"]["WEATHER"] == 2 * per_unit  # 2 units lent in move 1
    assert "WEATHER" not in lent[2]["USA"]  # granted for one move only
    lent_rest = {n: a for n, a in lent[1].items() if n != "USA"}
    assert lent_rest == {n: a for n, a in none[1].items() if n != "USA"}
    assert {k: v for k, v in lent[1]["USA"].items() if k != "WEATHER"} == none[1]["USA"]
    assert lent[2] == none[2]


def load_rules_per_unit() -> float:
    from wargame.scenario import find_ruleset, load_ruleset

    rules = load_ruleset(find_ruleset("standard")).requests
    assert rules is not None
    return rules.capability_per_unit
