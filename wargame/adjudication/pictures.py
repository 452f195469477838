"""From arrays to events: fused pictures as PictureUpdated and screening hits as warnings."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris, subpoints_at_end
from wargame.adjudication.conjunction import ScreeningHits, pc_isotropic
from wargame.adjudication.fusion import FusedPicture
from wargame.domain.events import ConjunctionWarning, PictureUpdated
from wargame.domain.ruleset_model import ConjunctionRules
from wargame.domain.state import TrackTable

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def _column(values: F64, decimals: int) -> tuple[float, ...]:
    return tuple(np.round(values, decimals).tolist())


def picture_table(
    catalog: Catalog,
    ephemeris: Ephemeris,
    fused: FusedPicture,
    nation: int,
    subpoints: tuple[F64, F64, F64],
) -> TrackTable:
    """Columnar picture of played nation `nation`: its held objects in catalog (id) order.

    Positions are the true sub-satellite point at the end of the time grid (geodetic WGS-84,
    rounded to 1e-4 deg and 1 m); the picture's error is carried by sigma_km (rounded to 0.1 m).
    """
    lat_deg, lon_deg, alt_km = subpoints
    held = np.flatnonzero(fused.held[nation])
    bits = (1 << np.arange(len(catalog.nations), dtype=np.int64))[:, None]
    masks = np.sum(np.where(fused.contributors[nation][:, held], bits, 0), axis=0)
    obs = fused.obs_min[nation, held]
    observed = [None if math.isnan(x) else x for x in np.round(obs, 3).tolist()]
    ids = catalog.ids
    return TrackTable.model_construct(
        nations=catalog.nations,
        epoch=ephemeris.start,
        object_ids=tuple(ids[j] for j in held.tolist()),
        sigma_km=_column(fused.sigma_km[nation, held], 4),
        source=tuple(fused.source[nation, held].tolist()),
        contributors=tuple(masks.tolist()),
        observed_min=tuple(observed),
        lat_deg=_column(lat_deg[held], 4),
        lon_deg=_column(lon_deg[held], 4),
        alt_km=_column(alt_km[held], 3),
        regime=tuple(catalog.regime_idx[held].tolist()),
    )


def picture_events(
    catalog: Catalog, ephemeris: Ephemeris, fused: FusedPicture, move: int
) -> list[PictureUpdated]:
    """One PictureUpdated per played nation with its held tracks (columnar, sorted by id)."""
    subpoints = subpoints_at_end(ephemeris)
    return [
        PictureUpdated(
            nation=nation, move=move, tracks=picture_table(catalog, ephemeris, fused, n, subpoints)
        )
        for n, nation in enumerate(catalog.nations)
    ]


def screening_warnings(
    catalog: Catalog,
    ephemeris: Ephemeris,
    fused: FusedPicture,
    hits: ScreeningHits,
    rules: ConjunctionRules,
) -> list[ConjunctionWarning]:
    """ConjunctionWarning for each nation holding both objects of a screening hit with
    pc >= pc_attention (pc from that nation's sigmas and the true refined miss distance)."""
    held_both = fused.held[:, hits.primary] & fused.held[:, hits.secondary]  # (n_nat, n_hit)
    sigma_km = np.hypot(fused.sigma_km[:, hits.primary], fused.sigma_km[:, hits.secondary])
    sigma_km = np.where(held_both, sigma_km, 1.0)
    pc = pc_isotropic(
        np.broadcast_to(hits.miss_km, sigma_km.shape), sigma_km, rules.hard_body_radius_m / 1000.0
    )
    warn = held_both & (pc >= rules.pc_attention)
    events: list[ConjunctionWarning] = []
    for n, h in zip(*np.nonzero(warn), strict=True):
        events.append(
            ConjunctionWarning(
                nation=catalog.nations[n],
                asset_id=catalog.ids[hits.primary[h]],
                other_id=catalog.ids[hits.secondary[h]],
                tca=ephemeris.start + timedelta(minutes=float(hits.tca_offset_min[h])),
                miss_km=float(hits.miss_km[h]),
                pc=float(pc[n, h]),
                action_threshold_exceeded=bool(pc[n, h] >= rules.pc_mitigation),
            )
        )
    return events
