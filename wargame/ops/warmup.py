"""Compile, or load from numba's on-disk cache, every kernel of the core before the first move."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta


def warm_up(tell: Callable[[str], None] | None = None) -> dict[str, float]:
    """Run each kernel once on a tiny synthetic catalog; seconds per stage.

    A fresh install compiles the kernels in about 15 s (here); afterwards every process loads
    them from the cache in well under a second. Run by `wargame warmup` (the installer and the
    Docker image call it) so that no white cell waits on the first move. `tell` hears each
    stage as it starts.
    """
    step = tell or (lambda message: None)
    from wargame.adjudication.access import compute_access
    from wargame.adjudication.catalog import build_ephemeris
    from wargame.adjudication.screening import screen_catalog
    from wargame.bench.synthetic import EPOCH, synthetic_catalog, synthetic_sensors
    from wargame.scenario import find_ruleset, load_ruleset

    rules = load_ruleset(find_ruleset("standard"))  # WARGAME_DATA_DIR, then the checkout
    catalog = synthetic_catalog(rules, 200, 20, seed=1)
    seconds: dict[str, float] = {}
    step("ephemeris")
    t = time.perf_counter()
    ephemeris = build_ephemeris(catalog, EPOCH, timedelta(hours=2), 15.0)
    seconds["ephemeris"] = time.perf_counter() - t
    step("access")
    t = time.perf_counter()
    compute_access(synthetic_sensors(1), rules, catalog, ephemeris)
    seconds["access"] = time.perf_counter() - t
    step("screening")
    t = time.perf_counter()
    screen_catalog(catalog, ephemeris, catalog.is_payload, rules.conjunction.screening_distance_km)
    seconds["screening"] = time.perf_counter() - t
    return seconds
