"""Matmul access kernel: bit reduction, agreement with exact geometry, space-based twin, preview."""

from __future__ import annotations

import numpy as np
import pytest
from adj_builders import make_state

from wargame.adjudication import reference
from wargame.adjudication.access import geometry_ground, reduce_over_time, space_based_rows
from wargame.adjudication.access_kernel import (
    group_access,
    make_group,
    pack_bits,
    reduce_words,
)
from wargame.adjudication.orbits import geodetic_to_ecef, geodetic_up
from wargame.adjudication.preview import preview
from wargame.domain.common import InjectType
from wargame.domain.scenario_model import Inject
from wargame.domain.state import Track, TrackTable


@pytest.mark.parametrize("n_time", [7, 64, 65, 130])
def test_bit_reduction_matches_boolean_reduction(n_time: int) -> None:
    ok = np.random.default_rng(n_time).random((5, 9, n_time)) < 0.4
    ok[0, 0] = False
    ok[0, 1] = True
    passes, steps, last = reduce_words(pack_bits(ok))
    want = reduce_over_time(ok.reshape(-1, n_time))
    assert passes.shape == (5, 9)
    assert passes.ravel().tolist() == want[0].tolist()
    assert steps.ravel().tolist() == want[1].tolist()
    assert last.ravel().tolist() == want[2].tolist()
    assert (passes[0, 0], last[0, 0], passes[0, 1], last[0, 1]) == (0, -1, 1, n_time - 1)


@pytest.mark.parametrize(("min_el", "max_range"), [(10.0, 4000.0), (5.0, 40000.0), (15.0, 45000.0)])
def test_group_kernel_agrees_with_exact_geometry_away_from_the_edges(min_el: float, max_range: float) -> None:
    rng = np.random.default_rng(int(min_el))
    n_obj, n_time, n_site = 300, 24, 8
    radius = np.concatenate([rng.uniform(6600, 8400, n_obj // 2), rng.uniform(20000, 43000, n_obj // 2)])
    direction = rng.normal(size=(n_obj, n_time, 3))
    pos = direction / np.linalg.norm(direction, axis=-1, keepdims=True) * radius[:, None, None]
    lat, lon, alt = rng.uniform(-80, 80, n_site), rng.uniform(-180, 180, n_site), rng.uniform(0, 2, n_site)
    group = make_group(lat, lon, alt, min_el, max_range, False, None)
    sun = np.tile([1.0, 0.0, 0.0], (n_time, 1))
    _p, steps, _l = group_access(group, pos.astype(np.float32), sun, np.arange(n_obj))
    checked = 0
    for k in range(n_site):
        site = geodetic_to_ecef(lat[k : k + 1], lon[k : k + 1], alt[k : k + 1])[0]
        up = geodetic_up(lat[k : k + 1], lon[k : k + 1])[0]
        rng_km, el, _los = geometry_ground(pos, site, up)
        exact = (el >= min_el) & (rng_km <= max_range)
        clear = (np.abs(el - min_el) > 0.05) & (np.abs(rng_km - max_range) > 0.005 * max_range)
        one = group_access(
            make_group(lat[k : k + 1], lon[k : k + 1], alt[k : k + 1], min_el, max_range, False, None),
            pos.astype(np.float32), sun, np.arange(n_obj),
        )[1][0]
        assert one.shape == (n_obj,)
        fully_clear = clear.all(axis=1)
        assert np.array_equal(steps[k][fully_clear], exact.sum(axis=1)[fully_clear])
        checked += int(exact[fully_clear].sum())
    assert checked > 50


def test_space_based_rows_match_reference_twin() -> None:
    state = make_state()
    model = state.ruleset.sensor_models["space_optical"]
    rng = np.random.default_rng(5)
    n_obj, n_time = 40, 6
    pos = rng.normal(size=(n_obj, n_time, 3)) * 20000.0
    pos[np.linalg.norm(pos, axis=-1) < 7000.0] *= 3.0
    sensor = np.tile([7164.0, 0.0, 0.0], (n_time, 1)) * rng.choice([1, -1], (n_time, 1))
    sun = rng.normal(size=(n_time, 3))
    sun /= np.linalg.norm(sun, axis=1, keepdims=True)
    fast = space_based_rows(model, pos.astype(np.float32), sensor.astype(np.float32), sun.astype(np.float32))
    agree = 0
    for j in range(n_obj):
        for t in range(n_time):
            want = reference.space_access(
                model, tuple(sensor[t]), tuple(pos[j, t]), tuple(sun[t]), model.regimes[0]  # type: ignore[arg-type]
            )
            agree += bool(fast[j, t]) == want
    assert agree >= n_obj * n_time - 2
    assert fast.any()


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
