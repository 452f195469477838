"""The tutorial played to the end with the real core, evaluated through commands: observations
(one edited, one retracted), final ratings, strengths, AFIs and improvement plan items."""

from __future__ import annotations

from typing import Any

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EXERCISE = "tutorial-aar"
WHITE = Seat(role=Role.WHITE_CELL)
FACILITATOR = Seat(role=Role.FACILITATOR, member="Col. Brandt")
EVA = Seat(role=Role.EVALUATOR, member="Maj. Eva Lind")
OTTO = Seat(role=Role.EVALUATOR, member="Capt. Otto Reyes")
USA = Seat(role=Role.PLAYER, nation="USA", member="ana")
GBR = Seat(role=Role.PLAYER, nation="GBR")
JPN = Seat(role=Role.PLAYER, nation="JPN")

EDITED = "JPN manoeuvred IGS-Optical 8 before asking USA for a precise track"
RETRACTED = "GBR never switched Skynet 5D to anti-jam (wrong: it did in move 2)"
KEPT = "GBR switched Skynet 5D to anti-jam within the move of the report"
UNRATED_TEXT = "USA and JPN did not consult GBR before the statement"
AFI_TITLE = "Tasking before propellant"
CORRECTIVE = "Agree a standing tasking arrangement for precise tracks with USA"


class Evaluated:
    """The played game: its service and the ids its evaluation made."""

    def __init__(self) -> None:
        scenario, background = load_scenario_parts(find_scenario("tutorial"))
        created = ExerciseCreated(
            title=scenario.title,
            scenario=scenario,
            ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
            seed=scenario.seed,
        )
        self.service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
        self.service.create(EXERCISE, created, background)
        self.count = 0
        self.ids: dict[str, str] = {}
        self.refusals: list[dict[str, Any]] = []

    def do(self, seat: Seat, data: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        result = self.service.handle(EXERCISE, seat, f"c{self.count}", command_adapter.validate_python(data))
        assert result["status"] == "accepted", (data, result)
        return result

    def refuse(self, seat: Seat, data: dict[str, Any]) -> None:
        self.count += 1
        result = self.service.handle(EXERCISE, seat, f"c{self.count}", command_adapter.validate_python(data))
        assert result["status"] == "rejected", (data, result)
        self.refusals.append(result)

    def observe(self, seat: Seat, name: str, **fields: Any) -> str:
        self.do(seat, {"type": "record_observation", **fields})
        evaluation = self.service.state(EXERCISE).evaluation
        self.ids[name] = max(evaluation.observations.values(), key=lambda o: o.seq).observation_id
        return self.ids[name]

    def events(self) -> list[EventEnvelope]:
        return self.service.store.read_after(EXERCISE, 0)


def play() -> Evaluated:
    g = Evaluated()
    g.do(WHITE, {"type": "start_exercise"})
    g.do(
        USA,
        {"type": "release_product", "product": {"kind": "tracks"}, "marking": {"releasability": "REL FVEY"}},
    )
    safety = g.observe(
        EVA,
        "safety",
        objective_id="obj-safety",
        task=1,
        inject_id="inj-002",
        nation="JPN",
        rating="S",
        text="JPN assessed the conjunction in the move it was reported",
    )
    g.do(
        JPN,
        {
            "type": "submit_order",
            "reason": "Pc above threshold",
            "order": {"kind": "manoeuvre", "asset_id": "jpn-igs-optical-8", "dv_m_per_s": 0.5},
        },
    )
    g.observe(
        OTTO,
        "sharing",
        objective_id="obj-sharing",
        task=1,
        nation="USA",
        text="USA released REL FVEY at once",
    )
    g.do(WHITE, {"type": "advance_move", "from_move": 1})
    g.do(
        GBR,
        {
            "type": "submit_order",
            "reason": "jamming on the uplink",
            "order": {"kind": "anti_jam", "asset_id": "gbr-skynet-5d", "enabled": True},
        },
    )
    wrong = g.observe(
        OTTO,
        "wrong",
        objective_id="obj-satcom",
        task=2,
        inject_id="inj-003",
        nation="GBR",
        rating="U",
        text=RETRACTED,
    )
    g.observe(
        OTTO,
        "satcom",
        objective_id="obj-satcom",
        task=2,
        inject_id="inj-003",
        nation="GBR",
        rating="P",
        text=KEPT,
    )
    edit = {
        "type": "edit_observation",
        "observation_id": safety,
        "objective_id": "obj-safety",
        "task": 2,
        "inject_id": "inj-002",
        "nation": "JPN",
        "rating": "M",
        "text": EDITED,
    }
    g.refuse(OTTO, edit)  # not its author
    g.do(EVA, edit)
    g.refuse(OTTO, {"type": "advance_move", "from_move": 2})
    g.do(OTTO, {"type": "retract_observation", "observation_id": wrong, "reason": "misread the log"})
    for move in (2, 3, 4):
        g.do(WHITE, {"type": "advance_move", "from_move": move})
    assert g.service.state(EXERCISE).phase == "ended"
    # The hot wash and the AAR/IP: after the end.
    g.observe(
        EVA,
        "attribution",
        objective_id="obj-attribution",
        task=3,
        inject_id="inj-008",
        rating="M",
        text=UNRATED_TEXT,
    )
    g.do(
        EVA,
        {
            "type": "set_rating",
            "subject": "objective",
            "subject_id": "obj-safety",
            "rating": "M",
            "rationale": "the avoidance was late and on a catalog-only Pc",
        },
    )
    g.do(OTTO, {"type": "set_rating", "subject": "objective", "subject_id": "obj-satcom", "rating": "S"})
    g.do(
        OTTO,
        {"type": "set_rating", "subject": "capability", "subject_id": "SATCOM Resilience", "rating": "P"},
    )
    g.do(
        OTTO,
        {
            "type": "set_strength",
            "objective_id": "obj-satcom",
            "text": "Anti-jam ordered at once",
            "observation_ids": [g.ids["satcom"]],
        },
    )
    g.do(
        EVA,
        {
            "type": "set_afi",
            "objective_id": "obj-safety",
            "title": AFI_TITLE,
            "observation": EDITED,
            "analysis": "The Pc rested on catalog covariance only",
            "root_cause": "No tasking arrangement between JPN and USA",
            "recommendation": "Ask for a precise track before spending propellant",
            "observation_ids": [safety],
        },
    )
    afi = next(iter(g.service.state(EXERCISE).evaluation.afis))
    g.do(
        FACILITATOR,
        {
            "type": "set_improvement_item",
            "afi_id": afi,
            "corrective_action": CORRECTIVE,
            "capability_element": "planning",
            "organisation": "JASDF Space Operations Group",
            "poc": "Lt Col Ito",
            "start_date": "2027-04-01",
            "end_date": "2027-09-30",
        },
    )
    g.do(
        EVA,
        {
            "type": "set_improvement_item",
            "capability": "Information Sharing",
            "corrective_action": "Write REL CSPO release templates",
            "organisation": "USSPACECOM J2",
            "start_date": "2027-05-15",
            "end_date": "2027-06-30",
            "capability_element": "training",
        },
    )
    g.refuse(USA, {"type": "set_rating", "subject": "objective", "subject_id": "obj-safety", "rating": "P"})
    return g
