"""Conjunction warnings from screening hits, as each nation estimates them from its own picture."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction import ScreeningHits
from wargame.adjudication.estimates import estimated_miss
from wargame.adjudication.fusion import FusedPicture
from wargame.domain.common import Marking
from wargame.domain.events import ConjunctionWarning
from wargame.domain.ruleset_model import ConjunctionRules

F64 = NDArray[np.float64]


def screening_warnings(
    catalog: Catalog,
    ephemeris: Ephemeris,
    fused: FusedPicture,
    hits: ScreeningHits,
    rules: ConjunctionRules,
    key: tuple[int, int],
    shared: Mapping[str, dict[str, Marking]] | None = None,
) -> list[ConjunctionWarning]:
    """ConjunctionWarning to the owner of the screened asset when its picture holds both objects
    and the Pc it computes reaches pc_attention (a nation screens its own satellites; partners
    get its warnings through a released warnings product, `shared`). The owner's miss distance is
    an estimate: the true refined miss plus an error of its combined 1-sigma of the two objects
    (estimates.estimated_miss, keyed by (seed, move, nation)); its Pc comes from that estimate."""
    events: list[ConjunctionWarning] = []
    if hits.primary.size == 0:
        return events
    owner = catalog.owner_idx[hits.primary]  # (n_hit,) the played owner of each screened asset
    is_owner = owner[None, :] == np.arange(len(catalog.nations))[:, None]
    held_both = is_owner & fused.held[:, hits.primary] & fused.held[:, hits.secondary]  # (n_nat, n_hit)
    radius_km = rules.hard_body_radius_m / 1000.0
    for n in np.flatnonzero(held_both.any(axis=1)):
        sigma_km = np.hypot(fused.sigma_km[n, hits.primary], fused.sigma_km[n, hits.secondary])
        nation_key = (*key, "conjunctions", catalog.nations[n])
        miss_km, pc = estimated_miss(hits.miss_km, sigma_km, radius_km, nation_key)
        for h in np.flatnonzero(held_both[n] & (pc >= rules.pc_attention)):
            events.append(
                ConjunctionWarning(
                    nation=catalog.nations[n],
                    asset_id=catalog.ids[hits.primary[h]],
                    other_id=catalog.ids[hits.secondary[h]],
                    tca=ephemeris.start + timedelta(minutes=float(hits.tca_offset_min[h])),
                    miss_km=float(miss_km[h]),
                    pc=float(pc[h]),
                    action_threshold_exceeded=bool(pc[h] >= rules.pc_mitigation),
                    shared_with=(shared or {}).get(catalog.nations[n], {}),
                )
            )
    return events
