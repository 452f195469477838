"""Small scenarios, rulesets, seats and a fake adjudicator for tests that don't need the real core."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from wargame.domain.audience import Role, Seat
from wargame.domain.closing import Adjudicator
from wargame.domain.commands import Command, command_adapter
from wargame.domain.common import AssetStatus
from wargame.domain.events import (
    AssetStatusChanged,
    EventBody,
    ExerciseCreated,
    MoveAdjudicated,
    PictureUpdated,
)
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.domain.state import ExerciseState, Track, TrackTable
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

START = datetime(2027, 3, 1, tzinfo=UTC)


def ruleset_sections() -> dict[str, Any]:
    """The debris, attribution and warning sections every ruleset needs (small, test-sized)."""
    law = {"dv_log10_sigma": 0.4}
    return {
        "debris": {
            "min_size_m": 0.1,
            "max_size_m": 2.0,
            "max_fragments_cataloged": 40,
            "min_perigee_altitude_km": 150.0,
            "mass_kg_by_kind": {"payload": 2000.0, "rocket_body": 1500.0, "debris": 10.0},
            "area_to_mass_log10_at_min_size": -0.98,
            "area_to_mass_log10_slope": -0.2,
            "area_to_mass_log10_sigma": 0.4,
            "collision": {
                **law,
                "count_coefficient": 0.1,
                "mass_exponent": 0.75,
                "size_exponent": 1.71,
                "dv_chi_slope": 0.9,
                "dv_log10_intercept": 2.9,
            },
            "explosion": {
                **law,
                "count_coefficient": 6.0,
                "mass_exponent": 0.0,
                "size_exponent": 1.6,
                "dv_chi_slope": 0.2,
                "dv_log10_intercept": 1.85,
            },
            "causes": {
                "direct_ascent_asat": {"law": "collision", "p_breakup": 1.0, "projectile_mass_kg": 20.0},
                "co_orbital": {"law": "explosion", "p_breakup": 0.3, "scale": 0.5},
                "conjunction": {"law": "collision", "p_breakup": 1.0},
            },
        },
        "attribution": {
            "prior_pct": {
                "direct_ascent_asat": 60.0,
                "co_orbital": 30.0,
                "close_approach": 40.0,
                "uplink_jamming": 25.0,
                "cyber_corruption": 10.0,
            },
            "evidence": {
                "custody": {"likelihood_ratio": 3.0, "inject_types": ["co_orbital", "close_approach"]},
                "rf_geolocation": {"likelihood_ratio": 5.0, "inject_types": ["uplink_jamming"]},
                "missile_warning": {"likelihood_ratio": 15.0, "inject_types": ["direct_ascent_asat"]},
                "public_attribution": {"likelihood_ratio": 2.0},
            },
            "rf_geolocation_range_km": 6000.0,
            "min_pct": 1.0,
            "max_pct": 99.0,
            "scale": [
                {"label": "almost no chance", "max_pct": 5.0},
                {"label": "very unlikely", "max_pct": 20.0},
                {"label": "unlikely", "max_pct": 45.0},
                {"label": "roughly even", "max_pct": 55.0},
                {"label": "likely", "max_pct": 80.0},
                {"label": "very likely", "max_pct": 95.0},
                {"label": "almost certain", "max_pct": 99.0},
            ],
            "moderate_confidence_min_evidence": 2,
            "high_confidence_min_evidence": 3,
        },
        "warning": {"max_track_sigma_km": 10.0, "timely_hours": 6.0},
    }


def ruleset_data() -> dict[str, Any]:
    effect = {
        "p_success": 0.8,
        "status": "degraded",
        "duration_moves": 1,
        "reversible": True,
        "escalation_level": 1,
        "observable_by": "owner",
        "protection_factors": {"anti_jam": 0.25},
    }
    return {
        "id": "test",
        "title": "Test rules",
        "time_step_minutes": 30,
        "regimes": {
            "leo_max_altitude_km": 2000,
            "geo_min_altitude_km": 35000,
            "geo_max_altitude_km": 36600,
            "heo_min_eccentricity": 0.25,
        },
        "sensor_models": {
            "radar": {
                "type": "radar",
                "min_elevation_deg": 10,
                "max_range_km": 4000,
                "regimes": ["LEO"],
                "measurement_sigma_km": 0.1,
            },
            "optical": {
                "type": "optical",
                "min_elevation_deg": 15,
                "max_range_km": 45000,
                "regimes": ["GEO", "MEO", "HEO"],
                "needs_site_dark": True,
                "needs_target_sunlit": True,
                "measurement_sigma_km": 0.5,
            },
        },
        "custody": {
            "owner_sigma_km": 0.05,
            "initial_sigma_km": 1.0,
            "growth_km_per_hour": 0.08,
            "custody_max_sigma_km": 25.0,
            "manoeuvre_drift_factor": 3.0,
            "precise_sigma_km": 0.5,
        },
        "sharing": {"degraded_sigma_factor": 5.0, "delayed_moves": 1},
        "effects": {
            "uplink_jamming": effect,
            "space_weather": {**effect, "mission_areas": ["SATCOM"]},
        },
        "conjunction": {
            "screening_distance_km": 5.0,
            "hard_body_radius_m": 10.0,
            "pc_attention": 1e-7,
            "pc_mitigation": 1e-4,
            "avoidance_dv_m_per_s": 0.5,
            "avoidance_miss_km": 2.0,
        },
        "close_approach": {"warning_range_km": 50.0},
        "orders": {
            "max_manoeuvre_dv_m_per_s": 20.0,
            "anti_jam_service_factor": 0.6,
            "attribution_levels": ["unlikely", "roughly even", "likely", "very likely"],
        },
        "capability": {
            "service_by_status": {
                "nominal": 1.0,
                "degraded": 0.5,
                "disabled": 0.0,
                "destroyed": 0.0,
            }
        },
        "escalation": [
            {"level": 0, "name": "peacetime"},
            {"level": 1, "name": "grey zone"},
            {"level": 2, "name": "persistent"},
        ],
        **ruleset_sections(),
    }


def _kepler(a_km: float, inc: float, raan: float, ma: float) -> dict[str, Any]:
    return {
        "kind": "keplerian",
        "epoch": "2027-03-01T00:00:00Z",
        "semi_major_axis_km": a_km,
        "eccentricity": 0.0005,
        "inclination_deg": inc,
        "raan_deg": raan,
        "arg_perigee_deg": 0.0,
        "mean_anomaly_deg": ma,
    }


def scenario_data() -> dict[str, Any]:
    return {
        "id": "unit",
        "title": "Unit test scenario",
        "ruleset": "test",
        "start_time": "2027-03-01T00:00:00Z",
        "move_length_hours": 6,
        "moves": 3,
        "seed": 7,
        "nations": [
            {"id": "USA", "name": "United States", "groups": ["FVEY", "CSPO"]},
            {"id": "GBR", "name": "United Kingdom", "groups": ["FVEY", "CSPO"]},
            {"id": "JPN", "name": "Japan", "groups": ["CSPO"]},
            {"id": "RED", "name": "Red", "side": "red", "played": False},
        ],
        "sensors": [
            {
                "id": "fence",
                "name": "Space Fence",
                "owner": "USA",
                "model": "radar",
                "lat_deg": 8.72,
                "lon_deg": 167.73,
            },
            {
                "id": "fyl",
                "name": "Fylingdales",
                "owner": "GBR",
                "model": "radar",
                "lat_deg": 54.36,
                "lon_deg": -0.67,
            },
            {
                "id": "bisei",
                "name": "Bisei",
                "owner": "JPN",
                "model": "optical",
                "lat_deg": 34.67,
                "lon_deg": 133.54,
            },
        ],
        "objects": [
            {
                "id": "usa-sat",
                "name": "USA SATCOM",
                "owner": "USA",
                "mission": "SATCOM",
                "orbit": _kepler(42164.0, 0.05, 0, 100),
                "protections": ["anti_jam"],
                "propellant_dv_m_per_s": 50,
            },
            {
                "id": "usa-isr",
                "name": "USA ISR",
                "owner": "USA",
                "mission": "ISR",
                "orbit": _kepler(7000.0, 97.8, 40, 10),
                "propellant_dv_m_per_s": 30,
            },
            {
                "id": "gbr-sat",
                "name": "GBR SATCOM",
                "owner": "GBR",
                "mission": "SATCOM",
                "orbit": _kepler(42164.0, 0.05, 0, 20),
                "propellant_dv_m_per_s": 40,
            },
            {
                "id": "jpn-wx",
                "name": "JPN Weather",
                "owner": "JPN",
                "mission": "WEATHER",
                "orbit": _kepler(42164.0, 0.05, 0, 180),
            },
            {
                "id": "red-insp",
                "name": "Red Inspector",
                "owner": "RED",
                "mission": "SSA",
                "orbit": _kepler(42200.0, 0.1, 0, 110),
            },
            {
                "id": "deb-1",
                "name": "Debris 1",
                "kind": "debris",
                "orbit": _kepler(7010.0, 97.7, 40, 12),
            },
        ],
        "objectives": [{"id": "OBJ-1", "text": "Share SSA data quickly", "capability": "SSA"}],
        "msel": [
            {
                "id": "INJ-1",
                "serial": 1,
                "title": "Jamming of USA SATCOM",
                "move": 1,
                "trigger": "manual",
                "type": "uplink_jamming",
                "target": "usa-sat",
                "actor": "RED",
                "recipients": ["USA"],
                "text": "Users report loss of uplink.",
                "controller_notes": "SECRET-NOTE-INJ-1",
                "objectives": ["OBJ-1"],
            },
            {
                "id": "INJ-2",
                "serial": 2,
                "title": "Storm",
                "move": 2,
                "trigger": "time",
                "type": "space_weather",
                "text": "NOAA G3 watch",
                "controller_notes": "SECRET-NOTE-INJ-2",
                "releasability": "PUBLIC",
            },
            {
                "id": "INJ-3",
                "serial": 3,
                "title": "GBR only",
                "move": 1,
                "trigger": "manual",
                "type": "message",
                "recipients": ["GBR"],
                "text": "GBR-ONLY-TEXT",
                "controller_notes": "SECRET-NOTE-INJ-3",
            },
        ],
    }


def make_created(**overrides: Any) -> ExerciseCreated:
    scenario = Scenario.model_validate({**scenario_data(), **overrides})
    return ExerciseCreated(
        title=scenario.title,
        scenario=scenario,
        ruleset=Ruleset.model_validate(ruleset_data()),
        seed=scenario.seed,
    )


def seat(viewer: str) -> Seat:
    if viewer.startswith("team:"):
        return Seat(role=Role.PLAYER, nation=viewer.removeprefix("team:"))
    return Seat(role=Role(viewer))


def command(data: dict[str, Any]) -> Command:
    result: Command = command_adapter.validate_python(data)
    return result


_command_ids = itertools.count(1)


def run_command(svc: ExerciseService, exercise_id: str, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    """Handle one command from `viewer` (a viewer name, see `seat`) with a fresh command id."""
    return svc.handle(exercise_id, seat(viewer), f"cmd-{next(_command_ids)}", command(data))


def service_at_move_2(exercise_id: str, adjudicator: Adjudicator) -> ExerciseService:
    """A memory-store service whose exercise is running at move 2 (move 1 adjudicated)."""
    svc = ExerciseService(MemoryEventStore(), adjudicator)
    svc.create(exercise_id, make_created())
    for data in ({"type": "start_exercise"}, {"type": "advance_move", "from_move": 1}):
        assert run_command(svc, exercise_id, "white_cell", data)["status"] == "accepted"
    return svc


class FakeAdjudicator:
    """Gives every nation its own assets as 'owner' tracks and reports fixed capabilities."""

    def initial_pictures(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        return [self._picture(state, n) for n in state.played_nations()]

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        bodies: list[EventBody] = [self._picture(state, n) for n in state.played_nations()]
        bodies.append(
            MoveAdjudicated(
                move=state.move,
                escalation_level=state.escalation_level,
                capability={n: {"SATCOM": 1.0} for n in state.played_nations()},
                custody={n: 1 for n in state.played_nations()},
                shared_products={
                    n: {p: lvl.value for p, lvl in state.nations[n].sharing.items()}
                    for n in state.played_nations()
                },
            )
        )
        return bodies

    def _picture(self, state: ExerciseState, nation: str) -> PictureUpdated:
        tracks = TrackTable.from_tracks([
            Track(
                object_id=a.id,
                sigma_km=0.05,
                source="owner",
                contributors=(nation,),
                lat_deg=0.0,
                lon_deg=0.0,
                alt_km=35786.0,
                regime="GEO",
            )
            for a in state.assets.values()
            if a.owner == nation
        ])
        return PictureUpdated(nation=nation, move=state.move, tracks=tracks)


MOVE_1_EFFECTS = (
    AssetStatusChanged(
        asset_id="usa-sat", owner="USA", status=AssetStatus.DEGRADED, until_move=3,
        cause="inject:INJ-1", inject_id="INJ-1", observers=("GBR",),
    ),
    AssetStatusChanged(
        asset_id="usa-isr", owner="USA", status=AssetStatus.DISABLED, cause="inject:INJ-9",
        inject_id="INJ-9", reversible=False,
    ),
    AssetStatusChanged(
        asset_id="gbr-sat", owner="GBR", status=AssetStatus.DESTROYED, cause="inject:INJ-8",
        inject_id="INJ-8", observers=("USA", "JPN"), reversible=False,
    ),
    AssetStatusChanged(
        asset_id="fyl", owner="GBR", status=AssetStatus.DISABLED, until_move=3, cause="inject:INJ-S",
        inject_id="INJ-S",
    ),
)
"""What EffectsAdjudicator's move 1 does: a reversible degradation (observed by GBR), an
irreversible disablement, a destruction, and GBR's radar 'fyl' disabled until move 3."""


class EffectsAdjudicator(FakeAdjudicator):
    """FakeAdjudicator whose move 1 also changes asset statuses (MOVE_1_EFFECTS)."""

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        effects: list[EventBody] = list(MOVE_1_EFFECTS) if state.move == 1 else []
        return [*effects, *super().adjudicate_move(state)]


UNNOTICED_SEIZURE = AssetStatusChanged(
    asset_id="jpn-wx", owner="JPN", status=AssetStatus.DISABLED, cause="inject:INJ-7",
    inject_id="INJ-7", noticed_by_owner=False,
)
"""A cyber seizure JPN does not notice (observable_by: nobody)."""


class UnnoticedAdjudicator(EffectsAdjudicator):
    """EffectsAdjudicator whose move 1 also seizes jpn-wx unnoticed (UNNOTICED_SEIZURE)."""

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        unnoticed: list[EventBody] = [UNNOTICED_SEIZURE] if state.move == 1 else []
        return [*unnoticed, *super().adjudicate_move(state)]


def share(partner: str, level: str = "full", kind: str = "tracks", **scope: Any) -> dict[str, Any]:
    """The release_product command that shares `kind` with one partner (marking REL <partner>)."""
    return {
        "type": "release_product",
        "product": {"kind": kind, **scope},
        "marking": {"releasability": "REL", "releasable_to": [partner]},
        "level": level,
        "recipients": [partner],
    }
