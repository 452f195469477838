"""Conjunction warnings from screening hits and scripted conjunctions, as each nation estimates
them from its own picture: miss, Pc and the states at TCA its CDM carries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction import ScreeningHits, pc_isotropic
from wargame.adjudication.encounters import declared_secondary, encounter_estimates, true_states
from wargame.adjudication.estimates import estimated_plane
from wargame.adjudication.fusion import FusedPicture
from wargame.domain.common import Marking
from wargame.domain.events import ConjunctionWarning
from wargame.domain.ids import warning_id
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

SCREENING = "screening"
"""The source named in the id of a warning from the move's screening."""


def screening_warnings(
    state: ExerciseState,
    catalog: Catalog,
    ephemeris: Ephemeris,
    fused: FusedPicture,
    hits: ScreeningHits,
    shared: Mapping[str, dict[str, Marking]] | None = None,
) -> list[ConjunctionWarning]:
    """ConjunctionWarning to the owner of the screened asset when its picture holds both objects
    and the Pc it computes reaches pc_attention (a nation screens its own satellites; partners
    get its warnings through a released warnings product, `shared`). The owner's miss distance is
    an estimate: the true refined miss plus an error of its combined 1-sigma of the two objects
    (estimates.estimated_plane, keyed by (seed, move, "conjunctions", nation)); its Pc comes from
    that estimate, and its states at TCA agree with both (encounters.estimated_states)."""
    rules = state.ruleset.conjunction
    events: list[ConjunctionWarning] = []
    if hits.primary.size == 0:
        return events
    owner = catalog.owner_idx[hits.primary]  # (n_hit,) the played owner of each screened asset
    is_owner = owner[None, :] == np.arange(len(catalog.nations))[:, None]
    held_both = is_owner & fused.held[:, hits.primary] & fused.held[:, hits.secondary]  # (n_nat, n_hit)
    radius_km = rules.hard_body_radius_m / 1000.0
    tcas = [ephemeris.start + timedelta(minutes=float(t)) for t in hits.tca_offset_min]
    for n in np.flatnonzero(held_both.any(axis=1)):
        nation = catalog.nations[n]
        sigma1, sigma2 = fused.sigma_km[n, hits.primary], fused.sigma_km[n, hits.secondary]
        sigma_km = np.hypot(sigma1, sigma2)
        nation_key = (state.seed, state.move, "conjunctions", nation)
        plane_km = estimated_plane(hits.miss_km, sigma_km, nation_key)
        miss_km = np.hypot(plane_km[:, 0], plane_km[:, 1])
        pc = pc_isotropic(miss_km, sigma_km, radius_km)
        warned = np.flatnonzero(held_both[n] & (pc >= rules.pc_attention))
        moments = [tcas[h] for h in warned]
        asset = true_states([catalog.satrecs[k] for k in hits.primary[warned]], moments)
        other = true_states([catalog.satrecs[k] for k in hits.secondary[warned]], moments)
        estimates = encounter_estimates(
            (*asset, *other), plane_km[warned], sigma1[warned], sigma2[warned], nation_key, warned
        )
        for h, estimate in zip(warned, estimates, strict=True):
            asset_id, other_id = catalog.ids[hits.primary[h]], catalog.ids[hits.secondary[h]]
            events.append(
                ConjunctionWarning(
                    nation=nation,
                    asset_id=asset_id,
                    other_id=other_id,
                    tca=tcas[h],
                    miss_km=float(miss_km[h]),
                    pc=float(pc[h]),
                    action_threshold_exceeded=bool(pc[h] >= rules.pc_mitigation),
                    shared_with=(shared or {}).get(nation, {}),
                    id=warning_id(state, nation, SCREENING, asset_id, other_id),
                    estimate=estimate,
                )
            )
    return events


def scripted_warning(
    state: ExerciseState,
    catalog: Catalog,
    fused: FusedPicture,
    nation_idx: int,
    inject_id: str,
    pair: tuple[str, str],
    miss_km: float,
    tca: datetime,
    shared: dict[str, Marking],
) -> ConjunctionWarning:
    """The warning nation `nation_idx` computes of a scripted conjunction of `pair` (target,
    secondary) declared at `miss_km`: its estimate of the miss (keyed by (seed, move,
    "conjunction", inject, nation)), the Pc from it, and its states at TCA, where the secondary
    stands at the declared miss from the target (encounters.declared_secondary)."""
    rules = state.ruleset.conjunction
    nation = catalog.nations[nation_idx]
    i_t, i_s = catalog.index[pair[0]], catalog.index[pair[1]]
    sigma1, sigma2 = fused.sigma_km[[nation_idx], i_t], fused.sigma_km[[nation_idx], i_s]
    sigma_km = np.hypot(sigma1, sigma2)
    key = (state.seed, state.move, "conjunction", inject_id, nation)
    plane_km = estimated_plane(np.array([miss_km]), sigma_km, key)
    estimate_km = np.hypot(plane_km[:, 0], plane_km[:, 1])
    pc = float(pc_isotropic(estimate_km, sigma_km, rules.hard_body_radius_m / 1000.0)[0])
    target_pos, target_vel = true_states([catalog.satrecs[i_t]], [tca])
    _other_pos, other_vel = true_states([catalog.satrecs[i_s]], [tca])
    other_pos = declared_secondary(target_pos, target_vel, other_vel, np.array([miss_km]))
    (estimate,) = encounter_estimates(
        (target_pos, target_vel, other_pos, other_vel), plane_km, sigma1, sigma2, key
    )
    return ConjunctionWarning(
        nation=nation,
        asset_id=pair[0],
        other_id=pair[1],
        tca=tca,
        miss_km=float(estimate_km[0]),
        pc=pc,
        action_threshold_exceeded=pc >= rules.pc_mitigation,
        shared_with=shared,
        id=warning_id(state, nation, inject_id, pair[0], pair[1]),
        estimate=estimate,
    )
