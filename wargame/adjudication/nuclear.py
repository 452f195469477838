"""A nuclear detonation's area effect around its burst and the radiation belt it leaves behind."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.orbits import geodetic_to_ecef
from wargame.adjudication.statuses import combined_reversible, combined_status
from wargame.domain.common import AssetStatus
from wargame.domain.counterspace import regime_of
from wargame.domain.events import AssetStatusChanged
from wargame.domain.inject_params import NuclearParams, recorded_params
from wargame.domain.ruleset_model import NuclearRules
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState


@dataclass(frozen=True)
class Area:
    """The satellites a burst exposes, each with its factor (1 - d/R)^k on the rule's p."""

    targets: list[str]
    factor: list[float]
    distance_km: dict[str, float]


def _step(ephemeris: Ephemeris, offset_hours: float) -> int:
    """The ephemeris step nearest the inject's time."""
    return int(np.argmin(np.abs(ephemeris.offsets_min - offset_hours * 60.0)))


def nuclear_area(
    state: ExerciseState, rules: NuclearRules, inject: Inject, catalog: Catalog, ephemeris: Ephemeris
) -> Area:
    """Every scenario satellite within nuclear.area_radius_km of the burst (params.burst_*, else
    the target's position at the inject's time), sorted by id; none when there is no burst point."""
    step = _step(ephemeris, inject.offset_hours)
    params = recorded_params(inject.type, inject.params)
    burst = params.burst() if isinstance(params, NuclearParams) else None
    if burst is not None:
        lat, lon, alt = burst
        point = geodetic_to_ecef(np.array([lat]), np.array([lon]), np.array([alt]))[0]
    elif inject.target is not None and inject.target in catalog.index:
        point = ephemeris.pos32_km[catalog.index[inject.target], step].astype(np.float64)
    else:
        return Area([], [], {})
    ids = sorted(o.id for o in state.scenario.objects if o.kind == "payload" and o.id in catalog.index)
    rows = np.array([catalog.index[i] for i in ids], dtype=np.int64)
    where = ephemeris.pos32_km[rows, step].astype(np.float64) if len(rows) else np.zeros((0, 3))
    distance = np.linalg.norm(where - point, axis=1)
    inside = np.isfinite(distance) & (distance <= rules.area_radius_km)
    targets = [i for i, keep in zip(ids, inside, strict=True) if keep]
    d_in = distance[inside]
    factor = (1.0 - d_in / rules.area_radius_km) ** rules.falloff_exponent
    return Area(
        targets, [float(f) for f in factor], {t: float(d) for t, d in zip(targets, d_in, strict=True)}
    )


def belt_effects(state: ExerciseState, truth: Truth, rng: np.random.Generator) -> list[AssetStatusChanged]:
    """Each radiation belt acting this move (formed in an earlier move, within nuclear.belt_moves):
    one uniform per exposed satellite (scenario payloads in nuclear.belt_regimes on this move's
    orbit, without nuclear.belt_protection, not destroyed; sorted by id) against
    belt_p_per_move x belt_decay_per_move^(moves since the first); a hit moves it one step along
    belt_statuses, for good."""
    rules = state.ruleset.nuclear
    if rules is None:
        return []
    events: list[AssetStatusChanged] = []
    for belt in state.radiation_belts:
        age = state.move - belt.move
        if not 1 <= age <= rules.belt_moves:
            continue
        p = rules.belt_p_per_move * rules.belt_decay_per_move ** (age - 1)
        exposed = sorted(
            o.id
            for o in state.scenario.objects
            if o.kind == "payload"
            and rules.belt_protection not in o.protections
            and truth.status[o.id] is not AssetStatus.DESTROYED
            and regime_of(truth.orbits[o.id], state.ruleset.regimes) in rules.belt_regimes
        )
        draws = rng.random(len(exposed))
        for asset_id, draw in zip(exposed, draws, strict=True):
            if draw >= p:
                continue
            current = truth.status[asset_id]
            steps = rules.belt_statuses
            new = steps[0] if current not in steps else steps[min(steps.index(current) + 1, len(steps) - 1)]
            status, until = combined_status(current, truth.until_move[asset_id], new, None)
            reversible = combined_reversible(current, truth.reversible[asset_id], new, False)
            if (status, until, reversible) == (
                current,
                truth.until_move[asset_id],
                truth.reversible[asset_id],
            ):
                continue
            truth.status[asset_id], truth.until_move[asset_id], truth.reversible[asset_id] = (
                status,
                until,
                reversible,
            )
            holder = state.status_holder(asset_id)
            events.append(
                AssetStatusChanged(
                    asset_id=asset_id,
                    owner=None if holder is None else holder.owner,
                    status=status,
                    until_move=until,
                    cause=f"radiation belt of inject:{belt.inject_id} (move {belt.move})",
                    inject_id=belt.inject_id,
                    reversible=reversible,
                )
            )
    return events
