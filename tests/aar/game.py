"""A scripted two-move exercise for AAR tests, played through ExerciseService with a fake core."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.factories import ruleset_sections, share
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import (
    ConjunctionWarning,
    EventBody,
    EventEnvelope,
    ExerciseCreated,
    MoveAdjudicated,
    PictureUpdated,
)
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.domain.sharing import release_summary
from wargame.domain.state import ExerciseState, Track, TrackTable
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EXERCISE_ID = "EX-AAR-1"
START = datetime(2031, 3, 1, 6, 0, tzinfo=UTC)
SECRET = "CONTROLLER-ONLY-NOTE-7781"
"""Controller notes text that must never reach a team's AAR."""

CAPABILITY = {
    1: {"USA": {"SATCOM": 1.0, "PNT": 0.9}, "GBR": {"SATCOM": 0.25, "PNT": 1.0},
        "FRA": {"SATCOM": 0.8, "PNT": 1.0}},
    2: {"USA": {"SATCOM": 0.75, "PNT": 0.5}, "GBR": {"SATCOM": 1.0, "PNT": 1.0},
        "FRA": {"SATCOM": 0.6, "PNT": 0.7}},
}
ESCALATION = {1: 1, 2: 2}
CUSTODY = {1: {"USA": 4, "GBR": 3, "FRA": 2}, 2: {"USA": 4, "GBR": 4, "FRA": 3}}
PRECISE = {2: {"USA": 2, "GBR": 3, "FRA": 0}}
"""Move 1 has no precise counts, as in logs written before MoveAdjudicated carried them."""


def _orbit(sma_km: float, raan: float) -> dict[str, Any]:
    return {"kind": "keplerian", "epoch": START.isoformat(), "semi_major_axis_km": sma_km,
            "eccentricity": 0.001, "inclination_deg": 53.0, "raan_deg": raan,
            "arg_perigee_deg": 0.0, "mean_anomaly_deg": 0.0}


MARKING = "EXERCISE POLE STAR - UNCLASSIFIED - FOR TRAINING ONLY"


def make_scenario() -> Scenario:
    return Scenario.model_validate({
        "id": "aar-test", "title": "AAR test scenario", "start_time": START.isoformat(),
        "move_length_hours": 6.0, "moves": 2, "marking": MARKING,
        "nations": [
            {"id": "USA", "name": "United States", "groups": ["FVEY"]},
            {"id": "GBR", "name": "United Kingdom", "groups": ["FVEY"]},
            {"id": "FRA", "name": "France"},
            {"id": "RED", "name": "Redland", "side": "red", "played": False},
        ],
        "sensors": [{"id": "GBR-RADAR", "name": "Fylingdales", "owner": "GBR",
                     "model": "radar", "lat_deg": 54.4, "lon_deg": -0.7}],
        "objects": [
            {"id": "USA-SAT-1", "name": "WGS-11", "owner": "USA", "mission": "SATCOM",
             "orbit": _orbit(7000.0, 0.0), "propellant_dv_m_per_s": 20.0},
            {"id": "GBR-SAT-1", "name": "SKYNET-5A", "owner": "GBR", "mission": "SATCOM",
             "orbit": _orbit(7100.0, 40.0), "propellant_dv_m_per_s": 20.0},
            {"id": "RED-SAT-1", "name": "Inspector-1", "owner": "RED",
             "orbit": _orbit(7050.0, 80.0)},
        ],
        "objectives": [
            {"id": "OBJ-1", "text": "Share SSA data | promptly",
             "capability": "Information sharing"},
            {"id": "OBJ-2", "text": "Attribute hostile acts", "capability": "Attribution"},
        ],
        "msel": [
            {"id": "INJ-01", "serial": 1, "title": "Crisis news", "move": 1, "trigger": "time",
             "type": "message", "text": "Tension rises.", "releasability": "PUBLIC"},
            {"id": "INJ-02", "serial": 2, "title": "USA-only tip", "move": 2, "trigger": "time",
             "type": "message", "recipients": ["USA"], "text": "Tip for USA.",
             "controller_notes": SECRET},
            {"id": "INJ-03", "serial": 3, "title": "Uplink jamming of SKYNET-5A", "move": 1,
             "type": "uplink_jamming", "target": "GBR-SAT-1", "actor": "RED",
             "recipients": ["GBR"], "text": "SKYNET-5A reports interference.",
             "controller_notes": SECRET, "objectives": ["OBJ-2"]},
        ],
    })


def make_ruleset() -> Ruleset:
    effect = {"p_success": 0.8, "status": "degraded", "duration_moves": 1, "reversible": True,
              "escalation_level": 1, "observable_by": "owner"}
    return Ruleset.model_validate({
        "id": "mini", "title": "Minimal rules", "time_step_minutes": 2.0,
        "regimes": {"leo_max_altitude_km": 2000.0, "geo_min_altitude_km": 35286.0,
                    "geo_max_altitude_km": 36286.0, "heo_min_eccentricity": 0.25},
        "sensor_models": {"radar": {"type": "radar", "max_range_km": 4000.0, "regimes": ["LEO"],
                                    "measurement_sigma_km": 0.1}},
        "custody": {"owner_sigma_km": 0.05, "initial_sigma_km": 1.0, "growth_km_per_hour": 0.1,
                    "custody_max_sigma_km": 25.0, "manoeuvre_drift_factor": 3.0,
                    "precise_sigma_km": 0.5},
        "sharing": {"degraded_sigma_factor": 10.0, "delayed_moves": 1},
        "effects": {"uplink_jamming": effect, "message": {**effect, "status": "nominal",
                                                          "escalation_level": 0}},
        "conjunction": {"screening_distance_km": 5.0, "hard_body_radius_m": 10.0,
                        "pc_attention": 1e-5, "pc_mitigation": 1e-4,
                        "avoidance_dv_m_per_s": 0.2, "avoidance_miss_km": 2.0},
        "close_approach": {"warning_range_km": 50.0},
        "orders": {"max_manoeuvre_dv_m_per_s": 5.0, "anti_jam_service_factor": 0.5,
                   "attribution_levels": ["almost no chance", "unlikely", "likely",
                                          "almost certain"]},
        "capability": {"service_by_status": {"nominal": 1.0, "degraded": 0.5, "disabled": 0.0,
                                             "destroyed": 0.0}},
        "escalation": [{"level": 0, "name": "Peace"}, {"level": 1, "name": "Grey zone"},
                       {"level": 2, "name": "Dazzling"}],
        **ruleset_sections(),
    })


def _track(object_id: str) -> Track:
    return Track(object_id=object_id, sigma_km=1.0, source="own", lat_deg=10.0, lon_deg=20.0,
                 alt_km=650.0, regime="LEO")


class FakeAdjudicator:
    """Returns fixed pictures, one conjunction warning and known capability numbers."""

    def initial_pictures(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        table = TrackTable.from_tracks([_track("RED-SAT-1")])
        return [PictureUpdated(nation=n, move=state.move, tracks=table)
                for n in state.played_nations()]

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        move = state.move
        bodies: list[EventBody] = [
            PictureUpdated(nation=n, move=move,
                           tracks=TrackTable.from_tracks([_track("RED-SAT-1"), _track("USA-SAT-1")]))
            for n in state.played_nations()
        ]
        if move == 1:
            bodies.append(ConjunctionWarning(
                nation="USA", asset_id="USA-SAT-1", other_id="RED-SAT-1",
                tca=state.scenario_time, miss_km=0.4, pc=2e-4, action_threshold_exceeded=True,
            ))
        shared = {n: {p: lvl for p, lvl in row.items() if lvl != "withhold"}
                  for n, row in release_summary(state).items()}
        shared = {n: row for n, row in shared.items() if row}
        bodies.append(MoveAdjudicated(
            move=move, escalation_level=ESCALATION[move], capability=CAPABILITY[move],
            custody=CUSTODY[move], precise_custody=PRECISE.get(move, {}), shared_products=shared,
            collisions=(("USA-SAT-1", "RED-SAT-1"),) if move == 2 else (),
        ))
        return bodies


WHITE = Seat(role=Role.WHITE_CELL)
FACILITATOR = Seat(role=Role.FACILITATOR)
EVALUATOR = Seat(role=Role.EVALUATOR)
USA = Seat(role=Role.PLAYER, nation="USA")
GBR = Seat(role=Role.PLAYER, nation="GBR")


class Driver:
    """Issues commands and fails loudly if one is rejected."""

    def __init__(self) -> None:
        self.store = MemoryEventStore()
        self.service = ExerciseService(self.store, FakeAdjudicator())
        self.count = 0
        self.service.create(EXERCISE_ID, ExerciseCreated(
            title="Exercise | Pole Star", scenario=make_scenario(), ruleset=make_ruleset(), seed=42,
        ))

    def do(self, seat: Seat, command: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        result = self.service.handle(EXERCISE_ID, seat, f"c{self.count}",
                                     command_adapter.validate_python(command))
        assert result["status"] == "accepted", result
        return result

    def events(self) -> list[EventEnvelope]:
        return self.store.read_after(EXERCISE_ID, 0)


def play() -> list[EventEnvelope]:
    """Two moves: sharing changes, orders with reasons, a tasking, chat, observations."""
    d = Driver()
    d.do(WHITE, {"type": "start_exercise"})
    d.do(USA, share("GBR"))
    d.do(GBR, share("USA"))
    d.do(GBR, share("FRA", "degraded"))
    d.do(WHITE, {"type": "release_inject", "inject_id": "INJ-03"})
    d.do(GBR, {"type": "submit_order", "reason": "move away | from the jammer",
               "order": {"kind": "manoeuvre", "asset_id": "GBR-SAT-1", "dv_m_per_s": 0.5,
                         "purpose": "evasion"}})
    d.do(USA, {"type": "submit_order", "reason": "need custody of the inspector",
               "order": {"kind": "tasking_request", "partner": "GBR",
                         "sensor_id": "GBR-RADAR", "object_id": "RED-SAT-1"}})
    request_id = next(iter(d.service.state(EXERCISE_ID).taskings))
    d.do(GBR, {"type": "answer_tasking", "request_id": request_id, "accept": True,
               "reason": "radar has spare capacity"})
    d.do(USA, {"type": "post_chat", "channel": "team", "text": "USA internal chat"})
    d.do(GBR, {"type": "post_chat", "channel": "team", "text": "GBR internal chat"})
    d.do(EVALUATOR, {"type": "record_observation", "objective_id": "OBJ-1", "rating": "S",
                 "text": "USA and GBR shared quickly"})
    d.do(WHITE, {"type": "advance_move", "from_move": 1})
    (usa_to_gbr,) = d.service.state(EXERCISE_ID).nations["USA"].products
    d.do(USA, {"type": "withdraw_product", "product_id": usa_to_gbr})
    d.do(GBR, {"type": "submit_order", "reason": "attribute the jamming",
               "order": {"kind": "public_attribution", "inject_id": "INJ-03",
                         "accused": "RED", "likelihood": "likely"}})
    d.do(FACILITATOR, {"type": "record_observation", "text": "General note"})
    d.do(WHITE, {"type": "advance_move", "from_move": 2})
    return d.events()
