"""From arrays to events: fused pictures as PictureUpdated and screening hits as warnings."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from wargame.adjudication.catalog import Catalog, Ephemeris, subpoints_at_end
from wargame.adjudication.conjunction import ScreeningHits, pc_isotropic
from wargame.adjudication.fusion import SOURCES, FusedPicture
from wargame.domain.events import ConjunctionWarning, PictureUpdated
from wargame.domain.ruleset_model import ConjunctionRules
from wargame.domain.state import Track


def picture_events(
    catalog: Catalog, ephemeris: Ephemeris, fused: FusedPicture, move: int
) -> list[PictureUpdated]:
    """One PictureUpdated per played nation with its held tracks (sorted by object id).

    Positions are the true sub-satellite point at the end of the time grid (geodetic WGS-84);
    the picture's error is carried by sigma_km.
    """
    lat_deg, lon_deg, alt_km = subpoints_at_end(ephemeris)
    events: list[PictureUpdated] = []
    for n, nation in enumerate(catalog.nations):
        tracks: list[Track] = []
        for j in np.flatnonzero(fused.held[n]):
            obs_min = float(fused.obs_min[n, j])
            observed_at: datetime | None = (
                None if math.isnan(obs_min) else ephemeris.start + timedelta(minutes=obs_min)
            )
            tracks.append(
                Track(
                    object_id=catalog.ids[j],
                    sigma_km=float(fused.sigma_km[n, j]),
                    source=SOURCES[int(fused.source[n, j])],
                    contributors=tuple(
                        catalog.nations[c] for c in np.flatnonzero(fused.contributors[n, :, j])
                    ),
                    observed_at=observed_at,
                    lat_deg=float(lat_deg[j]),
                    lon_deg=float(lon_deg[j]),
                    alt_km=float(alt_km[j]),
                    regime=catalog.regime_name(int(j)),
                )
            )
        events.append(PictureUpdated(nation=nation, move=move, tracks=tuple(tracks)))
    return events


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
