"""The escalation model with the standard ruleset: ratchet, DIME, attributions, false accusations, decay."""

from __future__ import annotations

from adj_builders import make_ruleset, make_state
from test_responses import RESP, STANDARD, rules

from wargame.adjudication.escalation_model import escalation_changed
from wargame.domain.common import InjectType
from wargame.domain.response_state import ResponseState
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, InjectState

MODEL = RESP.escalation


def at(score: float, level: int, **changes: object) -> ExerciseState:
    state = make_state(ruleset=rules(), move=3)
    update = {"escalation_level": level, "responses": ResponseState(escalation_score=score), **changes}
    return state.model_copy(update=update)


def attributed(accused: str, likelihood: str) -> ExerciseState:
    jam = Inject(id="j1", title="t", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET", actor="RED")
    record = {
        "nation": "USA",
        "inject_id": "j1",
        "accused": accused,
        "likelihood": likelihood,
        "statement": "",
        "move": "3",
    }
    return at(
        1.0,
        1,
        injects={"j1": InjectState(inject=jam, released_move=2, resolved=True)},
        attributions=(record,),
    )


def test_hostile_effects_ratchet_the_score_to_their_level() -> None:
    changed = escalation_changed(at(1.0, 1), [3, 2], [])
    assert changed is not None
    assert (changed.previous_score, changed.score, changed.level) == (1.0, 3.0, 3)
    assert changed.name == "level 3" and changed.reasons == ("hostile effects reached level 3",)


def test_a_quiet_move_decays_by_the_ruleset_rate_and_the_level_follows() -> None:
    changed = escalation_changed(at(3.0, 3), [], [])
    assert changed is not None and MODEL.decay_per_quiet_move == 0.25
    assert (changed.score, changed.level) == (2.75, 2)
    assert changed.reasons == ("a quiet move: -0.25",)
    floor = escalation_changed(at(0.1, 0), [], [])
    assert floor is not None and floor.score == 0.0


def test_a_demarche_lowers_the_score() -> None:
    demarche = RESP.dime["diplomatic_demarche"].escalation_delta
    changed = escalation_changed(at(2.0, 2), [], [(demarche, "USA diplomatic demarche against RED")])
    assert changed is not None and demarche == -0.5
    assert changed.score == 2.0 + demarche - MODEL.decay_per_quiet_move == 1.25 and changed.level == 1


def test_a_false_firm_accusation_raises_escalation_and_costs_credibility() -> None:
    changed = escalation_changed(attributed("GBR", "almost certain"), [], [])
    assert changed is not None
    assert changed.score == 1.0 + MODEL.false_accusation_delta == 2.0 and changed.level == 2
    assert changed.reasons == ("USA accused GBR of j1 (almost certain), wrongly: +1",)
    assert changed.credibility == {"USA": 1.0 - MODEL.false_accusation_credibility, "GBR": 1.0, "JPN": 1.0}


def test_a_hedged_false_accusation_costs_nothing_and_a_true_one_adds_a_little() -> None:
    hedged = escalation_changed(attributed("GBR", "likely"), [], [])
    assert hedged is not None and hedged.credibility["USA"] == 1.0
    assert hedged.score == 1.0 - MODEL.decay_per_quiet_move
    true = escalation_changed(attributed("RED", "almost certain"), [], [])
    assert true is not None and true.score == 1.0 + MODEL.attribution_delta == 1.25
    assert true.reasons == ("USA publicly attributed j1 to RED: +0.25",)


def test_the_score_is_capped_at_the_top_of_the_ladder() -> None:
    changed = escalation_changed(at(6.0, 6), [6], [(0.5, "posture")])
    assert changed is not None and (changed.score, changed.level) == (6.0, 6)


def test_without_a_responses_ruleset_escalation_keeps_its_old_ratchet() -> None:
    state = make_state(ruleset=make_ruleset(effects=STANDARD.effects), move=3)
    assert escalation_changed(state, [3], []) is None
