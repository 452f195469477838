"""Pydantic schema of a ruleset: every number of the game lives in one of these files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from wargame.domain.common import (
    AssetStatus,
    EmptyOmitted,
    Frozen,
    Identifier,
    InjectType,
    MissionArea,
    NoneOmitted,
    ShortText,
    ZeroOmitted,
)
from wargame.domain.request_model import RequestRules
from wargame.domain.response_rules import ResponseRules

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]

TargetKind = Literal["objects", "sensors"]

MAX_STORED_SIGMA_KM = 60.0
"""The largest 1-sigma a custody record can store (adjudication/records.py): 1 m * 2^(254/16)."""


def _objects_only(value: tuple[str, ...]) -> bool:
    return tuple(value) == ("objects",)


FILE_CONTEXT: dict[str, bool] = {"file": True}
"""Validation context for a ruleset or scenario file (the loader passes it). Keys and rules added
after exercises were recorded are required only there: a log written before them still loads."""


def from_file(info: ValidationInfo) -> bool:
    """Whether this validation reads a file (FILE_CONTEXT), not a recorded event or snapshot."""
    return bool(info.context and info.context.get("file"))
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
    initial_sigma_km: Annotated[Positive | None, NoneOmitted] = None
    """Legacy (rulesets before public_catalog_sigma_km): the public catalog's 1-sigma at the
    start, growing by growth_km_per_hour for the whole exercise."""
    growth_km_per_hour: NonNegative
    """Growth of the 1-sigma error per hour without an observation."""
    custody_max_sigma_km: Positive
    """Beyond this 1-sigma error a nation no longer holds the object."""
    precise_sigma_km: Annotated[Positive | None, NoneOmitted] = None
    """A held track at or below this 1-sigma counts as precise (conjunction-grade) in the move
    metrics (MoveAdjudicated.precise_custody). At most custody_max_sigma_km. Required in a file;
    logs recorded before it existed load with None (no precise count; left out of dumps)."""
    manoeuvre_drift_factor: Annotated[ZeroOmitted, Field(ge=0.0)] = 0.0
    """An unseen burn of |dv| adds factor * |dv| * t to the 1-sigma error of every nation but the
    owner, t after the burn, until a sensor observes the object (3: the along-track drift of a
    tangential burn in the Clohessy-Wiltshire equations). 0: burns go unnoticed. Required in a
    file; logs recorded before it existed load with 0, as they were adjudicated (left out of
    dumps when 0, so their hashes hold)."""
    initial_custody: Annotated[Literal["all", "own_sensors"] | None, NoneOmitted] = None
    """Legacy (rulesets before public_catalog_sigma_km): 'all' (the default) gave every nation
    the public catalog at initial_sigma_km, 'own_sensors' gave nobody."""
    public_catalog_sigma_km: Annotated[dict[Regime, Positive] | None, NoneOmitted] = None
    """1-sigma of the public catalog's estimate of an object, by orbit regime: the accuracy of
    published element sets, refreshed as they are (DOMAIN: about 1 km at epoch, growing 1-3 km a
    day). The public catalog is its own source (track source 'catalog'), for the nations the
    scenario gives it to (`nations[].public_catalog`); objects made in play are not in it.
    Required in a file; rulesets recorded before it use initial_sigma_km and initial_custody."""

    @model_validator(mode="after")
    def _file_keys_and_precise_within_custody(self, info: ValidationInfo) -> CustodyRules:
        added = ("manoeuvre_drift_factor", "precise_sigma_km", "public_catalog_sigma_km")
        missing = [k for k in added if k not in self.model_fields_set]
        if from_file(info) and missing:
            raise ValueError(
                f"{' and '.join(missing)} required (see 'Upgrading a ruleset' in docs/authoring.md)"
            )
        replaced = [k for k in ("initial_sigma_km", "initial_custody") if k in self.model_fields_set]
        if from_file(info) and replaced:
            raise ValueError(
                f"{' and '.join(replaced)}: replaced by public_catalog_sigma_km (the public catalog's "
                "accuracy by regime) and the scenario's nations[].public_catalog"
            )
        if from_file(info) and self.custody_max_sigma_km > MAX_STORED_SIGMA_KM:
            raise ValueError(
                f"custody_max_sigma_km ({self.custody_max_sigma_km}) must be at most "
                f"{MAX_STORED_SIGMA_KM} km: a custody record stores 1-sigma up to that"
            )
        if self.precise_sigma_km is not None and self.precise_sigma_km > self.custody_max_sigma_km:
            raise ValueError(
                f"precise_sigma_km ({self.precise_sigma_km}) must not exceed custody_max_sigma_km "
                f"({self.custody_max_sigma_km}): a precise track is a held one"
            )
        return self


class SharingRules(Frozen):
    degraded_sigma_factor: Annotated[float, Field(ge=1.0)]
    """Shared 'degraded' tracks have their 1-sigma error multiplied by this."""
    delayed_moves: Annotated[int, Field(ge=1, le=1)]
    """Shared 'delayed' tracks are those of this many moves ago. Only 1 is supported: the state
    keeps each nation's previous picture, not a longer history."""


class EffectRule(Frozen):
    """How one inject type resolves against its target."""

    p_success: Probability
    protection_factors: dict[Identifier, Probability] = Field(default_factory=dict)
    """Multiplier on p_success for each protection the target has (or anti-jam mode when on)."""
    status: AssetStatus
    duration_moves: Annotated[int, Field(ge=0)] | None = None
    """How many moves the status lasts (the asset recovers when the move it ends in is adjudicated).
    None: until the white cell restores it (restore_asset) when reversible, for good when not.
    An irreversible effect must have None."""
    reversible: bool
    """Whether the white cell may restore the asset from this status (restore_asset), e.g. return
    control after a cyber seizure. False: it lasts to the end of the exercise (duration_moves must
    be null); a destroyed status is always irreversible."""
    escalation_level: Annotated[int, Field(ge=0)]
    observable_by: Literal["owner", "everyone", "custody", "nobody"]
    """Who learns of the effect besides the white cell: the victim's owner ('owner'), every played
    nation ('everyone'), the owner and the nations whose fused picture holds the actor's object
    named by the inject (params approacher/secondary), else the target, on observations rather
    than the public catalog alone ('custody'), or nobody,
    not even the owner's team, until the white cell discloses it (disclose_status) ('nobody')."""
    mission_areas: tuple[MissionArea, ...] = ()
    """For area effects (space weather): the mission areas affected; empty means the target only."""
    targets: Annotated[tuple[TargetKind, ...], Field(min_length=1, exclude_if=_objects_only)] = (
        "objects",
    )
    """What an inject of this type may target: space objects, scenario sensors (a radar site's
    network, an SSA telescope's optics), or both. Left out of dumps when objects only."""
    regimes: Annotated[tuple[Regime, ...], EmptyOmitted] = ()
    """Orbit regimes the effect can reach (a direct-ascent ASAT: LEO); empty: any. An inject or
    red-cell order against a space object in another regime is refused (domain/counterspace.py)."""
    region_radius_km: Annotated[float | None, Field(gt=0.0), NoneOmitted] = None
    """For a ground emitter (downlink jamming): an inject that names its site (site_lat_deg,
    site_lon_deg) denies a satellite's service only within this radius of the site, so the
    satellite loses that share of its footprint (adjudication/regional.py). None, or no site:
    the whole service."""

    @model_validator(mode="after")
    def _reversibility(self, info: ValidationInfo) -> EffectRule:
        """Checked in files only: logs recorded before the rule existed still load."""
        if not from_file(info):
            return self
        problems = []
        if self.status is AssetStatus.DESTROYED and self.reversible:
            problems.append("reversible must be false when status is destroyed (nothing restores it)")
        if not self.reversible and self.duration_moves is not None:
            problems.append(
                f"duration_moves must be null when reversible is false (an irreversible effect lasts "
                f"to the end of the exercise), not {self.duration_moves}"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class NuclearRules(Frozen):
    """A nuclear detonation in space (adjudication/nuclear.py): the prompt effect on every
    satellite within a radius of the burst, then a pumped radiation belt that degrades unhardened
    LEO satellites move after move until it decays."""

    area_radius_km: Positive
    """Satellites within this distance of the burst are exposed to the prompt effect."""
    falloff_exponent: Positive
    """p at distance d = effects.nuclear_detonation.p_success x (1 - d / area_radius_km) ^ this,
    times the target's protection factors."""
    belt_moves: Annotated[int, Field(ge=1)]
    """Moves after the detonation's in which the belt acts."""
    belt_p_per_move: Probability
    """Chance, in the first move after the detonation, that the belt degrades one exposed satellite."""
    belt_decay_per_move: Probability
    """Factor on belt_p_per_move for each later move (the belt decays)."""
    belt_regimes: Annotated[tuple[Regime, ...], Field(min_length=1)]
    """Regimes whose satellites the belt exposes."""
    belt_protection: Identifier
    """Protection key that makes a satellite immune to the belt (radiation hardening)."""
    belt_statuses: Annotated[tuple[AssetStatus, ...], Field(min_length=1)]
    """Each belt hit moves a satellite one step along these statuses (e.g. degraded, then disabled)."""


class ConjunctionRules(Frozen):
    screening_distance_km: Positive
    hard_body_radius_m: Positive
    pc_attention: Probability
    pc_mitigation: Probability
    avoidance_dv_m_per_s: Positive
    """Smallest |dv| of a collision-avoidance manoeuvre that clears a scripted conjunction."""
    avoidance_miss_km: Positive
    """Miss distance after a collision-avoidance manoeuvre."""


class CloseApproachRules(Frozen):
    warning_range_km: Positive


class OrderRules(Frozen):
    max_manoeuvre_dv_m_per_s: Positive
    """Largest |dv| one manoeuvre order may command: the norm of its radial, along-track and
    cross-track components."""
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
    ssa_sensor_weight: Annotated[NonNegative | None, NoneOmitted] = None
    """Weight of one of a nation's SSA sensors (ground or space-based) against one SSA satellite
    in its SSA capability, at its service_by_status share. Absent (rulesets before 2026-12):
    sensors do not count and a nation's SSA score is its SSA satellites' alone."""


StormSeverity = Literal["G1", "G2", "G3", "G4", "G5"]
"""NOAA geomagnetic storm scale: minor, moderate, strong, severe, extreme."""


class StormLevel(Frozen):
    """What a storm of one severity does (space_weather injects)."""

    p_factor: Annotated[float, Field(ge=0.0)]
    """Factor on the space_weather effect rule's p_success (the product is capped at 1)."""
    duration_moves: Annotated[int, Field(ge=1)]
    """Moves its status and its drag last, unless the inject sets duration_moves."""
    leo_custody_growth_factor: Annotated[float, Field(ge=1.0)]
    """Factor on custody.growth_km_per_hour for LEO objects while it lasts (drag)."""


class SpaceWeatherRules(Frozen):
    """Storm severity levels; an inject picks one with params.severity."""

    default_severity: StormSeverity
    levels: dict[StormSeverity, StormLevel]

    @model_validator(mode="after")
    def _every_level(self) -> SpaceWeatherRules:
        missing = sorted(set(StormSeverity.__args__) - set(self.levels))  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"levels: missing {', '.join(missing)}")
        return self


class BreakupLaw(Frozen):
    """One NASA standard breakup model law: N(>L_c) = count_coefficient * S * M^mass_exponent *
    L_c^-size_exponent (S: the cause's scale, M in kg, L_c in m), and log10(dv in m/s) normal with
    mean dv_chi_slope * chi + dv_log10_intercept and sd dv_log10_sigma, chi = log10(A/M in m^2/kg)."""

    count_coefficient: Positive
    mass_exponent: NonNegative
    """0.75 for a catastrophic collision; 0 for an explosion (the count does not depend on mass)."""
    size_exponent: Positive
    dv_chi_slope: float
    dv_log10_intercept: float
    dv_log10_sigma: Positive


class BreakupCause(Frozen):
    """How one kind of event breaks its victim up."""

    law: Literal["collision", "explosion"]
    p_breakup: Probability
    """Chance that a successful kill or a collision produces fragments at all."""
    scale: Positive = 1.0
    """S of the explosion law (1 for a rocket body); a plain multiplier of the collision count."""
    projectile_mass_kg: NonNegative = 0.0
    """Mass of the kill vehicle added to the victim's mass in the collision law."""


class DebrisRules(Frozen):
    """Fragment generation after a breakup (the NASA standard breakup model, simplified)."""

    min_size_m: Positive
    """L_c: the smallest fragment the catalog tracks."""
    max_size_m: Positive
    """Sampled sizes are clipped here (the largest fragment of a breakup)."""
    max_fragments_cataloged: Annotated[int, Field(ge=0, le=9999)]
    """Cap on the fragments of one breakup that enter the catalog (the rest are only counted)."""
    min_perigee_altitude_km: Annotated[float, Field(gt=80.0)]
    """Fragments whose perigee falls below this re-enter at once and are not cataloged."""
    mass_kg_by_kind: dict[Literal["payload", "rocket_body", "debris"], Positive]
    """Mass of an object of each kind (scenarios carry no masses)."""
    area_to_mass_log10_at_min_size: float
    """Mean of chi = log10(A/M in m^2/kg) for a fragment of size min_size_m."""
    area_to_mass_log10_slope: float
    """Change of the mean chi per decade of size above min_size_m."""
    area_to_mass_log10_sigma: Positive
    collision: BreakupLaw
    explosion: BreakupLaw
    causes: dict[InjectType, BreakupCause]
    """Which events break their victim up: direct_ascent_asat and co_orbital kills, and
    conjunction (a collision); a type that is absent makes no debris."""

    @model_validator(mode="after")
    def _sizes(self) -> DebrisRules:
        if self.max_size_m <= self.min_size_m:
            raise ValueError("max_size_m must exceed min_size_m")
        missing = [k for k in ("payload", "rocket_body", "debris") if k not in self.mass_kg_by_kind]
        if missing:
            raise ValueError(f"mass_kg_by_kind lacks {missing}")
        return self


class EvidenceRule(Frozen):
    """Weight of one kind of attribution evidence."""

    likelihood_ratio: Positive
    """Bayes factor: the odds that the actor did it are multiplied by this when the evidence holds."""
    inject_types: tuple[InjectType, ...] = ()
    """Inject types the evidence bears on; empty means every assessed type."""


class EvidenceRules(Frozen):
    custody: EvidenceRule
    """The nation's picture held an object of the actor involved in the threat."""
    rf_geolocation: EvidenceRule
    """The nation has an RF geolocation sensor within range of the target or the jammer site."""
    missile_warning: EvidenceRule
    """The nation owns a nominal missile-warning asset (it saw the launch)."""
    public_attribution: EvidenceRule
    """Another nation already attributed the inject to the actor in public."""


class LikelihoodBand(Frozen):
    """One word of the likelihood scale and the highest percentage it covers."""

    label: ShortText
    max_pct: Annotated[float, Field(gt=0.0, le=100.0)]


class AttributionRules(Frozen):
    """Attribution likelihood (percent) of a hostile inject from the evidence a nation holds."""

    prior_pct: dict[InjectType, Annotated[float, Field(gt=0.0, lt=100.0)]]
    """Likelihood before evidence, per inject type; types absent are not assessed (natural)."""
    evidence: EvidenceRules
    rf_geolocation_range_km: Positive
    """An RF sensor locates a jammer within this ground distance of its site."""
    min_pct: Annotated[float, Field(gt=0.0, lt=100.0)]
    max_pct: Annotated[float, Field(gt=0.0, lt=100.0)]
    scale: tuple[LikelihoodBand, ...]
    """Likelihood words in increasing order (ICD 203)."""
    moderate_confidence_min_evidence: Annotated[int, Field(ge=1)]
    """Number of independent evidence kinds needed for moderate confidence."""
    high_confidence_min_evidence: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _ordered(self) -> AttributionRules:
        bounds = [band.max_pct for band in self.scale]
        if not bounds or bounds != sorted(set(bounds)) or bounds[-1] < self.max_pct:
            raise ValueError("scale max_pct must increase and the last must reach max_pct")
        if self.min_pct >= self.max_pct:
            raise ValueError("min_pct must be below max_pct")
        if self.high_confidence_min_evidence < self.moderate_confidence_min_evidence:
            raise ValueError("high confidence needs at least as much evidence as moderate")
        return self


class WarningRules(Frozen):
    """When a nation counts as warned of a threat."""

    max_track_sigma_km: Positive
    """A track of the threatening object counts only if its 1-sigma is at most this."""
    timely_hours: NonNegative
    """Warning at least this long before the effect counts as timely (after-action review)."""


class DisclosureRules(Frozen):
    """Foreign disclosure: releasing to a partner takes a review, unless an agreement stands."""

    review_moves: Annotated[int, Field(ge=0, le=20)]
    """Moves a new release spends in foreign-disclosure review before it reaches a partner that no
    standing sharing agreement (scenario `agreements`) covers for that kind of product. DOMAIN:
    loosening the releasability of a product costs 1-3 moves."""


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
    debris: DebrisRules
    attribution: AttributionRules
    warning: WarningRules
    disclosure: Annotated[DisclosureRules | None, NoneOmitted] = None
    space_weather: Annotated[SpaceWeatherRules | None, NoneOmitted] = None
    """Storm severity levels; absent (rulesets before 2026-12): every storm is the effect rule's."""
    """Required in a file; rulesets recorded before it load without (releases arrive at once)."""
    nuclear: Annotated[NuclearRules | None, NoneOmitted] = None
    """Area and radiation-belt effects of a nuclear detonation; rulesets recorded before it load
    without (a detonation hits its named target only)."""
    requests: Annotated[RequestRules | None, NoneOmitted] = None
    """What lent fallback capacity is worth; None (rulesets recorded before it): no capacity requests."""
    responses: Annotated[ResponseRules | None, NoneOmitted] = None
    """Response orders and the escalation model (domain/response_rules.py). Required in a file;
    rulesets recorded before it load without (no response orders; escalation only ratchets)."""

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> Ruleset:
        if from_file(info) and self.disclosure is None:
            raise ValueError("disclosure required (see 'Upgrading a ruleset' in docs/authoring.md)")
        if from_file(info) and self.responses is None:
            raise ValueError("responses required (see 'Upgrading a ruleset' in docs/authoring.md)")
        optional = () if self.responses is not None else (AssetStatus.SAFE_MODE,)
        missing_status = [
            s.value for s in AssetStatus
            if s not in self.capability.service_by_status and s not in optional
        ]
        if missing_status:
            raise ValueError(f"capability.service_by_status lacks {missing_status}")
        levels = [step.level for step in self.escalation]
        if levels != sorted(set(levels)):
            raise ValueError("escalation levels must be unique and increasing")
        return self


def target_refusal(ruleset: Ruleset, inject_type: InjectType, kind: TargetKind, target: str) -> str | None:
    """Why an inject of `inject_type` may not target `target` (a space object or a sensor, by
    `kind`) under the ruleset's `effects.<type>.targets`; None when it may (or has no rule)."""
    rule = ruleset.effects.get(inject_type)
    if rule is None or kind in rule.targets:
        return None
    what = "sensor" if kind == "sensors" else "space object"
    allowed = " and ".join(rule.targets)
    return (
        f"a {inject_type.value} inject cannot target {what} {target!r}: effects.{inject_type.value}.targets "
        f"in ruleset {ruleset.id!r} allows {allowed} only"
    )
