"""Builders of a small allied scenario (USA/GBR/JPN + RED), a ruleset and a running state."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np

from tests.factories import ruleset_sections
from wargame.adjudication.orbits import gmst_rad, to_jd
from wargame.domain.common import AssetStatus, InjectType, MissionArea
from wargame.domain.ruleset_model import (
    CapabilityRules,
    CloseApproachRules,
    ConjunctionRules,
    CustodyRules,
    EffectRule,
    EscalationStep,
    OrderRules,
    RegimeRules,
    Ruleset,
    SensorModel,
    SharingRules,
)
from wargame.domain.scenario_model import (
    Inject,
    KeplerianOrbit,
    Nation,
    Scenario,
    Sensor,
    SpaceObject,
)
from wargame.domain.state import AssetState, ExerciseState, InjectState, NationState

START = datetime(2024, 3, 20, 0, 0, tzinfo=UTC)


def kep(
    a_km: float, ecc: float, inc_deg: float, raan: float, argp: float, ma: float, epoch: datetime = START
) -> KeplerianOrbit:
    return KeplerianOrbit(
        kind="keplerian",
        epoch=epoch,
        semi_major_axis_km=a_km,
        eccentricity=ecc,
        inclination_deg=inc_deg,
        raan_deg=raan,
        arg_perigee_deg=argp,
        mean_anomaly_deg=ma,
    )


def geo(lon_deg: float, epoch: datetime = START) -> KeplerianOrbit:
    """A near-circular equatorial orbit whose sub-satellite longitude at epoch is lon_deg."""
    jd, fr = to_jd(epoch)
    gmst_deg = math.degrees(float(gmst_rad(np.array([jd]), np.array([fr]))[0]))
    return kep(42164.17, 0.0001, 0.02, 0.0, 0.0, (gmst_deg + lon_deg) % 360.0, epoch)


def make_ruleset(**overrides: Any) -> Ruleset:
    models = {
        "radar_leo": SensorModel(
            type="radar",
            min_elevation_deg=10.0,
            max_range_km=3000.0,
            regimes=("LEO",),
            measurement_sigma_km=0.3,
        ),
        "radar_deep": SensorModel(
            type="radar",
            min_elevation_deg=10.0,
            max_range_km=42000.0,
            regimes=("MEO", "GEO", "HEO"),
            measurement_sigma_km=1.0,
        ),
        "optical_deep": SensorModel(
            type="optical",
            min_elevation_deg=20.0,
            max_range_km=50000.0,
            regimes=("MEO", "GEO", "HEO"),
            needs_site_dark=True,
            max_sun_elevation_deg=-12.0,
            needs_target_sunlit=True,
            measurement_sigma_km=0.5,
        ),
        "space_optical": SensorModel(
            type="space_based",
            max_range_km=45000.0,
            regimes=("MEO", "GEO"),
            needs_target_sunlit=True,
            sun_exclusion_deg=40.0,
            measurement_sigma_km=1.0,
        ),
    }
    effects = {
        InjectType.UPLINK_JAMMING: EffectRule(
            p_success=0.6,
            protection_factors={"anti_jam": 0.25, "hardened": 0.5},
            status=AssetStatus.DEGRADED,
            duration_moves=1,
            reversible=True,
            escalation_level=1,
            observable_by="owner",
        ),
        InjectType.CYBER_CORRUPTION: EffectRule(
            p_success=1.0,
            status=AssetStatus.DISABLED,
            duration_moves=3,
            reversible=True,
            escalation_level=2,
            observable_by="nobody",
        ),
        InjectType.DIRECT_ASCENT_ASAT: EffectRule(
            p_success=1.0,
            status=AssetStatus.DESTROYED,
            duration_moves=None,
            reversible=False,
            escalation_level=4,
            observable_by="everyone",
        ),
        InjectType.SPACE_WEATHER: EffectRule(
            p_success=0.5,
            status=AssetStatus.DEGRADED,
            duration_moves=1,
            reversible=True,
            escalation_level=0,
            observable_by="everyone",
            mission_areas=(MissionArea.SATCOM, MissionArea.PNT),
        ),
        InjectType.CLOSE_APPROACH: EffectRule(
            p_success=1.0,
            status=AssetStatus.NOMINAL,
            reversible=True,
            escalation_level=1,
            observable_by="custody",
        ),
    }
    values: dict[str, Any] = dict(
        id="test",
        title="test rules",
        time_step_minutes=2.0,
        regimes=RegimeRules(
            leo_max_altitude_km=2000.0,
            geo_min_altitude_km=35286.0,
            geo_max_altitude_km=36286.0,
            heo_min_eccentricity=0.25,
        ),
        sensor_models=models,
        custody=CustodyRules(
            owner_sigma_km=0.05,
            initial_sigma_km=1.0,
            growth_km_per_hour=2.0 / 24.0,
            custody_max_sigma_km=5.0,
            manoeuvre_drift_factor=3.0,
            precise_sigma_km=0.5,
            initial_custody="all",
        ),
        sharing=SharingRules(degraded_sigma_factor=3.0, delayed_moves=1),
        effects=effects,
        conjunction=ConjunctionRules(
            screening_distance_km=5.0,
            hard_body_radius_m=10.0,
            pc_attention=1e-7,
            pc_mitigation=1e-4,
            avoidance_dv_m_per_s=0.1,
            avoidance_miss_km=2.0,
        ),
        close_approach=CloseApproachRules(warning_range_km=10.0),
        orders=OrderRules(
            max_manoeuvre_dv_m_per_s=50.0,
            anti_jam_service_factor=0.7,
            attribution_levels=("unlikely", "roughly even", "likely"),
        ),
        capability=CapabilityRules(
            service_by_status={
                AssetStatus.NOMINAL: 1.0,
                AssetStatus.DEGRADED: 0.5,
                AssetStatus.DISABLED: 0.0,
                AssetStatus.DESTROYED: 0.0,
            }
        ),
        escalation=tuple(EscalationStep(level=i, name=f"level {i}") for i in range(7)),
        **ruleset_sections(),
    )
    values.update(overrides)
    return Ruleset(**values)


def make_objects() -> tuple[SpaceObject, ...]:
    return (
        SpaceObject(
            id="USA-GPS",
            name="GPS IIF",
            owner="USA",
            mission=MissionArea.PNT,
            orbit=kep(26560.0, 0.005, 55.0, 30.0, 10.0, 0.0),
            propellant_dv_m_per_s=30.0,
        ),
        SpaceObject(
            id="USA-WGS",
            name="WGS",
            owner="USA",
            mission=MissionArea.SATCOM,
            orbit=geo(-100.0),
            protections=("hardened",),
            propellant_dv_m_per_s=50.0,
        ),
        SpaceObject(
            id="USA-LEO",
            name="ISR LEO",
            owner="USA",
            mission=MissionArea.ISR,
            orbit=kep(6928.0, 0.001, 97.5, 40.0, 0.0, 0.0),
            propellant_dv_m_per_s=20.0,
        ),
        SpaceObject(
            id="GBR-SKYNET",
            name="Skynet",
            owner="GBR",
            mission=MissionArea.SATCOM,
            orbit=geo(1.0),
            propellant_dv_m_per_s=40.0,
        ),
        SpaceObject(
            id="GBR-LEO",
            name="Carbonite",
            owner="GBR",
            mission=MissionArea.ISR,
            orbit=kep(6878.0, 0.001, 97.4, 120.0, 0.0, 90.0),
        ),
        SpaceObject(
            id="JPN-GEO",
            name="Kirameki",
            owner="JPN",
            mission=MissionArea.SATCOM,
            orbit=geo(140.0),
            propellant_dv_m_per_s=40.0,
        ),
        SpaceObject(
            id="JPN-IGS",
            name="IGS",
            owner="JPN",
            mission=MissionArea.ISR,
            orbit=kep(6878.0, 0.001, 97.4, 200.0, 0.0, 180.0),
        ),
        SpaceObject(
            id="RED-INSP",
            name="Inspector",
            owner="RED",
            orbit=kep(6950.0, 0.002, 97.0, 60.0, 0.0, 45.0),
            propellant_dv_m_per_s=200.0,
        ),
        SpaceObject(id="RED-GEO", name="Red GEO", owner="RED", orbit=geo(120.0), propellant_dv_m_per_s=200.0),
        SpaceObject(
            id="DEB-1",
            name="Debris",
            owner=None,
            kind="debris",
            orbit=kep(7100.0, 0.01, 82.0, 300.0, 50.0, 200.0),
        ),
    )


def make_sensors() -> tuple[Sensor, ...]:
    return (
        Sensor(id="FENCE", name="Space Fence", owner="USA", model="radar_leo", lat_deg=8.72, lon_deg=167.73),
        Sensor(
            id="EGLIN", name="Eglin FPS-85", owner="USA", model="radar_leo", lat_deg=30.57, lon_deg=-86.21
        ),
        Sensor(
            id="SOCORRO",
            name="GEODSS Socorro",
            owner="USA",
            model="optical_deep",
            lat_deg=33.82,
            lon_deg=-106.66,
            alt_km=1.5,
        ),
        Sensor(
            id="FYLINGDALES", name="Fylingdales", owner="GBR", model="radar_leo", lat_deg=54.36, lon_deg=-0.67
        ),
        Sensor(
            id="KAMISAIBARA", name="Kamisaibara", owner="JPN", model="radar_leo", lat_deg=35.3, lon_deg=133.9
        ),
        Sensor(
            id="SANYO", name="Deep-space radar", owner="JPN", model="radar_deep", lat_deg=34.0, lon_deg=131.2
        ),
        Sensor(
            id="SBSS",
            name="Space-based SSA",
            owner="USA",
            model="space_optical",
            orbit=kep(7008.0, 0.001, 97.9, 10.0, 0.0, 0.0),
        ),
    )


def make_scenario(**overrides: Any) -> Scenario:
    values: dict[str, Any] = dict(
        id="t",
        title="t",
        start_time=START,
        move_length_hours=6.0,
        moves=8,
        nations=(
            Nation(id="USA", name="United States", groups=("FVEY", "CSPO")),
            Nation(id="GBR", name="United Kingdom", groups=("FVEY", "CSPO")),
            Nation(id="JPN", name="Japan", groups=("CSPO",)),
            Nation(id="RED", name="Red", side="red", played=False),
        ),
        sensors=make_sensors(),
        objects=make_objects(),
    )
    values.update(overrides)
    return Scenario(**values)


def make_state(
    scenario: Scenario | None = None,
    ruleset: Ruleset | None = None,
    move: int = 1,
    injects: tuple[Inject, ...] = (),
    **overrides: Any,
) -> ExerciseState:
    scenario = scenario or make_scenario()
    ruleset = ruleset or make_ruleset()
    assets = {
        o.id: AssetState(id=o.id, owner=o.owner, orbit=o.orbit, propellant_dv_m_per_s=o.propellant_dv_m_per_s)
        for o in scenario.objects
    }
    values: dict[str, Any] = dict(
        exercise_id="t",
        title="t",
        scenario=scenario,
        ruleset=ruleset,
        seed=1,
        phase="running",
        move=move,
        scenario_time=scenario.start_time,
        assets=assets,
        nations={n.id: NationState(id=n.id) for n in scenario.nations},
        injects={i.id: InjectState(inject=i, released_move=move) for i in injects},
    )
    values.update(overrides)
    return ExerciseState(**values)


def picture_blobs(events: list[Any], blobs: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The blobs a move's PictureUpdated events attach (the custody record and truth), added to
    `blobs`: what the service stores beside them."""
    from wargame.domain.events import PictureUpdated

    found = dict(blobs or {})
    for event in events:
        if isinstance(event, PictureUpdated):
            found.update(event.attachments)
    return found


def pictures_by_nation(
    state: ExerciseState, events: list[Any], blobs: dict[str, bytes] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each nation's picture of the move whose events these are, rendered as its seat sees it:
    rows by object id (source, sigma_km, contributors, estimated position...)."""
    from wargame.adjudication.rendering import nation_picture, rows
    from wargame.domain.events import PictureUpdated

    found = picture_blobs(events, blobs)
    ids = state.object_ids()
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for event in events:
        if isinstance(event, PictureUpdated) and event.picture is not None:
            picture = nation_picture(event.nation, event.picture.pictures, found, state.ruleset, state.seed)
            out[event.nation] = rows(picture, ids)
    return out


def after(state: ExerciseState, events: list[Any]) -> ExerciseState:
    """The state once a move's event bodies are applied (evolve), as the log would have it."""
    from wargame.domain.decide import evolve_all

    return evolve_all(state, events)


KNOWN_BLOBS: dict[str, bytes] = {}
"""Every blob the core attached in this test process, by digest (content-addressed, so tests may
share them): what a service's store would hold."""


def adjudicate(state: ExerciseState) -> list[Any]:
    """adjudicate_move with the blobs the state's pictures name, keeping the new ones."""
    from wargame.adjudication import adjudicate_move

    events = adjudicate_move(state, KNOWN_BLOBS)
    KNOWN_BLOBS.update(picture_blobs(events))
    return events


def initial(state: ExerciseState) -> list[Any]:
    """initial_pictures, keeping the blobs it attaches."""
    from wargame.adjudication import initial_pictures

    events = initial_pictures(state, KNOWN_BLOBS)
    KNOWN_BLOBS.update(picture_blobs(events))
    return events
