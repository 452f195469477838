"""Slow, obvious brute-force twin of conjunction screening: fine sgp4 sampling of every pair."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sgp4.api import Satrec

from wargame.adjudication.orbits import to_jd


def screen_reference(
    satrecs: Sequence[Satrec],
    assets: Sequence[int],
    start: datetime,
    duration_s: float,
    distance_km: float,
    step_s: float = 2.0,
) -> dict[tuple[int, int], tuple[float, float]]:
    """{(asset, other): (miss_km, tca_s)} for every pair closer than distance_km.

    Each object is sampled by sgp4 every step_s; for each pair the smallest sampled distance
    is polished by a parabola through the squared distances of its neighbours (exact for
    linear relative motion). Pairs of two assets appear once, lower index first.
    """
    jd0, fr0 = to_jd(start)
    n = math.floor(duration_s / step_s) + 1
    t_s = np.arange(n) * step_s
    fr = fr0 + t_s / 86400.0
    jd = np.full(n, jd0)
    tracks = []
    for sat in satrecs:
        err, pos, _vel = sat.sgp4_array(jd, fr)
        pos = np.where((err != 0)[:, None], np.nan, pos)
        tracks.append(pos)
    asset_set = set(assets)
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for a in assets:
        for j in range(len(satrecs)):
            if j == a or (j in asset_set and j < a):
                continue
            d2 = np.sum((tracks[a] - tracks[j]) ** 2, axis=1)
            if not np.any(np.isfinite(d2)):
                continue
            b = int(np.nanargmin(d2))
            miss2, tca = float(d2[b]), float(t_s[b])
            if 0 < b < n - 1 and math.isfinite(d2[b - 1]) and math.isfinite(d2[b + 1]):
                denom = d2[b - 1] - 2.0 * d2[b] + d2[b + 1]
                if denom > 0.0:
                    shift = 0.5 * (d2[b - 1] - d2[b + 1]) / denom
                    tca = float(t_s[b] + shift * step_s)
                    miss2 = float(d2[b] - 0.25 * (d2[b - 1] - d2[b + 1]) * shift)
            miss = math.sqrt(max(miss2, 0.0))
            if miss < distance_km:
                out[(min(a, j), max(a, j)) if j in asset_set else (a, j)] = (miss, tca)
    return out
