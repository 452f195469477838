"""Sensor access: shapes, reduction over time, reference twin and Skyfield geometry."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from adj_builders import START, geo, kep, make_state
from sgp4.exporter import export_tle

from wargame.adjudication import reference
from wargame.adjudication.access import compute_access, observations_by_nation
from wargame.adjudication.access_kernel import ground_elevation_range
from wargame.adjudication.catalog import build_catalog, build_ephemeris
from wargame.adjudication.orbits import (
    gmst_rad,
    jd_grid,
    propagate,
    satrec_from_orbit,
    teme_to_ecef,
)
from wargame.domain.scenario_model import Sensor, TleOrbit
from wargame.domain.state import TaskingRequest


def _setup(step_minutes: float = 10.0):  # type: ignore[no-untyped-def]
    state = make_state()
    catalog = build_catalog(state, {})
    eph = build_ephemeris(catalog, START, timedelta(hours=6), step_minutes)
    return state, catalog, eph


def test_access_shapes_and_counts() -> None:
    state, catalog, eph = _setup(2.0)
    acc = compute_access(state.scenario.sensors, state.ruleset, catalog, eph)
    n_sensor, n_obj = len(state.scenario.sensors), catalog.n_obj
    assert acc.passes.shape == acc.steps.shape == acc.last_step.shape == (n_sensor, n_obj)
    assert eph.ecef_km().shape == (n_obj, eph.n_time, 3)
    assert np.all(acc.passes <= acc.steps)
    assert np.all((acc.last_step >= 0) == (acc.steps > 0))
    assert acc.steps.sum() > 0
    # A LEO radar never sees GEO objects and vice versa.
    leo_radar = [k for k, s in enumerate(state.scenario.sensors) if s.model == "radar_leo"]
    geo_cols = [j for j in range(n_obj) if catalog.regime_name(j) == "GEO"]
    assert acc.steps[np.ix_(leo_radar, geo_cols)].sum() == 0


def test_reduce_over_time_twin_known_values() -> None:
    assert reference.reduce_over_time([True, True, False, True, False, False, True]) == (3, 4, 6)
    assert reference.reduce_over_time([False] * 7) == (0, 0, -1)
    assert reference.reduce_over_time([False, True, True, True, True, False, False]) == (1, 4, 4)


def test_each_sensor_row_is_independent_of_the_others() -> None:
    state, catalog, eph = _setup(5.0)
    sensors = state.scenario.sensors
    full = compute_access(sensors, state.ruleset, catalog, eph)
    for k, sensor in enumerate(sensors):
        alone = compute_access([sensor], state.ruleset, catalog, eph)
        assert np.array_equal(full.passes[k], alone.passes[0]), sensor.id
        assert np.array_equal(full.last_step[k], alone.last_step[0]), sensor.id
    assert full.steps.sum() > 0


def _margin(model, lat: float, lon: float, obj, sun) -> float:  # type: ignore[no-untyped-def]
    elev, rng_km = reference.elevation_range(lat, lon, 0.2, obj)
    return min(abs(elev - model.min_elevation_deg), abs(rng_km - model.max_range_km))


def test_access_matches_reference_twin_on_random_sites() -> None:
    state, catalog, eph = _setup(10.0)
    rules = state.ruleset
    rng = np.random.default_rng(7)
    sensors = []
    for trial in range(8):
        lat, lon = float(rng.uniform(-60, 60)), float(rng.uniform(-180, 180))
        model_id = ["radar_leo", "radar_deep", "optical_deep"][trial % 3]
        sensors.append(Sensor(id=f"S{trial}", name="s", owner="USA", model=model_id, lat_deg=lat,
                              lon_deg=lon, alt_km=0.2))
    acc = compute_access(sensors, rules, catalog, eph)
    checked = seen = 0
    for k, sensor in enumerate(sensors):
        model = rules.sensor_models[sensor.model]
        for j in range(catalog.n_obj):
            regime = catalog.regime_name(j)
            objs = [tuple(float(x) for x in eph.ecef_km(j, t)[0, 0]) for t in range(eph.n_time)]
            suns = [tuple(float(x) for x in eph.sun_ecef[t]) for t in range(eph.n_time)]
            pairs = list(zip(objs, suns, strict=True))
            if min(_margin(model, sensor.lat_deg, sensor.lon_deg, o, s) for o, s in pairs) < 0.01:
                continue
            want = reference.reduce_over_time([
                reference.ground_access(model, sensor.lat_deg, sensor.lon_deg, 0.2, o, s, regime)  # type: ignore[arg-type]
                for o, s in pairs
            ])
            assert (acc.passes[k, j], acc.steps[k, j], acc.last_step[k, j]) == want, (k, j)
            checked += 1
            seen += want[1] > 0
    assert checked > 0.9 * len(sensors) * catalog.n_obj
    assert seen > 0


def test_space_based_access_matches_reference_twin() -> None:
    state, catalog, eph = _setup(15.0)
    model = state.ruleset.sensor_models["space_optical"]
    k, sensor = next((k, s) for k, s in enumerate(state.scenario.sensors) if s.orbit is not None)
    assert sensor.orbit is not None
    acc = compute_access(state.scenario.sensors, state.ruleset, catalog, eph)
    pos_teme, _v, _d = propagate([satrec_from_orbit(sensor.orbit)], eph.jd, eph.fr)
    sensor_km = teme_to_ecef(pos_teme, eph.gmst)[0]
    seen = 0
    for j in range(catalog.n_obj):
        regime = catalog.regime_name(j)
        want = reference.reduce_over_time([
            reference.space_access(
                model,
                tuple(float(x) for x in sensor_km[t]),  # type: ignore[arg-type]
                tuple(float(x) for x in eph.ecef_km(j, t)[0, 0]),  # type: ignore[arg-type]
                tuple(float(x) for x in eph.sun_ecef[t]),  # type: ignore[arg-type]
                regime,
            )
            for t in range(eph.n_time)
        ])
        assert (acc.passes[k, j], acc.steps[k, j], acc.last_step[k, j]) == want, j
        seen += want[1] > 0
    assert seen > 0


@pytest.mark.parametrize(
    ("orbit", "lat", "lon"),
    [
        (kep(6928.0, 0.001, 97.5, 40.0, 0.0, 0.0), 54.36, -0.67),
        (kep(26560.0, 0.005, 55.0, 30.0, 10.0, 0.0), 33.82, -106.66),
        (geo(140.0), 34.0, 131.2),
    ],
)
def test_elevation_and_range_against_skyfield(orbit: object, lat: float, lon: float) -> None:
    skyfield_api = pytest.importorskip("skyfield.api")
    line1, line2 = export_tle(satrec_from_orbit(orbit))  # type: ignore[arg-type]
    tle = TleOrbit(kind="tle", line1=line1, line2=line2)
    ts = skyfield_api.load.timescale(builtin=True)
    sat = skyfield_api.EarthSatellite(line1, line2, "x", ts)
    site = skyfield_api.wgs84.latlon(lat, lon, elevation_m=100.0)
    offsets = np.arange(0.0, 24 * 60.0, 37.0)
    jd, fr = jd_grid(START, offsets)
    pos, _v, _d = propagate([satrec_from_orbit(tle)], jd, fr)
    ecef = teme_to_ecef(pos, gmst_rad(jd, fr))[0]
    elev_deg, range_km = ground_elevation_range(ecef, lat, lon, 0.1)
    times = ts.from_datetimes([START + timedelta(minutes=float(m)) for m in offsets])
    alt, _az, dist = (sat - site).at(times).altaz()
    assert np.any(alt.degrees > 0.0)
    assert np.max(np.abs(elev_deg - alt.degrees)) < 0.05
    assert np.max(np.abs(range_km - dist.km)) < 1.0


def test_accepted_tasking_shares_partner_passes() -> None:
    state, catalog, eph = _setup(2.0)
    sensors = state.scenario.sensors
    acc = compute_access(sensors, state.ruleset, catalog, eph)
    s = next(k for k, x in enumerate(sensors) if x.id == "KAMISAIBARA")
    seen = np.flatnonzero(acc.passes[s])
    assert seen.size > 0
    j = int(seen[0])
    usa = catalog.nations.index("USA")
    base = observations_by_nation(sensors, state.ruleset, catalog, acc, [])
    req = TaskingRequest(
        request_id="r1",
        requester="USA",
        partner="JPN",
        sensor_id="KAMISAIBARA",
        object_id=catalog.ids[j],
        move=1,
        status="accepted",
    )
    tasked = observations_by_nation(sensors, state.ruleset, catalog, acc, [req])
    sigma = state.ruleset.sensor_models["radar_leo"].measurement_sigma_km
    assert tasked.passes[usa, j] == base.passes[usa, j] + acc.passes[s, j]
    assert tasked.info_per_km2[usa, j] == pytest.approx(
        base.info_per_km2[usa, j] + acc.passes[s, j] / sigma**2
    )
    others = np.ones(catalog.n_obj, dtype=bool)
    others[j] = False
    assert np.array_equal(tasked.passes[usa, others], base.passes[usa, others])
