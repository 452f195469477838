"""Numba access kernel: agreement with the pure-Python twins, Python twin = JIT, track tables, preview."""

from __future__ import annotations

import math

import numpy as np
import pytest
from adj_builders import make_state

from wargame.adjudication import access_kernel, reference
from wargame.adjudication.access_kernel import count_access, ground_sensors, space_sensors
from wargame.adjudication.preview import preview
from wargame.domain.common import InjectType
from wargame.domain.ruleset_model import SensorModel
from wargame.domain.scenario_model import Inject
from wargame.domain.state import Track, TrackTable

GROUND_MODELS = (
    SensorModel(type="radar", min_elevation_deg=10.0, max_range_km=3000.0, regimes=("LEO",),
                measurement_sigma_km=0.3),
    SensorModel(type="radar", min_elevation_deg=5.0, max_range_km=42000.0, regimes=("GEO",),
                measurement_sigma_km=1.0),
    SensorModel(type="optical", min_elevation_deg=20.0, max_range_km=50000.0, regimes=("GEO",),
                needs_site_dark=True, max_sun_elevation_deg=-12.0, needs_target_sunlit=True,
                measurement_sigma_km=0.5),
    SensorModel(type="optical", min_elevation_deg=-2.0, max_range_km=45000.0, regimes=("GEO",),
                needs_target_sunlit=True, sun_exclusion_deg=30.0, measurement_sigma_km=0.5),
    SensorModel(type="rf", min_elevation_deg=0.0, max_range_km=42000.0, regimes=("GEO",),
                sun_exclusion_deg=100.0, measurement_sigma_km=5.0),
)
"""Every ground test of the kernel: range, elevation (also below the horizon), site darkness,
target sunlit, Sun exclusions below and above 90 degrees."""


def _random_scene(seed: int, n_obj: int, n_time: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (n_obj, n_time, 3) (LEO and GEO shells, float64) and Sun unit vectors (n_time, 3)."""
    rng = np.random.default_rng(seed)
    n_leo = n_obj // 2
    radius = np.concatenate([rng.uniform(6600, 8400, n_leo), rng.uniform(20000, 43000, n_obj - n_leo)])
    direction = rng.normal(size=(n_obj, n_time, 3))
    pos = direction / np.linalg.norm(direction, axis=-1, keepdims=True) * radius[:, None, None]
    sun = rng.normal(size=(n_time, 3))
    return pos, sun / np.linalg.norm(sun, axis=1, keepdims=True)


def _ground_margin(model: SensorModel, lat: float, lon: float, alt: float, obj: tuple, sun: tuple) -> float:
    """Smallest distance of one triple from a decision boundary, in degrees or km (float64)."""
    elev, rng_km = reference.elevation_range(lat, lon, alt, obj)
    los = [o - s for o, s in zip(obj, reference.site_ecef_km(lat, lon, alt), strict=True)]
    cos_sun = sum(a * b for a, b in zip(los, sun, strict=True)) / rng_km
    along = sum(a * b for a, b in zip(obj, sun, strict=True))
    perp = math.sqrt(max(sum(o * o for o in obj) - along * along, 0.0))
    return min(
        abs(elev - model.min_elevation_deg),
        abs(rng_km - model.max_range_km),
        abs(math.degrees(math.acos(max(-1.0, min(1.0, cos_sun)))) - model.sun_exclusion_deg),
        abs(perp - 6378.137) if along < 0.0 else math.inf,
    )


def _ground_run(use_jit: bool, n_obj: int, n_time: int, seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed + 1)
    pos, sun = _random_scene(seed, n_obj, n_time)
    n_site = 2 * len(GROUND_MODELS)
    models = [GROUND_MODELS[k % len(GROUND_MODELS)] for k in range(n_site)]
    lat, lon = rng.uniform(-70, 70, n_site), rng.uniform(-180, 180, n_site)
    alt = rng.uniform(0.0, 2.0, n_site)
    up = np.stack([np.cos(np.radians(lat)) * np.cos(np.radians(lon)),
                   np.cos(np.radians(lat)) * np.sin(np.radians(lon)), np.sin(np.radians(lat))], axis=-1)
    sun_elev = np.degrees(np.arcsin(up @ sun.T))
    dark = np.array([(sun_elev[k] <= m.max_sun_elevation_deg) | (not m.needs_site_dark)
                     for k, m in enumerate(models)])
    ground = ground_sensors(
        lat, lon, alt, np.array([m.min_elevation_deg for m in models]),
        np.array([m.max_range_km for m in models]), np.array([m.needs_target_sunlit for m in models]),
        dark, np.array([m.sun_exclusion_deg for m in models]), sun,
    )
    no_space = space_sensors(np.zeros((0, n_time, 3)), np.zeros(0), np.zeros(0, bool), np.zeros(0))
    out = [np.full((n_site + 1, n_obj), -7, dtype=np.int64) for _ in range(3)]
    rows = np.arange(1, n_site + 1, dtype=np.int64)
    count_access(pos.astype(np.float32), np.arange(n_obj), sun, ground, no_space, rows, *out, use_jit=use_jit)
    return pos, sun, models, (lat, lon, alt), out


def test_ground_kernel_matches_the_reference_twin_away_from_the_boundaries() -> None:
    pos, sun, models, (lat, lon, alt), (passes, steps, last) = _ground_run(True, 120, 40, seed=3)
    assert np.all(passes[0] == -7), "row 0 is not one of the kernel's rows and must stay untouched"
    compared = seen = 0
    for k, model in enumerate(models):
        for j in range(pos.shape[0]):
            triples = [(tuple(map(float, pos[j, t])), tuple(map(float, sun[t]))) for t in range(pos.shape[1])]
            if min(_ground_margin(model, lat[k], lon[k], alt[k], o, s) for o, s in triples) < 0.01:
                continue
            want = reference.reduce_over_time(
                [reference.ground_access(model, lat[k], lon[k], alt[k], o, s, model.regimes[0])  # type: ignore[arg-type]
                 for o, s in triples]
            )
            assert (passes[k + 1, j], steps[k + 1, j], last[k + 1, j]) == want, (k, j)
            compared += 1
            seen += want[1] > 0
    assert compared > 0.9 * len(models) * pos.shape[0]
    assert seen > 100


def test_python_twin_and_serial_build_of_the_kernel_equal_the_parallel_jit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = _ground_run(True, 300, 9, seed=11)[-1]
    slow = _ground_run(False, 300, 9, seed=11)[-1]
    for a, b in zip(fast, slow, strict=True):
        assert np.array_equal(a, b)
    monkeypatch.setattr(access_kernel, "THREADSAFE", False)
    serial = _ground_run(True, 300, 9, seed=11)[-1]
    for a, c in zip(fast, serial, strict=True):
        assert np.array_equal(a, c)
    assert fast[1].sum() > 0


def test_space_kernel_matches_the_reference_twin() -> None:
    model = make_state().ruleset.sensor_models["space_optical"]
    pos, sun = _random_scene(5, 40, 12)
    rng = np.random.default_rng(5)
    sensor = np.tile([7164.0, 0.0, 0.0], (12, 1)) * rng.choice([1, -1], (12, 1))
    space = space_sensors(sensor[None], np.array([model.max_range_km]), np.array([True]),
                          np.array([model.sun_exclusion_deg]))
    ground = ground_sensors(*(np.zeros(0),) * 5, np.zeros(0, bool), np.zeros((0, 12), bool), np.zeros(0), sun)
    out = [np.zeros((1, 40), dtype=np.int64) for _ in range(3)]
    count_access(pos.astype(np.float32), np.arange(40), sun, ground, space, np.array([0]), *out)
    agree = 0
    for j in range(40):
        want = reference.reduce_over_time([
            reference.space_access(model, tuple(sensor[t]), tuple(pos[j, t]), tuple(sun[t]),  # type: ignore[arg-type]
                                   model.regimes[0])
            for t in range(12)
        ])
        agree += (out[0][0, j], out[1][0, j], out[2][0, j]) == want
    assert agree >= 39
    assert out[1].sum() > 0


def test_track_table_round_trip_and_row_shape() -> None:
    tracks = [
        Track(object_id="a", sigma_km=0.5, source="fused", contributors=("USA", "GBR"),
              lat_deg=1.0, lon_deg=2.0, alt_km=500.0, regime="LEO"),
        Track(object_id="b", sigma_km=3.0, source="shared", contributors=("GBR",),
              lat_deg=-1.0, lon_deg=20.0, alt_km=35786.0, regime="GEO"),
    ]
    table = TrackTable.from_tracks(tracks, nations=("USA", "GBR", "JPN"))
    assert list(table) == ["a", "b"] and "b" in table and len(table) == 2
    assert table.contributors == (0b11, 0b10)
    assert table.as_tracks()["a"] == tracks[0]
    assert set(table.rows()[1]) == {
        "object_id", "sigma_km", "source", "contributors", "observed_at", "lat_deg", "lon_deg",
        "alt_km", "regime",
    }
    again = TrackTable.model_validate_json(table.model_dump_json())
    assert again == table


def test_preview_is_vectorized_deterministic_and_bounded() -> None:
    inject = Inject(id="J1", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET", actor="RED")
    state = make_state(injects=(inject,))
    first = preview(state, inject, 1000)
    assert first == preview(state, inject, 1000)
    ((_target, stats),) = first["targets"].items()
    assert stats["hit_frequency"] == pytest.approx(stats["p_success"], abs=0.05)
    assert sum(first["targets_hit"].values()) == 1000
    whole_move = preview(state, None, 1000)
    assert whole_move["injects"] == ["J1"]
    assert whole_move["targets"] == first["targets"]
    assert preview(make_state(), None, 10)["targets"] == {}
