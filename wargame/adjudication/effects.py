"""Resolution of released injects: effect rolls, close approaches and scripted conjunctions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from annotated_types import MaxLen
from numpy.typing import NDArray

from wargame.adjudication.burns import rtn_components
from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction_warnings import scripted_warning
from wargame.adjudication.counterspace import missed_resolution, unreachable
from wargame.adjudication.debris import Breakup, mass_kg
from wargame.adjudication.estimates import estimated_miss
from wargame.adjudication.fusion import FusedPicture
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.nuclear import nuclear_area
from wargame.adjudication.orbits import mean_keplerian_at, state_vector_at
from wargame.adjudication.regional import emitter_region, footprint_share, region_text
from wargame.adjudication.responses import response_factor
from wargame.adjudication.space_weather import storm_level
from wargame.adjudication.statuses import combined_reversible, combined_status
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import (
    AssetStatusChanged,
    CloseApproachDetected,
    ConjunctionWarning,
    InjectResolved,
    ManoeuvreExecuted,
)
from wargame.domain.inject_params import (
    CloseApproachParams,
    ConjunctionParams,
    EffectParams,
    InvalidParams,
    named_objects,
    recorded_params,
)
from wargame.domain.ruleset_model import EffectRule, Ruleset
from wargame.domain.scenario_model import Inject
from wargame.domain.sharing import product_receivers
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]

JAMMING_TYPES = frozenset({InjectType.UPLINK_JAMMING, InjectType.DOWNLINK_JAMMING, InjectType.SPOOFING})
"""Inject types against which an asset's anti-jam mode counts as the 'anti_jam' protection."""
ANTI_JAM = "anti_jam"

ResolutionEvent = ManoeuvreExecuted | InjectResolved | AssetStatusChanged
WarningEvent = ConjunctionWarning | CloseApproachDetected


def pending_injects(state: ExerciseState) -> list[Inject]:
    """Released, unresolved injects in a fixed order (release move, MSEL move, serial, id)."""
    pending = [s for s in state.injects.values() if s.released_move is not None and not s.resolved]
    pending.sort(key=lambda s: (s.released_move or 0, s.inject.move, s.inject.serial, s.inject.id))
    return [s.inject for s in pending]


def plan_close_approaches(
    state: ExerciseState, injects: list[Inject], truth: Truth, move_start: datetime
) -> dict[str, ManoeuvreExecuted]:
    """Move each close-approach approacher onto its target's orbit, trailing by `range_km`.

    The approacher gets the target's mean elements at the move start with the mean anomaly
    reduced by 2 asin(range / 2a) (a chord of `range_km` on a circle of radius a). The reported
    dv is v_new - v_old at the move start in the approacher's RTN frame (radial, along-track,
    cross-track); propellant is not charged (a scripted move).
    Returns the ManoeuvreExecuted body per inject id; `truth.orbits` is updated.
    """
    planned: dict[str, ManoeuvreExecuted] = {}
    for inject in injects:
        params = recorded_params(inject.type, inject.params)
        if not isinstance(params, CloseApproachParams) or inject.target is None:
            continue
        approacher, range_km = params.approacher, params.range_km
        asset = state.asset(approacher)
        if asset is None or inject.target not in truth.orbits or approacher == inject.target:
            continue
        owner = asset.owner or inject.actor
        if owner is None:
            continue
        try:
            target_mean, _radius = mean_keplerian_at(truth.orbits[inject.target], move_start)
        except ValueError:
            continue
        ratio = min(range_km / (2.0 * target_mean.semi_major_axis_km), 1.0)
        lag_deg = math.degrees(2.0 * math.asin(ratio))
        new_orbit = target_mean.model_copy(
            update={"mean_anomaly_deg": (target_mean.mean_anomaly_deg - lag_deg) % 360.0}
        )
        p_old, v_old = state_vector_at(truth.orbits[approacher], move_start)
        _p_new, v_new = state_vector_at(new_orbit, move_start)
        dv_rtn = [c * 1000.0 for c in rtn_components(p_old, v_old, v_new - v_old)]
        radial, along, cross = (c if math.isfinite(c) else 0.0 for c in dv_rtn)
        truth.orbits[approacher] = new_orbit
        planned[inject.id] = ManoeuvreExecuted(
            asset_id=approacher,
            owner=owner,
            dv_m_per_s=along,
            dv_radial_m_per_s=radial,
            dv_cross_track_m_per_s=cross,
            orbit=new_orbit,
            propellant_dv_m_per_s=truth.propellant_m_per_s[approacher],
        )
    return planned


@dataclass
class Resolution:
    """Events and ground-truth outcomes of resolving the pending injects."""

    events: list[ResolutionEvent] = field(default_factory=list)
    warnings: list[WarningEvent] = field(default_factory=list)
    escalation_levels: list[int] = field(default_factory=list)
    collisions: list[tuple[str, str]] = field(default_factory=list)
    breakups: list[Breakup] = field(default_factory=list)
    """Objects to break up (debris.generate_debris decides whether and how)."""
    belts: list[str] = field(default_factory=list)
    """Nuclear detonations (inject ids) that pumped a radiation belt (ruleset nuclear)."""


@dataclass(frozen=True)
class Context:
    """Read-only inputs the resolution needs."""

    state: ExerciseState
    catalog: Catalog
    fused: FusedPicture
    move_start: datetime
    ephemeris: Ephemeris | None = None
    """The move's Earth-fixed grid, for area effects (a nuclear burst); None: target only."""
    ranges: dict[str, str] = field(default_factory=dict)
    """Why a red order's weapon was out of range at the attack, by inject id (counterspace.py)."""


def effect_duration(rules: Ruleset, rule: EffectRule, inject: Inject) -> int | None:
    """Moves the inject's status lasts: its own params.duration_moves on a reversible effect,
    else its storm level's (space weather), else the rule's (None: until restored, or for good)."""
    params = recorded_params(inject.type, inject.params)
    own = params.duration_moves if isinstance(params, EffectParams) and rule.reversible else None
    if own is None and (level := storm_level(rules, inject)) is not None:
        own = level.duration_moves
    return rule.duration_moves if own is None else own


def _forced(state: ExerciseState, inject: Inject) -> str | None:
    """The outcome the white cell forced on this inject (inject_outcome_forced), if any."""
    entry = state.injects.get(inject.id)
    return None if entry is None else entry.forced


def _owner_of(state: ExerciseState, target: str) -> str | None:
    holder = state.status_holder(target)
    return None if holder is None else holder.owner


def success_probability(
    state: ExerciseState, rule: EffectRule, inject: Inject, asset_id: str, truth: Truth
) -> float:
    """p_success (times its storm level's p_factor for space weather, at most 1) times the factor
    of every protection the target has (anti-jam mode included as the 'anti_jam' protection for
    jamming and spoofing; each factor applies once)."""
    spec = state.object_spec(asset_id) or state.scenario.sensor(asset_id)
    protections = set(spec.protections if spec is not None else ())
    if inject.type in JAMMING_TYPES and truth.anti_jam.get(asset_id, False):
        protections.add(ANTI_JAM)
    p = rule.p_success
    if (level := storm_level(state.ruleset, inject)) is not None:
        p = min(1.0, p * level.p_factor)
    for key in sorted(protections):
        p *= rule.protection_factors.get(key, 1.0)
    return p * response_factor(state, truth, inject, asset_id)


def _trackers(ctx: Context, object_id: str) -> set[int]:
    """Played nations with SSA custody of the object: their fused picture holds it on
    observations (their own or a partner's), not on the public catalog alone."""
    k = ctx.catalog.index.get(object_id)
    if k is None:
        return set()
    tracked = ctx.fused.held[:, k] & ctx.fused.contributors[:, :, k].any(axis=1)
    return {int(n) for n in np.flatnonzero(tracked)}


def _holders(ctx: Context, *object_ids: str) -> list[int]:
    """Indices of played nations whose fused picture holds every one of `object_ids`."""
    idx = [ctx.catalog.index.get(o) for o in object_ids]
    if any(i is None for i in idx):
        return []
    held = np.all(ctx.fused.held[:, [i for i in idx if i is not None]], axis=1)
    return [int(n) for n in np.flatnonzero(held)]


def observers_of(
    ctx: Context, observable_by: str, asset_id: str, inject: Inject | None = None
) -> tuple[str, ...]:
    """Nations other than the owner that notice an effect on `asset_id`.

    everyone: all played nations; custody: played nations with SSA custody (`_trackers`: held on
    observations, not the public catalog alone) of the actor's object the inject's params name
    (`approacher` or `secondary`), or of the target when they name none (a sensor is in no
    catalog, so custody of it is nobody's); owner / nobody: none.
    """
    owner = _owner_of(ctx.state, asset_id)
    if observable_by == "everyone":
        names = list(ctx.catalog.nations)
    elif observable_by == "custody":
        named = [] if inject is None else [
            o for o in named_objects(inject.type, inject.params) if o in ctx.catalog.index
        ]
        holders = sorted({n for obj in (named or [asset_id]) for n in _trackers(ctx, obj)})
        names = [ctx.catalog.nations[n] for n in holders]
    else:
        names = []
    return tuple(n for n in names if n != owner)


def _effect_targets(state: ExerciseState, rule: EffectRule, inject: Inject) -> list[str]:
    """The inject's target, if the rule lets it hit that kind (object or sensor), plus for an
    area effect every played asset of its mission areas."""
    targets = [] if inject.target is None else [inject.target]
    if rule.mission_areas:
        for obj in state.scenario.objects:
            if obj.owner is not None and obj.mission in rule.mission_areas:
                targets.append(obj.id)
    return sorted(set(t for t in targets if state.target_kind(t) in rule.targets))


def invalid_params_resolution(inject_id: str, params: InvalidParams) -> InjectResolved:
    """An inject whose params the core cannot use fails, with the reason (cut to the outcome's
    length limit; every problem is in details.invalid_params)."""
    limits = InjectResolved.model_fields["outcome"].metadata
    limit = next(m.max_length for m in limits if isinstance(m, MaxLen))
    outcome = f"invalid parameters: {params.reason}"
    outcome = outcome if len(outcome) <= limit else outcome[: limit - 3] + "..."
    details = {"invalid_params": list(params.problems)}
    return InjectResolved(inject_id=inject_id, outcome=outcome, p_success=0, succeeded=False, details=details)


def _resolve_effect(
    ctx: Context,
    inject: Inject,
    rule: EffectRule,
    truth: Truth,
    rng: np.random.Generator,
    out: Resolution,
) -> None:
    state = ctx.state
    targets = _effect_targets(state, rule, inject)
    factor = [1.0] * len(targets)
    burst = None
    if inject.type is InjectType.NUCLEAR_DETONATION and state.ruleset.nuclear and ctx.ephemeris:
        burst = nuclear_area(state, state.ruleset.nuclear, inject, ctx.catalog, ctx.ephemeris)
        targets, factor = burst.targets, burst.factor
        out.belts.append(inject.id)
    p = np.array(
        [f * success_probability(state, rule, inject, t, truth) for t, f in zip(targets, factor, strict=True)]
    )
    draws = rng.random(len(targets))
    alive = np.array([truth.status[t] != AssetStatus.DESTROYED for t in targets], dtype=bool)
    hit = (draws < p) & alive
    forced = _forced(state, inject)
    if forced is not None:  # the white cell's outcome; the draws above keep the move's sequence
        hit = alive & (forced == "hit")
    duration = effect_duration(state.ruleset, rule, inject)
    until = None if duration is None else state.move + duration
    n_hit = int(np.sum(hit))
    out.events.append(
        InjectResolved(
            inject_id=inject.id,
            outcome=("no target" if not targets else f"{rule.status.value} {n_hit}/{len(targets)}"),
            p_success=float(p[0]) if len(targets) == 1 else float(np.mean(p)) if targets else 0.0,
            succeeded=n_hit > 0,
            details={
                "p_by_target": {t: float(pt) for t, pt in zip(targets, p, strict=True)},
                "hit": [t for t, h in zip(targets, hit, strict=True) if h],
                "noticed_by_owner": rule.observable_by != "nobody",
                **({} if forced is None else {"forced": forced}),
                **({} if burst is None else {"distance_km": burst.distance_km}),
                **({} if (area := emitter_region(rule, inject)) is None else {"region": region_text(area)}),
            },
        )
    )
    region = emitter_region(rule, inject)
    for target, was_hit in zip(targets, hit, strict=True):
        if not was_hit:
            continue
        before = (truth.status[target], truth.until_move[target], truth.reversible[target])
        regional = region is not None and state.has_object(target)
        if regional and before[0] is not AssetStatus.NOMINAL and target not in truth.regional_share:
            continue  # a regional effect adds nothing to an asset already impaired everywhere
        if not regional:
            truth.regional_share.pop(target, None)
        status, target_until = combined_status(before[0], before[1], rule.status, until)
        reversible = combined_reversible(before[0], before[2], rule.status, rule.reversible)
        if (status, target_until, reversible) == before:
            continue  # a milder or shorter effect on an asset already worse off changes nothing
        truth.status[target] = status
        truth.until_move[target] = target_until
        truth.reversible[target] = reversible
        if regional and region is not None:
            share = footprint_share(region[2], truth.orbits[target])
            truth.regional_share[target] = max(share, truth.regional_share.get(target, 0.0))
        out.events.append(
            AssetStatusChanged(
                asset_id=target,
                owner=_owner_of(state, target),
                status=status,
                until_move=target_until,
                cause=f"inject:{inject.id}",
                inject_id=inject.id,
                observers=observers_of(ctx, rule.observable_by, target, inject),
                reversible=reversible,
                noticed_by_owner=rule.observable_by != "nobody" or status is AssetStatus.DESTROYED,
                team_cause=region_text(region) if regional and region is not None else None,
            )
        )
    if n_hit:
        out.escalation_levels.append(rule.escalation_level)
    cause = state.ruleset.debris.causes.get(inject.type)
    if cause is not None:
        at = ctx.move_start + timedelta(hours=inject.offset_hours)
        for target in (t for t, h in zip(targets, hit, strict=True) if h and state.has_object(t)):
            mass = mass_kg(state, target) + cause.projectile_mass_kg
            out.breakups.append(Breakup(target, inject.type, at, mass, inject_id=inject.id))


def _resolve_close_approach(
    ctx: Context,
    inject: Inject,
    params: CloseApproachParams,
    planned: ManoeuvreExecuted | None,
    out: Resolution,
) -> None:
    rules = ctx.state.ruleset
    range_km = params.range_km
    if planned is None or inject.target is None:
        out.events.append(
            InjectResolved(
                inject_id=inject.id,
                outcome="invalid close approach",
                p_success=0.0,
                succeeded=False,
            )
        )
        return
    out.events.append(planned)
    out.events.append(
        InjectResolved(
            inject_id=inject.id,
            outcome=f"approach to {range_km:g} km",
            p_success=1.0,
            succeeded=True,
            details={"approacher": planned.asset_id, "range_km": range_km},
        )
    )
    rule = rules.effects.get(inject.type)
    if rule is not None:
        out.escalation_levels.append(rule.escalation_level)
    if range_km <= rules.close_approach.warning_range_km:
        watching = _trackers(ctx, planned.asset_id)
        i_t, i_a = ctx.catalog.index[inject.target], ctx.catalog.index[planned.asset_id]
        for n in (n for n in _holders(ctx, planned.asset_id, inject.target) if n in watching):
            sigma_km = np.hypot(ctx.fused.sigma_km[[n], i_t], ctx.fused.sigma_km[[n], i_a])
            key = (ctx.state.seed, ctx.state.move, "close_approach", inject.id, ctx.catalog.nations[n])
            seen_km, _pc = estimated_miss(np.array([range_km]), sigma_km, 0.0, key)
            out.warnings.append(
                CloseApproachDetected(
                    nation=ctx.catalog.nations[n],
                    asset_id=inject.target,
                    other_id=planned.asset_id,
                    range_km=float(seen_km[0]),
                    inject_id=inject.id,
                    shared_with=product_receivers(ctx.state, ctx.catalog.nations[n], "warnings"),
                )
            )


def _resolve_conjunction(
    ctx: Context, inject: Inject, params: ConjunctionParams, truth: Truth, out: Resolution
) -> None:
    state, rules = ctx.state, ctx.state.ruleset.conjunction
    secondary = params.secondary
    target = inject.target
    if target is None or not state.has_object(target) or not state.has_object(secondary):
        out.events.append(
            InjectResolved(inject_id=inject.id, outcome="invalid conjunction", p_success=0.0, succeeded=False)
        )
        return
    miss_km = params.miss_km
    avoided = target in truth.avoided
    effective_miss_km = max(miss_km, rules.avoidance_miss_km) if avoided else miss_km
    collision = (not avoided) and miss_km * 1000.0 < rules.hard_body_radius_m
    forced = _forced(state, inject)
    if forced is not None:  # the white cell's outcome: a hit collides, a miss does not
        collision = forced == "hit"
    tca = ctx.move_start + timedelta(hours=inject.offset_hours + params.tca_offset_hours)
    owner = _owner_of(state, target)  # the owner screens its satellite; partners get its warnings shared
    holders = [n for n in _holders(ctx, target, secondary) if ctx.catalog.nations[n] == owner]
    pcs: list[float] = []
    for n in holders:  # each holder's own estimate of the miss, and the Pc it computes from it
        receivers = product_receivers(state, ctx.catalog.nations[n], "warnings")
        pair = (target, secondary)
        warning = scripted_warning(
            state, ctx.catalog, ctx.fused, n, inject.id, pair, effective_miss_km, tca, receivers
        )
        pcs.append(warning.pc)
        out.warnings.append(warning)
    outcome = "collision" if collision else "avoided" if avoided else "miss"
    out.events.append(
        InjectResolved(
            inject_id=inject.id,
            outcome=outcome,
            p_success=1.0 if collision else 0.0,
            succeeded=collision,
            details={
                "miss_km": effective_miss_km,
                "avoided": avoided,
                **({} if forced is None else {"forced": forced}),
                "pc_by_nation": {
                    ctx.catalog.nations[n]: float(pc) for n, pc in zip(holders, pcs, strict=True)
                },
            },
        )
    )
    if not collision:
        return
    out.collisions.append((target, secondary))
    _collision_breakups(state, inject, (target, secondary), tca, truth, out)
    rule = state.ruleset.effects.get(inject.type)
    observable_by = rule.observable_by if rule is not None else "custody"
    if rule is not None:
        out.escalation_levels.append(rule.escalation_level)
    for obj in (target, secondary):
        if truth.status[obj] == AssetStatus.DESTROYED:
            continue
        truth.status[obj] = AssetStatus.DESTROYED
        truth.until_move[obj] = None
        truth.reversible[obj] = False
        out.events.append(
            AssetStatusChanged(
                asset_id=obj,
                owner=_owner_of(state, obj),
                status=AssetStatus.DESTROYED,
                cause=f"inject:{inject.id}",
                inject_id=inject.id,
                observers=observers_of(ctx, observable_by, obj),
                reversible=False,
            )
        )


def _collision_breakups(
    state: ExerciseState,
    inject: Inject,
    pair: tuple[str, str],
    tca: datetime,
    truth: Truth,
    out: Resolution,
) -> None:
    """Both objects of a collision break up; the count of the combined mass is split by mass."""
    cause = state.ruleset.debris.causes.get(InjectType.CONJUNCTION)
    if cause is None:
        return
    masses = [mass_kg(state, obj) for obj in pair]
    total = sum(masses) + cause.projectile_mass_kg
    for obj, mass in zip(pair, masses, strict=True):
        if truth.status[obj] != AssetStatus.DESTROYED:
            share = mass / sum(masses)
            out.breakups.append(Breakup(obj, InjectType.CONJUNCTION, tca, total, share, inject.id))


def resolve_injects(
    ctx: Context,
    injects: list[Inject],
    planned: dict[str, ManoeuvreExecuted],
    truth: Truth,
    rng: np.random.Generator,
) -> Resolution:
    """Resolve every pending inject in order; one uniform draw per affected asset per effect.

    An inject whose params the core cannot use (recorded before they were checked) resolves as
    invalid, with the reason, no draw and no effect."""
    out = Resolution()
    for inject in injects:
        rule = ctx.state.ruleset.effects.get(inject.type)
        params = recorded_params(inject.type, inject.params)
        if isinstance(params, InvalidParams):
            out.events.append(invalid_params_resolution(inject.id, params))
        elif isinstance(params, CloseApproachParams):
            _resolve_close_approach(ctx, inject, params, planned.get(inject.id), out)
        elif isinstance(params, ConjunctionParams):
            _resolve_conjunction(ctx, inject, params, truth, out)
        elif rule is None:
            out.events.append(
                InjectResolved(
                    inject_id=inject.id,
                    outcome="no physical effect",
                    p_success=0.0,
                    succeeded=False,
                )
            )
        elif (why := unreachable(ctx.state, inject, truth, ctx.ranges)) is not None:
            out.events.append(missed_resolution(inject.id, why))
        else:
            _resolve_effect(ctx, inject, rule, truth, rng, out)
    return out
