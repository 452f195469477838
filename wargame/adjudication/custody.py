"""Per-nation custody from its own sensors: 1-sigma that grows with time and shrinks with passes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.access import NationObservations
from wargame.adjudication.catalog import Catalog, table_columns
from wargame.adjudication.records import CustodyRecord, stored_sigma_km
from wargame.domain.ruleset_model import CustodyRules
from wargame.domain.state import TRACK_SOURCES, NationState, TrackTable

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

OWN_SOURCES = ("own", "owner")
"""Track sources that carry only the holder's own data (safe to use as an own-only prior)."""


@dataclass(frozen=True)
class OwnTracks:
    """What each played nation knows from its own sensors and own payloads (never re-shared data).

    Arrays are (n_nation, n_obj); times are minutes after the move start.
    """

    sigma_km: F64
    """1-sigma at the move end; inf where the nation has no estimate."""
    observed: BOOL
    """The estimate rests on the nation's own observations or telemetry (not the public catalog)."""
    obs_min: F64
    """Time of the last own observation (NaN if never)."""
    owner: BOOL
    """The object is a payload the nation owns (telemetry at owner_sigma_km)."""


def prior_from_record(record: CustodyRecord, n_obj: int) -> tuple[F64, F64]:
    """Own-only 1-sigma (n_nation, n_obj) at the record's epoch (this move's start) and the last
    own observation (minutes after it, so <= 0; NaN: never), extended to `n_obj` objects (those
    made in play since have no estimate)."""
    n_nat, n_old = record.own_sigma_km.shape
    sigma = np.full((n_nat, n_obj), np.inf)
    obs_min = np.full((n_nat, n_obj), np.nan)
    sigma[:, :n_old] = record.own_sigma_km
    obs_min[:, :n_old] = -record.own_age_min
    return sigma, obs_min


def prior_from_legacy_pictures(
    nations: Mapping[str, NationState], catalog: Catalog, move_start: datetime
) -> tuple[F64, F64]:
    """The own prior of an exercise recorded before custody records (pictures as TrackTables):
    each nation's own estimates (own_estimates) of its latest picture, the public catalog
    prior it used to label 'own' left out (rows never observed)."""
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    sigma = np.full((n_nat, n_obj), np.inf)
    obs_min = np.full((n_nat, n_obj), np.nan)
    for i, nation_id in enumerate(catalog.nations):
        nation = nations.get(nation_id)
        if nation is None or not len(nation.picture):
            continue
        idx, own_sigma, own_obs = own_estimates(nation.picture, catalog, move_start)
        observed = ~np.isnan(own_obs)
        sigma[i, idx[observed]] = own_sigma[observed]
        obs_min[i, idx[observed]] = own_obs[observed]
    return sigma, obs_min


def as_stored(own: OwnTracks, t_end_min: float, max_sigma_km: float) -> OwnTracks:
    """Own tracks as a custody record keeps them (1-sigma on its log scale, observation ages in
    whole minutes), so that the core, the next move and any replay all work on the same numbers.
    A track beyond `max_sigma_km` is lost: the nation must observe the object again."""
    finite = np.isfinite(own.sigma_km) & ((own.sigma_km <= max_sigma_km) | own.owner)
    sigma = np.where(finite, stored_sigma_km(np.where(finite, own.sigma_km, 1.0)), np.inf)
    age = np.rint(t_end_min - own.obs_min)
    return OwnTracks(
        sigma_km=sigma, observed=own.observed, obs_min=t_end_min - age, owner=own.owner
    )


def own_estimates(
    table: TrackTable, catalog: Catalog, move_start: datetime
) -> tuple[I64, F64, F64]:
    """The holder's own-only estimates in a picture table: catalog index, 1-sigma at the table's
    move end and own latest observation (minutes after `move_start`, NaN: never), shapes (k,).

    Rows of source 'own'/'owner' as they are, plus the own part of 'fused' rows
    (TrackTable.own_part_*); never data the holder received from partners. Objects no longer in
    the catalog are left out."""
    idx, track_sigma, source, track_obs = table_columns(table, catalog, move_start)
    own_rows = np.isin(source, [TRACK_SOURCES.index(s) for s in OWN_SOURCES])
    sigma = np.where(own_rows, track_sigma, np.nan)
    obs = np.where(own_rows, track_obs, np.nan)
    if table.own_part_rows:
        part = np.asarray(table.own_part_rows, dtype=np.int64)
        sigma[part] = table.own_part_sigma_km
        obs[part] = np.asarray(table.own_part_observed_min, dtype=np.float64) + (
            0.0 if table.epoch is None else (table.epoch - move_start) / timedelta(minutes=1)
        )
        own_rows[part] = True
    use = own_rows & (idx >= 0)
    return idx[use], sigma[use], obs[use]


def update_custody(
    prior_sigma_km: F64,
    prior_obs_min: F64,
    observations: NationObservations,
    offsets_min: F64,
    catalog: Catalog,
    rules: CustodyRules,
    burn_dv_m_per_s: F64 | None = None,
    growth_factor: F64 | None = None,
) -> OwnTracks:
    """Grow the prior to the last pass, fuse the passes by information, grow to the move end.

    sigma(t_last) = s_prior + (g + d) * t_last;  1/s^2 = 1/sigma(t_last)^2 + sum_k n_k / m_k^2;
    sigma(end) = s + g * (t_end - t_last). Without passes: s_prior + (g + d) * t_end.
    d is the drift of an unseen burn at the move start: manoeuvre_drift_factor * |dv| per object
    (`burn_dv_m_per_s`, (n_obj,), 0 where none), until the passes that follow it. g is
    growth_km_per_hour, times `growth_factor` per object ((n_obj,): a storm's drag) if given.
    Own payloads are held at owner_sigma_km with telemetry at the move end.
    All arrays (n_nation, n_obj); offsets_min (n_time,).
    """
    growth_km_per_min: F64 | float = rules.growth_km_per_hour / 60.0
    if growth_factor is not None:
        growth_km_per_min = growth_km_per_min * growth_factor[None, :]
    growth_until_seen: F64 | float = growth_km_per_min
    if burn_dv_m_per_s is not None:
        km_per_min_per_m_per_s = 60.0 / 1000.0
        drift = rules.manoeuvre_drift_factor * km_per_min_per_m_per_s * burn_dv_m_per_s
        growth_until_seen = growth_km_per_min + drift[None, :]
    t_end_min = float(offsets_min[-1])
    seen = observations.last_step >= 0
    t_last_min = np.where(seen, offsets_min[np.maximum(observations.last_step, 0)], t_end_min)
    sigma_at_obs = prior_sigma_km + growth_until_seen * t_last_min
    with np.errstate(divide="ignore"):
        info = np.where(np.isfinite(sigma_at_obs), 1.0 / sigma_at_obs**2, 0.0)
        info = info + observations.info_per_km2
        post = np.where(info > 0.0, 1.0 / np.sqrt(info), np.inf)
    sigma_end = post + growth_km_per_min * (t_end_min - t_last_min)
    obs_min = np.where(seen, t_last_min, prior_obs_min)
    n_nat = len(catalog.nations)
    owner = (catalog.owner_idx[None, :] == np.arange(n_nat)[:, None]) & catalog.is_payload[None, :]
    sigma_end = np.where(owner, rules.owner_sigma_km, sigma_end)
    obs_min = np.where(owner, t_end_min, obs_min)
    observed = owner | ~np.isnan(obs_min)
    return OwnTracks(sigma_km=sigma_end, observed=observed, obs_min=obs_min, owner=owner)
