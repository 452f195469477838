"""Observations and the AAR/IP's input: who may record, edit, retract and rate, what each ties to,
and that every change is an event in the log while a refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import FakeAdjudicator, command, make_created
from wargame.domain.audience import Role, Seat
from wargame.domain.state import ExerciseState
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "ev1"
OBJECTIVES = [
    {
        "id": "OBJ-1",
        "text": "Share SSA data quickly",
        "capability": "Information Sharing",
        "mission_areas": ["SSA"],
        "criteria": ["Tracks released within a move", "Requests answered"],
    },
    {"id": "OBJ-2", "text": "Keep SATCOM up", "mission_areas": ["SATCOM", "PNT"]},
]
EVA = Seat(role=Role.EVALUATOR, member="Maj. Eva")
OTTO = Seat(role=Role.EVALUATOR, member="Capt. Otto")
FACILITATOR = Seat(role=Role.FACILITATOR)
WHITE = Seat(role=Role.WHITE_CELL)
USA = Seat(role=Role.PLAYER, nation="USA")
OBSERVER = Seat(role=Role.OBSERVER)
OBSERVATION = {
    "type": "record_observation",
    "objective_id": "OBJ-1",
    "task": 2,
    "inject_id": "INJ-1",
    "nation": "USA",
    "rating": "S",
    "text": "USA answered the tasking request late",
}


class Game:
    def __init__(self) -> None:
        self.service = ExerciseService(MemoryEventStore(), FakeAdjudicator())
        self.service.create(EX, make_created(objectives=OBJECTIVES))
        self.count = 0

    def run(self, seat: Seat, data: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        return self.service.handle(EX, seat, f"c{self.count}", command(data))

    def ok(self, seat: Seat, data: dict[str, Any]) -> dict[str, Any]:
        result = self.run(seat, data)
        assert result["status"] == "accepted", result
        return result

    def refused(self, seat: Seat, data: dict[str, Any], code: str, words: str) -> dict[str, Any]:
        before = self.state
        result = self.run(seat, data)
        assert (result["status"], result["code"]) == ("rejected", code), result
        assert words in result["message"], result["message"]
        assert self.state == before and result["current_seq"] == before.last_seq
        return result

    @property
    def state(self) -> ExerciseState:
        return self.service.state(EX)

    def events(self) -> list[Any]:
        return self.service.store.read_after(EX, 0)

    def last(self, kind: str) -> dict[str, Any]:
        found = [e for e in self.events() if e.body.type == kind]
        assert found, kind
        body: dict[str, Any] = found[-1].body.model_dump(mode="json")
        return body


@pytest.fixture
def game() -> Game:
    g = Game()
    g.ok(WHITE, {"type": "start_exercise"})
    return g


def test_an_evaluator_records_an_observation_tied_to_objective_task_inject_and_nation(game: Game) -> None:
    game.ok(EVA, OBSERVATION)
    body = game.last("observation_recorded")
    assert {
        k: body[k]
        for k in ("objective_id", "task", "inject_id", "nation", "rating", "author", "author_member")
    } == {
        "objective_id": "OBJ-1",
        "task": 2,
        "inject_id": "INJ-1",
        "nation": "USA",
        "rating": "S",
        "author": "evaluator",
        "author_member": "Maj. Eva",
    }
    (observation,) = game.state.evaluation.observations.values()
    assert observation.observation_id == body["observation_id"] and observation.observation_id.startswith(
        "OBS-"
    )
    assert (observation.move, observation.edits, observation.retracted) == (1, 0, False)
    assert game.events()[-1].audience == ("control",)


@pytest.mark.parametrize("seat", [USA, WHITE, OBSERVER], ids=["player", "white_cell", "observer"])
def test_players_the_white_cell_and_observers_may_not_record(game: Game, seat: Seat) -> None:
    game.refused(
        seat, OBSERVATION, "forbidden", "" if seat is OBSERVER else "for evaluators and facilitators"
    )
    assert game.state.evaluation.observations == {}


@pytest.mark.parametrize(
    "data",
    [
        {"type": "start_exercise"},
        {"type": "advance_move", "from_move": 1},
        {"type": "pause_exercise"},
        {"type": "end_exercise"},
        {"type": "release_inject", "inject_id": "INJ-1"},
        {"type": "adhoc_inject", "inject_type": "message", "title": "News"},
        {"type": "restore_asset", "asset_id": "usa-sat", "reason": "fixed"},
        {"type": "disclose_status", "asset_id": "usa-sat", "reason": "audit"},
        {"type": "post_chat", "channel": "control", "text": "hello control"},
        {"type": "post_chat", "channel": "coalition", "text": "hello all"},
        {"type": "withdraw_product", "product_id": "P-1"},
    ],
    ids=lambda d: f"{d['type']}-{d.get('channel', '')}",
)
def test_evaluators_send_no_control_player_or_chat_command(game: Game, data: dict[str, Any]) -> None:
    game.refused(EVA, data, "forbidden", "evaluators only observe and rate")


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (
            {"objective_id": "OBJ-9"},
            "unknown_target",
            "objective_id: no objective 'OBJ-9' (objectives: OBJ-1, OBJ-2)",
        ),
        ({"task": 3}, "invalid", "task: objective 'OBJ-1' has 2 critical task(s), not 3"),
        ({"objective_id": "OBJ-2", "task": 1}, "invalid", "objective 'OBJ-2' has 0 critical task(s)"),
        ({"objective_id": None}, "invalid", "task: a critical task belongs to an objective"),
        ({"inject_id": "INJ-9"}, "unknown_target", "inject_id: no inject 'INJ-9'"),
        ({"nation": "FRA"}, "unknown_target", "nation: no nation 'FRA' in the scenario"),
    ],
)
def test_what_an_observation_names_must_exist(
    game: Game, change: dict[str, Any], code: str, words: str
) -> None:
    game.refused(EVA, {**OBSERVATION, **change}, code, words)


def test_a_blank_observation_is_refused_by_the_command_schema() -> None:
    with pytest.raises(ValueError, match="text"):
        command({**OBSERVATION, "text": "   "})


def test_the_author_edits_and_retracts_and_the_log_keeps_every_version(game: Game) -> None:
    game.ok(EVA, OBSERVATION)
    oid = game.last("observation_recorded")["observation_id"]
    edit = {
        **OBSERVATION,
        "type": "edit_observation",
        "observation_id": oid,
        "task": 1,
        "rating": "M",
        "text": "USA never answered",
    }
    game.ok(EVA, edit)
    game.refused(EVA, edit, "already_done", "already reads so; nothing changed")
    observation = game.state.evaluation.observations[oid]
    assert (observation.task, observation.rating, observation.text, observation.edits) == (
        1,
        "M",
        "USA never answered",
        1,
    )
    game.ok(EVA, {"type": "retract_observation", "observation_id": oid, "reason": "wrong team"})
    assert game.state.evaluation.observations[oid].retracted
    assert game.state.evaluation.observations[oid].retract_reason == "wrong team"
    game.refused(EVA, {"type": "retract_observation", "observation_id": oid}, "already_done", "was retracted")
    game.refused(EVA, edit, "already_done", "was retracted")
    history = [
        (e.body.type, e.actor, e.member)
        for e in game.events()
        if getattr(e.body, "observation_id", None) == oid
    ]
    assert history == [
        ("observation_recorded", "evaluator", "Maj. Eva"),
        ("observation_edited", "evaluator", "Maj. Eva"),
        ("observation_retracted", "evaluator", "Maj. Eva"),
    ]
    assert game.last("observation_edited")["text"] == "USA never answered"
    assert game.last("observation_recorded")["text"] == OBSERVATION["text"]  # the first version stays


def test_only_the_author_or_a_facilitator_edits_or_retracts(game: Game) -> None:
    game.ok(EVA, OBSERVATION)
    oid = game.last("observation_recorded")["observation_id"]
    edit = {**OBSERVATION, "type": "edit_observation", "observation_id": oid, "text": "changed"}
    retract = {"type": "retract_observation", "observation_id": oid}
    for other in (OTTO, Seat(role=Role.EVALUATOR)):
        game.refused(other, edit, "not_owner", "only its author, evaluator (Maj. Eva), or a facilitator")
        game.refused(other, retract, "not_owner", "may retract")
    for seat in (USA, WHITE):
        game.refused(seat, retract, "forbidden", "for evaluators and facilitators")
    game.ok(FACILITATOR, edit)
    assert game.last("observation_edited")["editor"] == "facilitator"
    game.ok(FACILITATOR, retract)
    assert game.last("observation_retracted")["by"] == "facilitator"
    game.refused(
        EVA, {**retract, "observation_id": "OBS-none"}, "unknown_target", "no observation 'OBS-none'"
    )


def test_ratings_of_objectives_and_core_capabilities(game: Game) -> None:
    rate = {"type": "set_rating", "subject": "capability", "subject_id": "Information Sharing", "rating": "P"}
    game.ok(EVA, rate)
    game.ok(OTTO, {**rate, "subject_id": "SATCOM"})  # an objective without a capability: its mission areas
    game.ok(
        FACILITATOR,
        {
            "type": "set_rating",
            "subject": "objective",
            "subject_id": "OBJ-2",
            "rating": "U",
            "rationale": "no fall-back",
        },
    )
    ratings = game.state.evaluation.ratings
    assert {k: (r.rating, r.by_member) for k, r in ratings.items()} == {
        "capability:Information Sharing": ("P", "Maj. Eva"),
        "capability:SATCOM": ("P", "Capt. Otto"),
        "objective:OBJ-2": ("U", ""),
    }
    game.refused(EVA, rate, "already_done", "already rated P")
    game.refused(
        EVA,
        {**rate, "subject_id": "Cyber"},
        "unknown_target",
        "no core capability 'Cyber' (Information Sharing; SATCOM; PNT)",
    )
    game.refused(
        EVA, {**rate, "subject": "objective", "subject_id": "OBJ-9"}, "unknown_target", "no objective"
    )
    game.refused(USA, rate, "forbidden", "for evaluators and facilitators")
    game.ok(EVA, {**rate, "rating": None})
    assert "capability:Information Sharing" not in game.state.evaluation.ratings
    game.refused(EVA, {**rate, "rating": None}, "already_done", "no rating to clear")


def test_strengths_afis_and_improvement_items_are_revised_and_removed_by_their_authors(game: Game) -> None:
    game.ok(EVA, OBSERVATION)
    oid = game.last("observation_recorded")["observation_id"]
    game.ok(
        EVA,
        {"type": "set_strength", "objective_id": "OBJ-1", "text": "Fast releases", "observation_ids": [oid]},
    )
    sid = game.last("strength_set")["strength_id"]
    afi = {
        "type": "set_afi",
        "objective_id": "OBJ-1",
        "title": "Late answers",
        "observation": "Late",
        "analysis": "No duty officer",
        "root_cause": "Manning",
        "recommendation": "Staff the desk",
    }
    game.ok(EVA, afi)
    aid = game.last("afi_set")["afi_id"]
    item = {
        "type": "set_improvement_item",
        "afi_id": aid,
        "corrective_action": "Roster a desk officer",
        "capability_element": "organization",
        "organisation": "USSPACECOM J3",
        "poc": "Col. Doe",
        "start_date": "2027-04-01",
        "end_date": "2027-09-30",
    }
    game.ok(FACILITATOR, item)
    ip = game.last("improvement_item_set")
    assert (ip["capability"], ip["revision"], ip["start_date"]) == ("Information Sharing", 1, "2027-04-01")
    game.refused(OTTO, {**afi, "afi_id": aid, "title": "Mine now"}, "not_owner", "may revise")
    game.ok(FACILITATOR, {**afi, "afi_id": aid, "title": "Late tasking answers"})
    assert (game.state.evaluation.afis[aid].title, game.state.evaluation.afis[aid].revision) == (
        "Late tasking answers",
        2,
    )
    game.refused(
        EVA, {**item, "end_date": "2027-03-01"}, "invalid", "end_date 2027-03-01 is before start_date"
    )
    game.refused(EVA, {**item, "afi_id": "AFI-none"}, "unknown_target", "afi_id: no area for improvement")
    game.refused(EVA, {**item, "afi_id": None}, "invalid", "capability: name the core capability")
    game.refused(EVA, {**item, "afi_id": None, "capability": "Cyber"}, "unknown_target", "no core capability")
    game.refused(
        EVA,
        {"type": "remove_evaluation_item", "item_id": aid},
        "invalid",
        f"improvement items {ip['item_id']} name AFI {aid!r}",
    )
    game.refused(OTTO, {"type": "remove_evaluation_item", "item_id": sid}, "not_owner", "may remove")
    game.ok(EVA, {"type": "retract_observation", "observation_id": oid})
    game.refused(
        EVA,
        {"type": "set_strength", "objective_id": "OBJ-1", "text": "x", "observation_ids": [oid]},
        "invalid",
        f"observation {oid!r} was retracted",
    )
    game.ok(EVA, {"type": "remove_evaluation_item", "item_id": sid, "reason": "merged"})
    assert sid not in game.state.evaluation.strengths
    assert game.last("evaluation_item_removed") == {
        "type": "evaluation_item_removed",
        "item_id": sid,
        "kind": "strength",
        "reason": "merged",
        "by": "evaluator",
        "by_member": "Maj. Eva",
    }


def test_evaluation_goes_on_after_the_exercise_ends_and_folds_from_the_log(game: Game) -> None:
    game.ok(WHITE, {"type": "end_exercise"})
    game.refused(USA, {"type": "cancel_order", "order_id": "O-1"}, "wrong_phase", "ended")
    game.ok(EVA, OBSERVATION)
    game.ok(EVA, {"type": "set_rating", "subject": "objective", "subject_id": "OBJ-1", "rating": "S"})
    replayed = fold(game.events())
    assert replayed is not None
    assert replayed.evaluation == game.state.evaluation
    assert len(replayed.evaluation.observations) == 1 and replayed.evaluation.ratings


def test_an_observation_recorded_before_ids_gets_one_from_its_seq() -> None:
    from wargame.domain.evaluation import Evaluation, apply_evaluation
    from wargame.domain.events import ObservationRecorded

    legacy = ObservationRecorded(objective_id="OBJ-1", rating="S", text="old")
    assert legacy.model_dump(mode="json") == {  # dumps (and hashes) as logs recorded before ids
        "type": "observation_recorded",
        "objective_id": "OBJ-1",
        "rating": "S",
        "text": "old",
    }
    folded = apply_evaluation(Evaluation(), legacy, move=2, seq=17)
    assert list(folded.observations) == ["obs-seq17"]
    assert (folded.observations["obs-seq17"].author, folded.observations["obs-seq17"].move) == ("", 2)
