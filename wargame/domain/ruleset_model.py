"""Pydantic schema of a ruleset: every number of the game lives in one of these files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wargame.domain.common import (
    AssetStatus,
    Frozen,
    Identifier,
    InjectType,
    MissionArea,
    ShortText,
)

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Regime = Literal["LEO", "MEO", "GEO", "HEO"]


class RegimeRules(Frozen):
    """How an orbit is classed into a regime, from its perigee/apogee altitude and eccentricity."""

    leo_max_altitude_km: Positive
    geo_min_altitude_km: Positive
    geo_max_altitude_km: Positive
    heo_min_eccentricity: Probability


class SensorModel(Frozen):
    """Detection limits of one kind of sensor."""

    type: Literal["radar", "optical", "space_based", "rf"]
    min_elevation_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    max_range_km: Positive
    regimes: tuple[Regime, ...]
    needs_site_dark: bool = False
    """Optical: the Sun must be below `max_sun_elevation_deg` at the site."""
    max_sun_elevation_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = -12.0
    needs_target_sunlit: bool = False
    sun_exclusion_deg: Annotated[float, Field(ge=0.0, le=180.0)] = 0.0
    """Space-based: no detection within this angle of the Sun direction."""
    measurement_sigma_km: Positive
    """1-sigma position error of one observation pass."""


class CustodyRules(Frozen):
    owner_sigma_km: Positive
    """An owner's knowledge of its own payloads (telemetry and ephemeris)."""
    initial_sigma_km: Positive
    """Quality of a catalog element set at the start of the exercise."""
    growth_km_per_hour: NonNegative
    """Growth of the 1-sigma error per hour without an observation."""
    custody_max_sigma_km: Positive
    """Beyond this 1-sigma error a nation no longer holds the object."""
    initial_custody: Literal["all", "own_sensors"] = "all"
    """Whether every nation starts holding the whole public catalog at initial_sigma_km."""


class SharingRules(Frozen):
    degraded_sigma_factor: Annotated[float, Field(ge=1.0)]
    """Shared 'degraded' tracks have their 1-sigma error multiplied by this."""
    delayed_moves: Annotated[int, Field(ge=1)]
    """Shared 'delayed' tracks are those of this many moves ago."""


class EffectRule(Frozen):
    """How one inject type resolves against its target."""

    p_success: Probability
    protection_factors: dict[Identifier, Probability] = Field(default_factory=dict)
    """Multiplier on p_success for each protection the target has (or anti-jam mode when on)."""
    status: AssetStatus
    duration_moves: Annotated[int, Field(ge=0)] | None = None
    """How many moves the status lasts; None means until reversed by a controller (permanent)."""
    reversible: bool
    escalation_level: Annotated[int, Field(ge=0)]
    observable_by: Literal["owner", "everyone", "custody", "nobody"]
    """Who learns of the effect: the victim's owner, everyone, nations holding the actor, or nobody."""
    mission_areas: tuple[MissionArea, ...] = ()
    """For area effects (space weather): the mission areas affected; empty means the target only."""


class ConjunctionRules(Frozen):
    screening_distance_km: Positive
    hard_body_radius_m: Positive
    pc_attention: Probability
    pc_mitigation: Probability
    avoidance_dv_m_per_s: Positive
    """Delta-v a collision-avoidance manoeuvre costs."""
    avoidance_miss_km: Positive
    """Miss distance after a collision-avoidance manoeuvre."""


class CloseApproachRules(Frozen):
    warning_range_km: Positive


class OrderRules(Frozen):
    max_manoeuvre_dv_m_per_s: Positive
    anti_jam_service_factor: Probability
    """While anti-jam mode is on, a SATCOM asset delivers this share of its service."""
    attribution_levels: tuple[ShortText, ...]
    """Words a team may use in a public attribution (ICD 203 scale)."""


class EscalationStep(Frozen):
    level: Annotated[int, Field(ge=0)]
    name: ShortText


class CapabilityRules(Frozen):
    service_by_status: dict[AssetStatus, Probability]
    """Share of an asset's service delivered in each status."""


class Ruleset(Frozen):
    id: Identifier
    title: ShortText
    time_step_minutes: Annotated[float, Field(gt=0.0, le=360.0)]
    regimes: RegimeRules
    sensor_models: dict[Identifier, SensorModel]
    custody: CustodyRules
    sharing: SharingRules
    effects: dict[InjectType, EffectRule]
    conjunction: ConjunctionRules
    close_approach: CloseApproachRules
    orders: OrderRules
    capability: CapabilityRules
    escalation: tuple[EscalationStep, ...]

    @model_validator(mode="after")
    def _complete(self) -> Ruleset:
        missing_status = [
            s.value for s in AssetStatus if s not in self.capability.service_by_status
        ]
        if missing_status:
            raise ValueError(f"capability.service_by_status lacks {missing_status}")
        levels = [step.level for step in self.escalation]
        if levels != sorted(set(levels)):
            raise ValueError("escalation levels must be unique and increasing")
        return self
