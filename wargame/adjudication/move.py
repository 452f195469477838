"""The adjudication pipeline: initial pictures and the resolution of one move."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.access import (
    compute_access,
    observations_by_nation,
)
from wargame.adjudication.attribution import assess_threats
from wargame.adjudication.catalog import Catalog, Ephemeris, build_catalog, build_ephemeris
from wargame.adjudication.conjunction_warnings import screening_warnings
from wargame.adjudication.counterspace import fired_injects, out_of_range
from wargame.adjudication.custody import (
    OwnTracks,
    as_stored,
    prior_from_legacy_pictures,
    prior_from_record,
    update_custody,
)
from wargame.adjudication.debris import generate_debris
from wargame.adjudication.effects import (
    Context,
    pending_injects,
    plan_close_approaches,
    resolve_injects,
)
from wargame.adjudication.escalation_model import escalation_changed
from wargame.adjudication.fallback import with_fallback
from wargame.adjudication.manoeuvres import (
    Truth,
    apply_anti_jam,
    apply_manoeuvres,
    apply_recoveries,
    move_orders,
)
from wargame.adjudication.nuclear import belt_effects
from wargame.adjudication.picture_set import (
    Blobs,
    MovePictures,
    custody_from,
    custody_record,
    picture_events,
    public_catalog,
    record_pictures,
    releases_in_force,
    truth_at_end,
)
from wargame.adjudication.responses import apply_responses, evasion_outcomes, spare_arrivals
from wargame.adjudication.scores import (
    capability,
    cohesion,
    custody_counts,
    escalation,
    shared_products,
)
from wargame.adjudication.screening import screen_catalog
from wargame.adjudication.space_weather import custody_growth_factor
from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.common import AssetStatus
from wargame.domain.counterspace_events import RadiationBeltFormed
from wargame.domain.events import (
    AssetStatusChanged,
    CloseApproachDetected,
    EventBody,
    ManoeuvreExecuted,
    MoveAdjudicated,
)
from wargame.domain.scenario_model import Inject
from wargame.domain.sharing import product_receivers
from wargame.domain.state import ExerciseState
from wargame.domain.team_feed import notifications

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


def _own_tracks(
    state: ExerciseState,
    catalog: Catalog,
    ephemeris: Ephemeris,
    blobs: Blobs,
    with_access: bool,
    burns: Sequence[ManoeuvreExecuted] = (),
    truth: Truth | None = None,
) -> OwnTracks:
    """Each nation's own custody at the ephemeris end, as the record stores it: the previous
    record's own estimates (or an older log's pictures) grown and refined by this move's passes.

    `burns` are the move's manoeuvres (orders and scripted close approaches, all at the move
    start): other nations' errors on those objects drift until their sensors see them. Sensors
    observe at the service share of their status in `truth` (capability.service_by_status): a
    disabled or destroyed sensor not at all. No passes are simulated when `with_access` is False
    (the start of the exercise)."""
    rules = state.ruleset
    sensors = state.scenario.sensors
    share = [1.0] * len(sensors)
    if truth is not None:
        service = rules.capability.service_by_status
        share = [service[truth.status.get(s.id, AssetStatus.NOMINAL)] for s in sensors]
        sensors = tuple(s for s, k in zip(sensors, share, strict=True) if k > 0.0)
        share = [k for k in share if k > 0.0]
    taskings = [t for t in state.taskings.values() if t.status == "accepted" and t.move == state.move]
    if not with_access:
        sensors, taskings, share = (), [], []
    access = compute_access(sensors, rules, catalog, ephemeris)
    observations = observations_by_nation(sensors, rules, catalog, access, taskings, share)
    previous = custody_from(blobs, state.pictures[-1].custody) if state.pictures else None
    if previous is not None:
        prior_sigma, prior_obs = prior_from_record(previous, catalog.n_obj)
    else:
        prior_sigma, prior_obs = prior_from_legacy_pictures(state.nations, catalog, ephemeris.start)
    own = update_custody(
        prior_sigma,
        prior_obs,
        observations,
        ephemeris.offsets_min,
        catalog,
        rules.custody,
        burn_dv_by_object(catalog, burns),
        custody_growth_factor(state, catalog),
    )
    return as_stored(own, float(ephemeris.offsets_min[-1]), rules.custody.custody_max_sigma_km)


def _move_pictures(
    state: ExerciseState,
    catalog: Catalog,
    ephemeris: Ephemeris,
    own: OwnTracks,
    blobs: Blobs,
    move: int,
    burns: Sequence[ManoeuvreExecuted] = (),
) -> MovePictures:
    """The move's custody record and true positions, and every nation's picture fused from them."""
    end = ephemeris.moment(ephemeris.n_time - 1)
    t_end_min = float(ephemeris.offsets_min[-1])
    record = custody_record(
        move,
        end,
        catalog,
        own,
        t_end_min,
        public_catalog(state, catalog, end, burn_dv_by_object(catalog, burns), t_end_min),
        releases_in_force(state, catalog),
        ephemeris.decayed,
    )
    return record_pictures(state, record, truth_at_end(ephemeris), blobs)


def who_knows(
    state: ExerciseState, injects: Sequence[Inject], resolution: Sequence[EventBody]
) -> dict[str, set[str]]:
    """Per inject, the played nations that know of it: those its text reached (its marking and
    recipients) and those that noticed its effect (the owner when it noticed, the observers).
    An effect nobody noticed stays unknown until the white cell discloses it."""
    knowing: dict[str, set[str]] = {}
    for inject in injects:
        audience = inject_audience(inject, state)
        knowing[inject.id] = {n for n in state.played_nations() if can_see(audience, team(n))}
    for body in resolution:
        if isinstance(body, AssetStatusChanged) and body.inject_id in knowing:
            seen = set(body.observers) | ({body.owner} if body.noticed_by_owner and body.owner else set())
            knowing[body.inject_id] |= seen
        elif isinstance(body, CloseApproachDetected) and body.inject_id in knowing:
            knowing[body.inject_id].add(body.nation)
    return knowing


def timed_statuses(
    state: ExerciseState, resolution: Sequence[EventBody], at_start: Mapping[str, AssetStatus]
) -> dict[str, tuple[float, AssetStatus]]:
    """Per asset whose status an inject released during the move (at its scenario time) changed:
    the share of the move before that time and the status it had then (scores.capability)."""
    hours = state.scenario.move_length_hours
    timed: dict[str, tuple[float, AssetStatus]] = {}
    for body in resolution:
        if not isinstance(body, AssetStatusChanged) or body.inject_id is None:
            continue
        entry = state.injects.get(body.inject_id)
        if entry is None or entry.released_hours is None or body.asset_id not in at_start:
            continue
        before = min(1.0, max(0.0, entry.released_hours / hours))
        timed.setdefault(body.asset_id, (before, at_start[body.asset_id]))
    return timed


def initial_pictures(state: ExerciseState, blobs: Blobs | None = None) -> list[EventBody]:
    """PictureUpdated (move 0) for every played nation at the scenario start time: its own
    payloads, the public catalog where the scenario gives it, and partners' own payloads their
    sharing releases. No sensor passes are simulated at the start instant."""
    blobs = blobs or {}
    start = state.scenario.start_time
    truth = Truth.of(state)
    catalog = build_catalog(state, truth.orbits)
    ephemeris = build_ephemeris(catalog, start, timedelta(0), state.ruleset.time_step_minutes)
    own = _own_tracks(state, catalog, ephemeris, blobs, with_access=False)
    pictures = _move_pictures(state, catalog, ephemeris, own, blobs, move=0)
    return list(picture_events(pictures, catalog.nations, state.ruleset.custody.precise_sigma_km))


def adjudicate_move(state: ExerciseState, blobs: Blobs | None = None) -> list[EventBody]:
    """Resolve move `state.move` and return its event bodies in the contract order:
    AntiJamSet, ManoeuvreExecuted, recoveries, response outcomes (safe mode, ground segment,
    spares activated, DIME: adjudication/responses.py), the red cell's counterspace orders
    (InjectReleased and CounterspaceFired per order), inject resolutions, EvasionResolved,
    RadiationBeltFormed, DebrisCreated (breakups), radiation-belt status changes, ThreatAssessed
    (per hostile inject, then nation), PictureUpdated, warnings (grouped by nation), SpareArrived,
    EscalationChanged (when the ruleset has `responses`), TeamNotified (the teams' feed lines of
    the events before, in their order), MoveAdjudicated.

    `blobs` holds the custody records of `state.pictures` (the priors). Randomness, in this
    order: one uniform per (effect, target) (the MSEL's injects, then the red orders' in
    move_orders' order; a nuclear burst draws one per satellite in its radius, an out-of-reach
    inject none), then per breakup one uniform against p_breakup and the fragment draws, then
    one uniform per exposed satellite per active radiation belt; nations' estimation errors come
    from keyed draws (estimates.py), and ground-segment orders from their own generator keyed
    (seed, move, RESPONSE_STREAM), one uniform per order in order.
    Fragments join the ground truth through DebrisCreated and the catalog (propagation, access,
    pictures, screening) from the next move. Warning and attribution read the pictures as they
    were at the move start. Screening runs first, so the inertial grid it needs (two thirds of
    the move's memory) is released before the rest of the move."""
    blobs = blobs or {}
    rules = state.ruleset
    move_start = state.move_start(state.move)
    rng = rng_for(state)
    truth = Truth.of(state)
    orders = move_orders(state)

    events: list[EventBody] = []
    events.extend(apply_anti_jam(state, orders, truth))
    burns = apply_manoeuvres(state, orders, truth, move_start)
    events.extend(burns)
    events.extend(apply_recoveries(state, truth))
    responded = apply_responses(state, orders, truth, burns)
    events.extend(responded.events)

    fire, fired = fired_injects(state, orders)
    events.extend(fire)
    injects = [*pending_injects(state), *(inject for inject, _weapon in fired)]
    planned = plan_close_approaches(state, injects, truth, move_start)
    catalog = build_catalog(state, truth.orbits)
    ephemeris = build_ephemeris(catalog, move_start, state.scenario.move_length, rules.time_step_minutes)
    asset_mask = np.array([o is not None for o in catalog.owner], dtype=bool) & catalog.is_payload
    hits = screen_catalog(catalog, ephemeris, asset_mask, rules.conjunction.screening_distance_km)
    ephemeris = ephemeris.without_inertial()  # the rest of the move needs the Earth-fixed grid only
    moved = [*burns, *planned.values()]
    own = _own_tracks(state, catalog, ephemeris, blobs, True, moved, truth)
    pictures = _move_pictures(state, catalog, ephemeris, own, blobs, state.move, moved)
    fused = pictures.fused

    ranges = out_of_range(state, fired, catalog, ephemeris)
    context = Context(state, catalog, fused, move_start, ephemeris, ranges)
    at_start = dict(truth.status)
    resolution = resolve_injects(context, injects, planned, truth, rng)
    events.extend(resolution.events)
    events.extend(evasion_outcomes(state, injects, resolution.events, truth))
    belts = rules.nuclear.belt_moves if rules.nuclear is not None else 0
    until = state.move + belts
    events.extend(
        RadiationBeltFormed(inject_id=b, move=state.move, until_move=until) for b in resolution.belts
    )
    events.extend(generate_debris(state, resolution.breakups, truth, rng))
    events.extend(belt_effects(state, truth, rng))
    knowing = who_knows(state, injects, [*resolution.events, *resolution.warnings])
    events.extend(assess_threats(state, injects, catalog, ephemeris, move_start, blobs, knowing))
    events.extend(picture_events(pictures, catalog.nations, rules.custody.precise_sigma_km))

    warning_receivers = {n: product_receivers(state, n, "warnings") for n in catalog.nations}
    warnings = [
        *resolution.warnings,
        *screening_warnings(state, catalog, ephemeris, fused, hits, warning_receivers),
    ]
    order = {n: i for i, n in enumerate(catalog.nations)}
    warnings.sort(key=lambda w: order[w.nation])
    events.extend(warnings)

    events.extend(spare_arrivals(state, responded))
    escalated = escalation_changed(state, resolution.escalation_levels, responded.escalation)
    if escalated is not None:
        events.append(escalated)
    events.extend(notifications(state, events))
    products = shared_products(state)
    events.append(
        MoveAdjudicated(
            move=state.move,
            escalation_level=(
                escalation(state, resolution.escalation_levels) if escalated is None else escalated.level
            ),
            capability=with_fallback(
                state, capability(state, truth, timed_statuses(state, resolution.events, at_start))
            ),
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
