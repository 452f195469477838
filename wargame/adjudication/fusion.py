"""Fused picture per nation: own tracks, partners' releases and the public catalog, by information."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.custody import OwnTracks
from wargame.adjudication.records import Release
from wargame.domain.common import SharingLevel
from wargame.domain.ruleset_model import CustodyRules, SharingRules

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

SOURCES: tuple[str, ...] = ("owner", "own", "shared", "fused", "catalog")
"""Track source codes (index = code; -1 = not held); the same order as state.TRACK_SOURCES."""
RELEASE_LEVELS = (SharingLevel.FULL.value, SharingLevel.DEGRADED.value, SharingLevel.DELAYED.value)


@dataclass(frozen=True)
class PublicCatalog:
    """The public catalog as a source: (n_obj,) 1-sigma of its estimate (inf: not in it), and
    (n_nation,) which nations the scenario gives it to."""

    sigma_km: F64
    granted: BOOL


@dataclass(frozen=True)
class DelayedTracks:
    """What a 'delayed' release carries: each releaser's own estimates of the previous move, grown
    to this move's end, (n_nation, n_obj): 1-sigma (inf: none) and observation time (minutes after
    the move start, NaN: never)."""

    sigma_km: F64
    obs_min: F64


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
    delayed_only: BOOL
    """The track rests on partners' delayed releases alone: it is as of the previous move's end."""
    own: OwnTracks
    """The nations' own-only tracks the picture was fused from."""


def _release_weights(
    releases: Sequence[Release], regime_idx: I64, n_obj: int, degraded_factor: float
) -> dict[tuple[int, int], tuple[F64, BOOL]]:
    """Per (releaser, receiver): the weight of the releaser's fresh information per object (1 for
    full, 1/factor^2 for degraded, the best level where releases overlap) and the objects it
    releases only delayed."""
    pairs: dict[tuple[int, int], list[Release]] = defaultdict(list)
    for release in releases:
        if release.releaser != release.receiver and release.level in RELEASE_LEVELS:
            pairs[(release.releaser, release.receiver)].append(release)
    weights: dict[tuple[int, int], tuple[F64, BOOL]] = {}
    degraded_weight = 1.0 / degraded_factor**2
    for pair, group in sorted(pairs.items()):
        fresh = np.zeros(n_obj)
        delayed = np.zeros(n_obj, dtype=bool)
        for release in group:
            scope = release.scope(regime_idx)
            if release.level == SharingLevel.FULL.value:
                fresh = np.where(scope, 1.0, fresh)
            elif release.level == SharingLevel.DEGRADED.value:
                fresh = np.where(scope, np.maximum(fresh, degraded_weight), fresh)
            else:
                delayed |= scope
        weights[pair] = (fresh, delayed & (fresh == 0.0))
    return weights


def fuse(
    own: OwnTracks,
    releases: Sequence[Release],
    regime_idx: I64,
    delayed: DelayedTracks,
    public: PublicCatalog,
    decayed: BOOL,
    custody: CustodyRules,
    sharing: SharingRules,
    holders: Sequence[int] | None = None,
) -> FusedPicture:
    """Combine each nation's own held track with what partners released to it and with the public
    catalog: 1/s^2 = sum_i 1/s_i^2 over independent estimates.

    A release from P to N covers its scope (regimes, objects): full -> P's own held, own-observed
    track; degraded -> that sigma * degraded_sigma_factor; delayed -> `delayed.sigma_km[P]`
    (only where P releases nothing fresher). Partners' data is never re-released: P releases
    only its own. The public catalog adds its estimate for nations granted it. Owners keep their
    payloads at owner_sigma_km (source 'owner'). A track is 'catalog' when the public catalog
    alone holds it.

    `holders` (nation indices) fuses only those nations' pictures: the result's rows are theirs,
    in that order (a seat's picture needs one row; the whole set is 200 MB of work at 25 nations
    and 47,000 objects). Every nation's own tracks still feed them.
    """
    n_nat, n_obj = own.sigma_km.shape
    rows = np.arange(n_nat) if holders is None else np.asarray(holders, dtype=np.int64)
    row_of = {int(n): i for i, n in enumerate(rows)}
    n_row = rows.shape[0]
    max_km = custody.custody_max_sigma_km
    alive = ~decayed[None, :]
    own_held = (own.sigma_km <= max_km) & alive
    fresh_ok = own_held & own.observed  # (P, obj) releasable at full or degraded
    delayed_ok = np.isfinite(delayed.sigma_km) & alive
    with np.errstate(divide="ignore"):
        own_info = np.where(own_held, 1.0 / own.sigma_km**2, 0.0)
        fresh_info = np.where(fresh_ok, own_info, 0.0)
        delayed_info = np.where(delayed_ok, 1.0 / delayed.sigma_km**2, 0.0)
        catalog_info = np.where(np.isfinite(public.sigma_km) & ~decayed, 1.0 / public.sigma_km**2, 0.0)

    owner, held_own = own.owner[rows], own_held[rows]
    info = own_info[rows].copy()
    catalog_in = public.granted[rows][:, None] & (catalog_info > 0.0)[None, :]
    info += np.where(catalog_in, catalog_info[None, :], 0.0)
    fresh_in = np.zeros((n_row, n_obj), dtype=bool)
    delayed_in = np.zeros((n_row, n_obj), dtype=bool)
    contributors = np.zeros((n_row, n_nat, n_obj), dtype=bool)  # (N, P, obj)
    delayed_from = np.zeros((n_row, n_nat, n_obj), dtype=bool)
    for (p, n), (weight, delayed_only) in _release_weights(
        releases, regime_idx, n_obj, sharing.degraded_sigma_factor
    ).items():
        if n not in row_of:
            continue
        r = row_of[n]
        fresh_used = (weight > 0.0) & fresh_ok[p]
        delayed_used = delayed_only & delayed_ok[p]
        info[r] += weight * fresh_info[p] + np.where(delayed_used, delayed_info[p], 0.0)
        fresh_in[r] |= fresh_used
        delayed_in[r] |= delayed_used
        contributors[r, p] = fresh_used | delayed_used
        delayed_from[r, p] = delayed_used
    partners_in = fresh_in | delayed_in
    sigma = np.where(info > 0.0, 1.0 / np.sqrt(np.where(info > 0.0, info, 1.0)), np.inf)
    sigma = np.where(owner, custody.owner_sigma_km, sigma)
    held = (sigma <= max_km) & alive

    source = np.select(
        [owner, held_own & partners_in, partners_in, held_own, catalog_in],
        [SOURCES.index(s) for s in ("owner", "fused", "shared", "own", "catalog")],
        default=-1,
    )
    source = np.where(held, source, -1)

    contributors &= ~owner[:, None, :]  # an owner's payload rests on its telemetry only
    contributors[np.arange(n_row), rows, :] = fresh_ok[rows] | owner
    obs_min = np.full(sigma.shape, np.nan)
    for p in range(n_nat):
        partner_time = np.where(delayed_from[:, p, :], delayed.obs_min[p][None, :], own.obs_min[p][None, :])
        obs_min = np.fmax(obs_min, np.where(contributors[:, p, :], partner_time, np.nan))
    contributors &= held[:, None, :]
    delayed_only = held & delayed_in & ~fresh_in & ~held_own & ~catalog_in & ~owner
    return FusedPicture(
        sigma_km=sigma,
        held=held,
        source=source.astype(np.int64),
        contributors=contributors,
        obs_min=obs_min,
        delayed_only=delayed_only,
        own=own,
    )
