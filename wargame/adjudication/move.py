"""The adjudication pipeline: initial pictures and the resolution of one move."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.access import (
    compute_access,
    observations_by_nation,
)
from wargame.adjudication.attribution import assess_threats
from wargame.adjudication.catalog import Catalog, Ephemeris, build_catalog, build_ephemeris
from wargame.adjudication.custody import prior_own_tracks, update_custody
from wargame.adjudication.debris import generate_debris
from wargame.adjudication.effects import (
    Context,
    pending_injects,
    plan_close_approaches,
    resolve_injects,
)
from wargame.adjudication.fusion import FusedPicture, delayed_tracks, fuse, sharing_matrix
from wargame.adjudication.manoeuvres import (
    Truth,
    apply_anti_jam,
    apply_manoeuvres,
    apply_recoveries,
    move_orders,
)
from wargame.adjudication.pictures import picture_events, screening_warnings
from wargame.adjudication.scores import (
    capability,
    cohesion,
    custody_counts,
    escalation,
    shared_products,
)
from wargame.adjudication.screening import screen_catalog
from wargame.domain.common import AssetStatus
from wargame.domain.events import EventBody, ManoeuvreExecuted, MoveAdjudicated
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]


def rng_for(state: ExerciseState) -> np.random.Generator:
    """The only source of randomness of a move: seeded by (exercise seed, move)."""
    return np.random.default_rng([state.seed, state.move])


def burn_dv_by_object(catalog: Catalog, burns: Sequence[ManoeuvreExecuted]) -> F64:
    """Total |dv| (m/s) of the move's burns per catalog object, (n_obj,); 0 where none."""
    dv = np.zeros(catalog.n_obj)
    for burn in burns:
        k = catalog.index.get(burn.asset_id)
        if k is not None:
            dv[k] += math.hypot(burn.dv_m_per_s, burn.dv_radial_m_per_s, burn.dv_cross_track_m_per_s)
    return dv


def _pictures(
    state: ExerciseState,
    catalog: Catalog,
    ephemeris: Ephemeris,
    move_start: datetime,
    move_end: datetime,
    with_access: bool,
    burns: Sequence[ManoeuvreExecuted] = (),
    truth: Truth | None = None,
) -> FusedPicture:
    """Own custody (access + priors) fused by the sharing policies, (n_nation, n_obj) arrays.

    `burns` are the move's manoeuvres (orders and scripted close approaches, all at the move
    start): other nations' errors on those objects drift until their sensors see them. Sensors
    observe at the service share of their status in `truth` (capability.service_by_status): a
    disabled or destroyed sensor not at all."""
    rules = state.ruleset
    sensors = state.scenario.sensors
    share = [1.0] * len(sensors)
    if truth is not None:
        service = rules.capability.service_by_status
        share = [service[truth.status.get(s.id, AssetStatus.NOMINAL)] for s in sensors]
        sensors = tuple(s for s, k in zip(sensors, share, strict=True) if k > 0.0)
        share = [k for k in share if k > 0.0]
    taskings = [t for t in state.taskings.values() if t.status == "accepted" and t.move == state.move]
    if with_access:
        access = compute_access(sensors, rules, catalog, ephemeris)
    else:
        access = compute_access((), rules, catalog, ephemeris)
        sensors, taskings, share = (), [], []
    observations = observations_by_nation(sensors, rules, catalog, access, taskings, share)
    prior_sigma, prior_obs = prior_own_tracks(
        state.nations, catalog, rules.custody, state.scenario.start_time, move_start
    )
    own = update_custody(
        prior_sigma,
        prior_obs,
        observations,
        ephemeris.offsets_min,
        catalog,
        rules.custody,
        burn_dv_by_object(catalog, burns),
    )
    if with_access:
        delayed_sigma, delayed_obs = delayed_tracks(
            state.nations,
            catalog,
            rules.custody,
            state.move_start(state.move - 1),
            move_start,
            move_end,
        )
    else:
        delayed_sigma = np.full_like(own.sigma_km, np.inf)
        delayed_obs = np.full_like(own.sigma_km, np.nan)
    return fuse(
        own,
        sharing_matrix(state.nations, catalog),
        delayed_sigma,
        delayed_obs,
        ephemeris.decayed,
        rules.custody,
        rules.sharing,
    )


def initial_pictures(state: ExerciseState) -> list[EventBody]:
    """PictureUpdated (move 0) for every played nation at the scenario start time.

    Each nation holds the public catalog (if custody.initial_custody == 'all') and its own
    payloads, plus partners' own payloads released by the current sharing policies.
    No sensor passes are simulated at the start instant.
    """
    start = state.scenario.start_time
    truth = Truth.of(state)
    catalog = build_catalog(state, truth.orbits)
    ephemeris = build_ephemeris(catalog, start, timedelta(0), state.ruleset.time_step_minutes)
    fused = _pictures(state, catalog, ephemeris, start, start, with_access=False)
    return list(picture_events(catalog, ephemeris, fused, move=0))


def adjudicate_move(state: ExerciseState) -> list[EventBody]:
    """Resolve move `state.move` and return its event bodies in the contract order:
    AntiJamSet, ManoeuvreExecuted, recoveries, inject resolutions, DebrisCreated (breakups),
    ThreatAssessed (per hostile inject, then nation), PictureUpdated, warnings (grouped by
    nation), MoveAdjudicated.

    Randomness, in this order: one uniform per (effect, target), then per breakup one uniform
    against p_breakup and the fragment draws. Fragments join the ground truth through
    DebrisCreated and the catalog (propagation, access, pictures, screening) from the next move.
    Warning and attribution read the pictures as they were at the move start."""
    rules = state.ruleset
    move_start = state.move_start(state.move)
    move_end = move_start + state.scenario.move_length
    rng = rng_for(state)
    truth = Truth.of(state)
    orders = move_orders(state)

    events: list[EventBody] = []
    events.extend(apply_anti_jam(state, orders, truth))
    burns = apply_manoeuvres(state, orders, truth, move_start)
    events.extend(burns)
    events.extend(apply_recoveries(state, truth))

    injects = pending_injects(state)
    planned = plan_close_approaches(state, injects, truth, move_start)
    catalog = build_catalog(state, truth.orbits)
    ephemeris = build_ephemeris(catalog, move_start, state.scenario.move_length, rules.time_step_minutes)
    fused = _pictures(
        state, catalog, ephemeris, move_start, move_end, True, [*burns, *planned.values()], truth
    )

    context = Context(state=state, catalog=catalog, fused=fused, move_start=move_start)
    resolution = resolve_injects(context, injects, planned, truth, rng)
    events.extend(resolution.events)
    events.extend(generate_debris(state, resolution.breakups, truth, rng))
    events.extend(assess_threats(state, injects, catalog, ephemeris, move_start))
    events.extend(picture_events(catalog, ephemeris, fused, move=state.move))

    asset_mask = np.array([o is not None for o in catalog.owner], dtype=bool) & catalog.is_payload
    hits = screen_catalog(catalog, ephemeris, asset_mask, rules.conjunction.screening_distance_km)
    warnings = [
        *resolution.warnings,
        *screening_warnings(catalog, ephemeris, fused, hits, rules.conjunction),
    ]
    order = {n: i for i, n in enumerate(catalog.nations)}
    warnings.sort(key=lambda w: order[w.nation])
    events.extend(warnings)

    products = shared_products(state)
    events.append(
        MoveAdjudicated(
            move=state.move,
            escalation_level=escalation(state, resolution.escalation_levels),
            capability=capability(state, truth),
            custody=custody_counts(catalog.nations, fused),
            precise_custody=(
                {}
                if rules.custody.precise_sigma_km is None
                else custody_counts(catalog.nations, fused, rules.custody.precise_sigma_km)
            ),
            shared_products=products,
            collisions=tuple(resolution.collisions),
            cohesion=cohesion(products),
        )
    )
    return events
