"""`wargame bench adjudication [--json]`: adjudication kernels against baselines of the same run."""

from __future__ import annotations

import functools
import resource
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numba
import numpy as np
from sgp4.api import SatrecArray

from wargame.adjudication import access_kernel, screening_kernel
from wargame.adjudication.access import compute_access, observations_by_nation
from wargame.adjudication.catalog import build_ephemeris
from wargame.adjudication.custody import as_stored, update_custody
from wargame.adjudication.fusion import PublicCatalog
from wargame.adjudication.orbits import jd_grid, time_grid
from wargame.adjudication.picture_set import custody_record, fused_from_records, truth_at_end
from wargame.adjudication.preview import sample_hits
from wargame.adjudication.records import Release, decode_custody, encode_custody, encode_truth
from wargame.adjudication.screening import screen_catalog
from wargame.adjudication.threads import THREADSAFE
from wargame.bench.synthetic import EPOCH, standard_ruleset, synthetic_catalog, synthetic_sensors
from wargame.domain.common import SharingLevel


def _median_s(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def floor_pass(pos32_km: np.ndarray, up32: np.ndarray, chunk_rows: int = 4096) -> int:
    """One BLAS pass: every (object, time) position dotted with every sensor's vertical, one
    comparison; (n_obj * n_time, 3) @ (3, n_sensor) in chunks. Returns the count (kept live).
    The benchmark takes the fastest of several chunk sizes (larger blocks were 10x slower here)."""
    flat = pos32_km.reshape(-1, 3)
    total = 0
    for lo in range(0, flat.shape[0], chunk_rows):
        total += int(np.count_nonzero(flat[lo : lo + chunk_rows] @ up32 > 0.0))
    return total


def run(
    n_obj: int, n_sensors: int, n_assets: int, step_min: float, hours: float, repeats: int, seed: int
) -> dict[str, Any]:
    """Build the seeded synthetic catalog and measure every ratio in this one run."""
    rules = standard_ruleset()
    catalog = synthetic_catalog(rules, n_obj, n_assets, seed)
    sensors = synthetic_sensors(seed)[:n_sensors]
    duration = timedelta(hours=hours)
    offsets = time_grid(duration, step_min)
    jd, fr = jd_grid(EPOCH, offsets)
    array = SatrecArray(list(catalog.satrecs))
    eph = build_ephemeris(catalog, EPOCH, duration, step_min)
    lat = np.radians([s.lat_deg for s in sensors])
    lon = np.radians([s.lon_deg for s in sensors])
    up32 = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]).astype(np.float32)
    floor_s = min(
        _median_s(functools.partial(floor_pass, eph.pos32_km, up32, rows), repeats)
        for rows in (2048, 4096, 8192)
    )
    access_s = _median_s(lambda: compute_access(sensors, rules, catalog, eph), repeats)
    n_nat = len(catalog.nations)
    releases = tuple(
        Release(p, n, (SharingLevel.DEGRADED if p % 3 == 0 and n % 2 else SharingLevel.FULL).value)
        for p in range(n_nat)
        for n in range(n_nat)
        if p != n
    )
    catalog_sigma = rules.custody.public_catalog_sigma_km or {}
    public = PublicCatalog(
        sigma_km=np.array([catalog_sigma.get(catalog.regime_name(k), np.inf) for k in range(catalog.n_obj)]),  # type: ignore[call-overload]
        granted=np.ones(n_nat, dtype=bool),
    )
    asset_mask = catalog.is_payload.copy()
    p_effects = np.linspace(0.2, 0.9, 8)
    stage_s: dict[str, float] = {}

    def move() -> None:
        t = time.perf_counter()
        ephemeris = build_ephemeris(catalog, EPOCH, duration, step_min)
        stage_s["propagation"] = time.perf_counter() - t
        t = time.perf_counter()
        access = compute_access(sensors, rules, catalog, ephemeris)
        stage_s["access"] = time.perf_counter() - t
        t = time.perf_counter()
        obs = observations_by_nation(sensors, rules, catalog, access, [])
        prior = np.full((n_nat, catalog.n_obj), 2.0)
        no_obs = np.full_like(prior, np.nan)
        t_end = float(ephemeris.offsets_min[-1])
        own = update_custody(prior, no_obs, obs, ephemeris.offsets_min, catalog, rules.custody)
        own = as_stored(own, t_end, rules.custody.custody_max_sigma_km)
        end = ephemeris.moment(ephemeris.n_time - 1)
        record = custody_record(1, end, catalog, own, t_end, public, releases, ephemeris.decayed)
        blob = encode_custody(record)
        tables = [blob, encode_truth(truth_at_end(ephemeris))]
        fused_from_records(decode_custody(blob), None, rules)
        stage_s["custody_fusion_pictures"] = time.perf_counter() - t
        t = time.perf_counter()
        screen_catalog(catalog, ephemeris, asset_mask, rules.conjunction.screening_distance_km)
        stage_s["screening"] = time.perf_counter() - t
        sample_hits(p_effects, np.ones(p_effects.size, dtype=bool), 1, seed)
        del tables

    # JIT warm-up: the first screening call compiles (or loads the cache of) the numba kernel;
    # it is timed here and kept out of the move's repeats.
    t_jit = time.perf_counter()
    screen_catalog(catalog, eph, asset_mask, rules.conjunction.screening_distance_km)
    first_screen_s = time.perf_counter() - t_jit
    # Baseline and move interleaved, so that a slow spell of the machine hits both. Then the
    # same with the kernels' serial builds (one thread; numba.set_num_threads is not used:
    # raising the count again made the next parallel call 10x slower with GNU OpenMP here).
    # The order alternates (prop, move, move, prop, ...): on this machine a 140 MB sgp4 call ran
    # about 8 % slower right after another one than right after a move, so each side gets
    # both positions equally often.
    prop_times, move_times, stage_history = [], [], []

    def time_move() -> None:
        move_times.append(_median_s(move, 1))
        stage_history.append(dict(stage_s))

    for r in range(repeats):
        if r % 2 == 0:
            prop_times.append(_median_s(lambda: array.sgp4(jd, fr), 1))
            time_move()
        else:
            time_move()
            prop_times.append(_median_s(lambda: array.sgp4(jd, fr), 1))
    stage_median_s = {k: statistics.median(h[k] for h in stage_history) for k in stage_s}
    serial_prop_times, serial_move_times = [], []
    saved = (access_kernel.THREADSAFE, screening_kernel.THREADSAFE)
    access_kernel.THREADSAFE = screening_kernel.THREADSAFE = False
    try:
        move()  # compiles or loads the serial builds
        for r in range(repeats):
            pair = [lambda: serial_prop_times.append(_median_s(lambda: array.sgp4(jd, fr), 1)),
                    lambda: serial_move_times.append(_median_s(move, 1))]
            for step in pair if r % 2 == 0 else pair[::-1]:
                step()
    finally:
        access_kernel.THREADSAFE, screening_kernel.THREADSAFE = saved
    propagation_s = statistics.median(prop_times)
    move_s = statistics.median(move_times)
    single_s = _median_s(lambda: sample_hits(p_effects, np.ones(8, dtype=bool), 1, seed), max(repeats, 5))
    mc_s = _median_s(lambda: sample_hits(p_effects, np.ones(8, dtype=bool), 1000, seed), max(repeats, 5))
    return {
        "n_obj": n_obj, "n_sensors": len(sensors), "n_assets": n_assets, "n_time": int(offsets.size),
        "repeats": repeats,
        "numba_threads": numba.get_num_threads() if THREADSAFE else 1,
        "propagation_s": propagation_s, "floor_s": floor_s, "access_s": access_s, "move_s": move_s,
        "move_one_thread_s": statistics.median(serial_move_times),
        "move_stages_s_median": stage_median_s,
        "propagation_s_each": prop_times,
        "move_propagation_stage_s_each": [h["propagation"] for h in stage_history],
        "first_screening_call_s": first_screen_s,
        "access_vs_floor": access_s / floor_s,
        "turn_vs_propagation": move_s / propagation_s,
        "turn_vs_propagation_one_thread": statistics.median(
            [m / p for m, p in zip(serial_move_times, serial_prop_times, strict=True)]
        ),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "mc1000_vs_single": mc_s / single_s,
    }


def main(argv: list[str] | None = None) -> int:
    """`python benchmarks/bench_adjudication.py [OPTIONS]`: the same as `wargame bench adjudication`."""
    from wargame.cli import main as wargame_main

    return wargame_main(["bench", "adjudication", *(argv or [])])
