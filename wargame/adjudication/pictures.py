"""From arrays to events: fused pictures as PictureUpdated and screening hits as warnings."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris, subpoints_at_end
from wargame.adjudication.conjunction import ScreeningHits, pc_isotropic
from wargame.adjudication.fusion import SOURCES, FusedPicture
from wargame.domain.events import ConjunctionWarning, PictureUpdated
from wargame.domain.ruleset_model import ConjunctionRules
from wargame.domain.state import TrackTable

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class MoveColumns:
    """Per-move columns shared by every nation's picture, as Python lists over the catalog:
    ids, true sub-satellite point at the end of the time grid (geodetic WGS-84, rounded to
    1e-4 deg and 1 m) and regime code."""

    ids: list[str]
    lat_deg: list[float]
    lon_deg: list[float]
    alt_km: list[float]
    regime: list[int]

    @classmethod
    def of(cls, catalog: Catalog, ephemeris: Ephemeris) -> MoveColumns:
        lat_deg, lon_deg, alt_km = subpoints_at_end(ephemeris)
        return cls(
            ids=list(catalog.ids),
            lat_deg=np.round(lat_deg, 4).tolist(),
            lon_deg=np.round(lon_deg, 4).tolist(),
            alt_km=np.round(alt_km, 3).tolist(),
            regime=catalog.regime_idx.tolist(),
        )


def _pick(values: list[Any], rows: I64, everything: bool) -> tuple[Any, ...]:
    """values[rows] as a tuple (a C-level gather; the whole list when every row is held)."""
    if everything:
        return tuple(values)
    if rows.size == 0:
        return ()
    if rows.size == 1:
        return (values[int(rows[0])],)
    return operator.itemgetter(*rows.tolist())(values)


def picture_table(
    catalog: Catalog, ephemeris: Ephemeris, fused: FusedPicture, nation: int, columns: MoveColumns
) -> TrackTable:
    """Columnar picture of played nation `nation`: its held objects in catalog (id) order.

    Positions are the true sub-satellite point (see MoveColumns); the picture's error is carried
    by sigma_km (rounded to 0.1 m). Fused rows that rest on the nation's own observations keep
    its own-only part (TrackTable.own_part_*) for the next move's prior.
    """
    held = np.flatnonzero(fused.held[nation])
    everything = held.size == catalog.n_obj
    bits = 1 << np.arange(len(catalog.nations), dtype=np.int64)
    masks = bits @ fused.contributors[nation][:, held].astype(np.int64)
    obs = np.round(fused.obs_min[nation, held], 3).astype(object)
    obs[np.isnan(fused.obs_min[nation, held])] = None
    source = fused.source[nation, held]
    own = fused.own
    own_part = np.flatnonzero((source == SOURCES.index("fused")) & own.observed[nation, held])
    return TrackTable.model_construct(
        nations=catalog.nations,
        epoch=ephemeris.start,
        object_ids=_pick(columns.ids, held, everything),
        sigma_km=tuple(np.round(fused.sigma_km[nation, held], 4).tolist()),
        source=tuple(source.tolist()),
        contributors=tuple(masks.tolist()),
        observed_min=tuple(obs.tolist()),
        lat_deg=_pick(columns.lat_deg, held, everything),
        lon_deg=_pick(columns.lon_deg, held, everything),
        alt_km=_pick(columns.alt_km, held, everything),
        regime=_pick(columns.regime, held, everything),
        own_part_rows=tuple(own_part.tolist()),
        own_part_sigma_km=tuple(np.round(own.sigma_km[nation, held[own_part]], 4).tolist()),
        own_part_observed_min=tuple(np.round(own.obs_min[nation, held[own_part]], 3).tolist()),
    )


def picture_events(
    catalog: Catalog, ephemeris: Ephemeris, fused: FusedPicture, move: int
) -> list[PictureUpdated]:
    """One PictureUpdated per played nation with its held tracks (columnar, sorted by id)."""
    columns = MoveColumns.of(catalog, ephemeris)
    return [
        PictureUpdated(
            nation=nation, move=move, tracks=picture_table(catalog, ephemeris, fused, n, columns)
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
