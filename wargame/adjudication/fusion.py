"""Fused picture per nation: own tracks plus partners' released own tracks, by inverse variance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog
from wargame.adjudication.custody import OwnTracks, own_estimates
from wargame.domain.common import SharingLevel
from wargame.domain.ruleset_model import CustodyRules, SharingRules
from wargame.domain.state import NationState

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

LEVELS: tuple[SharingLevel, ...] = (
    SharingLevel.WITHHOLD,
    SharingLevel.FULL,
    SharingLevel.DEGRADED,
    SharingLevel.DELAYED,
)
"""Sharing level codes used in the level matrix (index = code)."""
SOURCES: tuple[str, ...] = ("owner", "own", "shared", "fused")
"""Track source codes (index = code; -1 = not held)."""


@dataclass(frozen=True)
class FusedPicture:
    """Fused 1-sigma of each played nation for each object, (n_nation, n_obj) unless noted."""

    sigma_km: F64
    held: BOOL
    """sigma <= custody_max_sigma_km and the object has not decayed."""
    source: I64
    """Index into SOURCES, -1 where not held."""
    contributors: BOOL
    """(n_holder, n_contributor, n_obj): whose observations went into the track."""
    obs_min: F64
    """Latest observation time among contributors, minutes after the move start (NaN if none)."""
    own: OwnTracks
    """The nations' own-only tracks the picture was fused from (the own part of 'fused' tracks)."""


def sharing_matrix(nations: Mapping[str, NationState], catalog: Catalog) -> I64:
    """(n_nation, n_nation) level code from releaser P (row) to receiver N (column)."""
    n_nat = len(catalog.nations)
    levels = np.zeros((n_nat, n_nat), dtype=np.int64)
    for p, releaser in enumerate(catalog.nations):
        policy = nations[releaser].sharing if releaser in nations else {}
        for n, receiver in enumerate(catalog.nations):
            if n != p:
                levels[p, n] = LEVELS.index(policy.get(receiver, SharingLevel.WITHHOLD))
    return levels


def delayed_tracks(
    nations: Mapping[str, NationState],
    catalog: Catalog,
    rules: CustodyRules,
    picture_time: datetime,
    move_start: datetime,
    move_end: datetime,
) -> tuple[F64, F64]:
    """What each nation releases at 'delayed': its previous picture's own estimates, grown to the
    move end (custody.own_estimates: never data it received from others).
    Returns sigma_km (n_nation, n_obj) (inf: nothing) and obs_min (minutes after move_start).
    """
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    sigma = np.full((n_nat, n_obj), np.inf)
    obs_min = np.full((n_nat, n_obj), np.nan)
    grow_km = rules.growth_km_per_hour * (move_end - picture_time) / timedelta(hours=1)
    for p, nation_id in enumerate(catalog.nations):
        nation = nations.get(nation_id)
        if nation is None or not len(nation.previous_picture):
            continue
        idx, own_sigma, own_obs = own_estimates(nation.previous_picture, catalog, move_start)
        sigma[p, idx] = own_sigma + grow_km
        obs_min[p, idx] = own_obs
    return sigma, obs_min


def fuse(
    own: OwnTracks,
    levels: I64,
    delayed_sigma_km: F64,
    delayed_obs_min: F64,
    decayed: BOOL,
    custody: CustodyRules,
    sharing: SharingRules,
) -> FusedPicture:
    """Combine each nation's own held track with partners' releases: 1/s^2 = sum_i 1/s_i^2.

    A partner P releases to N, by levels[P, N]: full -> its own held, own-observed track;
    degraded -> that sigma * degraded_sigma_factor; delayed -> `delayed_sigma_km[P]`;
    withhold -> nothing (the diagonal of `levels` is ignored). Owners keep their payloads at
    owner_sigma_km (source 'owner'). Sums run over partners in index order, one (n_nation, n_obj)
    array operation per partner; nothing of shape (n_nation, n_nation, n_obj) but the boolean
    `contributors` is built.
    """
    n_nat = own.sigma_km.shape[0]
    max_km = custody.custody_max_sigma_km
    alive = ~decayed[None, :]
    own_held = (own.sigma_km <= max_km) & alive
    fresh_ok = own_held & own.observed  # (P, obj) releasable at full or degraded
    delayed_ok = np.isfinite(delayed_sigma_km) & alive
    with np.errstate(divide="ignore"):
        own_info = np.where(own_held, 1.0 / own.sigma_km**2, 0.0)
        fresh_info = np.where(fresh_ok, own_info, 0.0)
        delayed_info = np.where(delayed_ok, 1.0 / delayed_sigma_km**2, 0.0)
    off_diagonal = ~np.eye(n_nat, dtype=bool)
    full = (levels == LEVELS.index(SharingLevel.FULL)) & off_diagonal  # (P, N)
    degraded = (levels == LEVELS.index(SharingLevel.DEGRADED)) & off_diagonal
    delayed = (levels == LEVELS.index(SharingLevel.DELAYED)) & off_diagonal
    weight = np.where(full, 1.0, np.where(degraded, 1.0 / sharing.degraded_sigma_factor**2, 0.0))

    info = own_info.copy()
    partners_in = np.zeros_like(own_held)
    contributors = np.zeros((n_nat, n_nat, own.sigma_km.shape[1]), dtype=bool)  # (N, P, obj)
    for p in range(n_nat):
        info += weight[p][:, None] * fresh_info[p][None, :] + delayed[p][:, None] * delayed_info[p][None, :]
        used = ((full[p] | degraded[p])[:, None] & fresh_ok[p][None, :]) | (
            delayed[p][:, None] & delayed_ok[p][None, :]
        )
        partners_in |= used
        contributors[:, p, :] = used
    sigma = np.where(info > 0.0, 1.0 / np.sqrt(np.where(info > 0.0, info, 1.0)), np.inf)
    sigma = np.where(own.owner, custody.owner_sigma_km, sigma)
    held = (sigma <= max_km) & alive

    source = np.select(
        [own.owner, own_held & partners_in, partners_in, own_held],
        [
            SOURCES.index("owner"),
            SOURCES.index("fused"),
            SOURCES.index("shared"),
            SOURCES.index("own"),
        ],
        default=-1,
    )
    source = np.where(held, source, -1)

    # An owner's payload rests on its own telemetry only.
    contributors &= ~own.owner[:, None, :]
    diag = np.arange(n_nat)
    contributors[diag, diag, :] = (own_held & own.observed) | own.owner
    obs_min = np.full(sigma.shape, np.nan)
    for p in range(n_nat):
        partner_time = np.where(delayed[p][:, None], delayed_obs_min[p][None, :], own.obs_min[p][None, :])
        partner_time[p] = own.obs_min[p]
        obs_min = np.fmax(obs_min, np.where(contributors[:, p, :], partner_time, np.nan))
    contributors &= held[:, None, :]
    return FusedPicture(
        sigma_km=sigma,
        held=held,
        source=source.astype(np.int64),
        contributors=contributors,
        obs_min=obs_min,
        own=own,
    )
