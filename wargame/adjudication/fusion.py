"""Fused picture per nation: own tracks plus partners' released own tracks, by inverse variance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, table_columns
from wargame.adjudication.custody import OWN_SOURCES, OwnTracks
from wargame.domain.common import SharingLevel
from wargame.domain.ruleset_model import CustodyRules, SharingRules
from wargame.domain.state import TRACK_SOURCES, NationState

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
    """What each nation releases at 'delayed': its previous_picture own tracks, grown to move end.

    Only tracks of source 'own'/'owner' (never data it received from others).
    Returns sigma_km (n_nation, n_obj) (inf: nothing) and obs_min (minutes after move_start).
    """
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    sigma = np.full((n_nat, n_obj), np.inf)
    obs_min = np.full((n_nat, n_obj), np.nan)
    own_codes = np.array([TRACK_SOURCES.index(s) for s in OWN_SOURCES])
    grow_km = rules.growth_km_per_hour * (move_end - picture_time) / timedelta(hours=1)
    for p, nation_id in enumerate(catalog.nations):
        nation = nations.get(nation_id)
        if nation is None:
            continue
        if not len(nation.previous_picture):
            continue
        idx, track_sigma, source, track_obs = table_columns(
            nation.previous_picture, catalog, move_start
        )
        use = (idx >= 0) & np.isin(source, own_codes)
        sigma[p, idx[use]] = track_sigma[use] + grow_km
        obs_min[p, idx[use]] = track_obs[use]
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
    withhold -> nothing. Owners keep their payloads at owner_sigma_km (source 'owner').
    """
    n_nat = own.sigma_km.shape[0]
    max_km = custody.custody_max_sigma_km
    own_held = (own.sigma_km <= max_km) & ~decayed[None, :]
    fresh = np.where(own_held & own.observed, own.sigma_km, np.inf)  # (P, obj)
    lv = levels[:, :, None]  # (P, N, 1)
    released = np.full((n_nat, n_nat, own.sigma_km.shape[1]), np.inf)  # (P, N, obj)
    released = np.where(lv == LEVELS.index(SharingLevel.FULL), fresh[:, None, :], released)
    released = np.where(
        lv == LEVELS.index(SharingLevel.DEGRADED),
        fresh[:, None, :] * sharing.degraded_sigma_factor,
        released,
    )
    released = np.where(lv == LEVELS.index(SharingLevel.DELAYED), delayed_sigma_km[:, None, :], released)
    contrib_sigma = np.swapaxes(released, 0, 1).copy()  # (N, P, obj)
    diag = np.arange(n_nat)
    contrib_sigma[diag, diag, :] = np.where(own_held, own.sigma_km, np.inf)
    contrib_sigma = np.where(decayed[None, None, :], np.inf, contrib_sigma)
    used = np.isfinite(contrib_sigma)
    with np.errstate(divide="ignore"):
        info = np.sum(np.where(used, 1.0 / contrib_sigma**2, 0.0), axis=1)
        sigma = np.where(info > 0.0, 1.0 / np.sqrt(info), np.inf)
    sigma = np.where(own.owner, custody.owner_sigma_km, sigma)
    held = (sigma <= max_km) & ~decayed[None, :]

    own_in = used[diag, diag, :]
    partner_used = used.copy()
    partner_used[diag, diag, :] = False
    partners_in = np.any(partner_used, axis=1)
    source = np.select(
        [own.owner, own_in & partners_in, partners_in, own_in],
        [
            SOURCES.index("owner"),
            SOURCES.index("fused"),
            SOURCES.index("shared"),
            SOURCES.index("own"),
        ],
        default=-1,
    )
    source = np.where(held, source, -1)

    contributors = partner_used.copy()
    contributors[diag, diag, :] = (own_in & own.observed) | own.owner
    contributors[:, :, :] &= ~own.owner[:, None, :] | (diag[:, None] == diag[None, :])[:, :, None]
    delayed_mask = np.swapaxes(levels == LEVELS.index(SharingLevel.DELAYED), 0, 1)[:, :, None]
    partner_times = np.where(delayed_mask, delayed_obs_min[None, :, :], own.obs_min[None, :, :])
    partner_times = partner_times.copy()
    partner_times[diag, diag, :] = own.obs_min
    times = np.where(contributors, partner_times, np.nan)
    obs_min = np.fmax.reduce(times, axis=1) if n_nat else np.zeros_like(sigma)
    return FusedPicture(
        sigma_km=sigma,
        held=held,
        source=source.astype(np.int64),
        contributors=contributors & held[:, None, :],
        obs_min=obs_min,
    )
