"""Burns in three directions: osculating elements, RTN frames, mean elements after a burn, orders."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from adj_builders import START, geo, kep, make_state

from wargame.adjudication.burns import (
    mean_keplerian_after_burn,
    osculating_elements,
    rtn_basis,
    rtn_components,
    rtn_to_inertial,
    wrap_angle,
)
from wargame.adjudication.manoeuvres import Truth, apply_manoeuvres
from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2 as MU
from wargame.adjudication.orbits import mean_keplerian_at, state_vector_at
from wargame.domain.events import ManoeuvreExecuted
from wargame.domain.orders import ManoeuvreOrder
from wargame.domain.scenario_model import KeplerianOrbit
from wargame.domain.state import ExerciseState, SubmittedOrder


def state_of(
    a_km: float, e: float, i: float, raan: float, argp: float, nu: float
) -> tuple[np.ndarray, np.ndarray]:
    """Two-body position and velocity of classical elements (radians, true anomaly nu)."""
    p_km = a_km * (1.0 - e * e)
    r_pf = p_km / (1.0 + e * math.cos(nu)) * np.array([math.cos(nu), math.sin(nu), 0.0])
    v_pf = math.sqrt(MU / p_km) * np.array([-math.sin(nu), e + math.cos(nu), 0.0])

    def rot_z(angle: float) -> np.ndarray:
        c, s = math.cos(angle), math.sin(angle)
        return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])

    rot_x = np.array([[1.0, 0.0, 0.0], [0.0, math.cos(i), -math.sin(i)], [0.0, math.sin(i), math.cos(i)]])
    to_inertial = rot_z(raan) @ rot_x @ rot_z(argp)
    return to_inertial @ r_pf, to_inertial @ v_pf


def mean_anomaly_of(e: float, nu: float) -> float:
    eccentric = math.atan2(math.sqrt(1.0 - e * e) * math.sin(nu), e + math.cos(nu))
    return (eccentric - e * math.sin(eccentric)) % (2.0 * math.pi)


def test_osculating_elements_recover_the_elements_they_came_from() -> None:
    rng = np.random.default_rng(5)
    for _ in range(200):
        a, e = rng.uniform(6700.0, 45000.0), rng.uniform(0.001, 0.8)
        i, raan, argp, nu = rng.uniform(0.01, math.pi - 0.01), *rng.uniform(0.0, 2.0 * math.pi, 3)
        el = osculating_elements(*state_of(a, e, i, raan, argp, nu), MU)
        assert el.a_km == pytest.approx(a, rel=1e-10)
        assert el.e == pytest.approx(e, abs=1e-10)
        assert el.i == pytest.approx(i, abs=1e-10)
        for got, want in ((el.raan, raan), (el.argp, argp), (el.mean_anomaly, mean_anomaly_of(e, nu))):
            assert abs(wrap_angle(got - want)) < 1e-8


@pytest.mark.parametrize("inclination", [0.0, math.pi])
def test_circular_equatorial_orbits_are_not_singular(inclination: float) -> None:
    """No node and no perigee: raan = argp = 0 and the mean anomaly is the angle travelled from x."""
    r, v = state_of(7000.0, 0.0, inclination, 0.0, 0.0, 1.0)
    el = osculating_elements(r, v, MU)
    assert el.a_km == pytest.approx(7000.0, rel=1e-12)
    assert el.e < 1e-12 and abs(el.i - inclination) < 1e-12
    assert (el.raan, el.argp) == (0.0, 0.0)
    assert el.mean_anomaly == pytest.approx(1.0, abs=1e-12)  # counted in the direction of motion


def test_unbound_states_are_refused() -> None:
    r, v = state_of(7000.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="elliptic"):
        osculating_elements(r, v * 1.5, MU)
    with pytest.raises(ValueError, match="elliptic"):
        osculating_elements(r, r / 1000.0, MU)


def test_wrap_angle_is_half_open() -> None:
    assert wrap_angle(math.pi) == pytest.approx(math.pi)
    assert wrap_angle(-math.pi) == pytest.approx(math.pi)
    assert wrap_angle(1.5 * math.pi) == pytest.approx(-0.5 * math.pi)
    assert wrap_angle(-0.25) == pytest.approx(-0.25)


def test_rtn_frame() -> None:
    r, v = state_of(7000.0, 0.1, 0.9, 0.3, 0.5, 2.0)
    basis = rtn_basis(r, v)
    np.testing.assert_allclose(basis @ basis.T, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(basis[0], r / np.linalg.norm(r))
    np.testing.assert_allclose(basis[2], np.cross(r, v) / np.linalg.norm(np.cross(r, v)))
    assert basis[1] @ v > 0.0  # along-track points ahead
    vector = rtn_to_inertial(r, v, [1.0, -2.0, 3.0])
    assert rtn_components(r, v, vector) == pytest.approx((1.0, -2.0, 3.0))


LEO = kep(7000.0, 0.0, 98.0, 10.0, 0.0, 0.0)
"""At its ascending node at START (argument of latitude 0)."""


def _speed(orbit: KeplerianOrbit) -> float:
    return float(np.linalg.norm(state_vector_at(orbit, START)[1]))


def test_zero_burn_gives_the_mean_elements() -> None:
    moment = START + timedelta(hours=5)
    unburned = mean_keplerian_after_burn(LEO, moment, (0.0, 0.0, 0.0)).model_dump()
    for key, value in mean_keplerian_at(LEO, moment)[0].model_dump().items():
        assert unburned[key] == (pytest.approx(value, abs=1e-9) if isinstance(value, float) else value)


def test_along_track_burn_changes_a_by_vis_viva() -> None:
    base, radius = mean_keplerian_at(LEO, START)
    v = math.sqrt(MU * (2.0 / radius - 1.0 / base.semi_major_axis_km))
    for dv in (10.0, -10.0, 0.5):
        vis_viva_km = 1.0 / (2.0 / radius - (v + dv / 1000.0) ** 2 / MU)
        burned = mean_keplerian_after_burn(LEO, START, (0.0, dv, 0.0))
        expected = vis_viva_km - base.semi_major_axis_km
        assert burned.semi_major_axis_km - base.semi_major_axis_km == pytest.approx(expected, rel=5e-3)
        assert burned.inclination_deg == pytest.approx(base.inclination_deg, abs=1e-3)


def test_cross_track_burn_at_the_node_tilts_the_plane() -> None:
    base, _ = mean_keplerian_at(LEO, START)
    burned = mean_keplerian_after_burn(LEO, START, (0.0, 0.0, 10.0))
    tilt_rad = math.radians(burned.inclination_deg - base.inclination_deg)
    assert tilt_rad == pytest.approx(0.010 / _speed(LEO), rel=0.02)
    assert abs(burned.semi_major_axis_km - base.semi_major_axis_km) < 0.05
    lowered = mean_keplerian_after_burn(LEO, START, (0.0, 0.0, -10.0))
    assert lowered.inclination_deg < base.inclination_deg


def test_radial_burn_changes_e_but_not_a() -> None:
    base, _ = mean_keplerian_at(LEO, START)
    burned = mean_keplerian_after_burn(LEO, START, (10.0, 0.0, 0.0))
    assert abs(burned.semi_major_axis_km - base.semi_major_axis_km) < 0.05
    assert burned.eccentricity - base.eccentricity == pytest.approx(0.010 / _speed(LEO), rel=0.05)
    assert burned.inclination_deg == pytest.approx(base.inclination_deg, abs=1e-4)


ORBITS = {
    "leo": LEO,
    "leo-eccentric": kep(7200.0, 0.02, 51.6, 40.0, 70.0, 200.0),
    "equatorial": kep(7000.0, 0.0, 0.0, 0.0, 0.0, 30.0),
    "meo": kep(26560.0, 0.005, 55.0, 30.0, 10.0, 100.0),
    "molniya": kep(26600.0, 0.72, 63.4, 0.0, 270.0, 20.0),
    "geo-inclined": kep(42164.17, 0.0002, 3.0, 80.0, 0.0, 100.0),
}


@pytest.mark.parametrize("name", sorted(ORBITS))
@pytest.mark.parametrize("dv", [(0.0, 2.0, 0.0), (3.0, 0.0, 0.0), (0.0, 0.0, -4.0), (1.0, -2.0, 2.5)])
def test_the_orbit_is_continuous_and_the_velocity_jumps_by_the_burn(
    name: str, dv: tuple[float, float, float]
) -> None:
    orbit = ORBITS[name]
    moment = START + timedelta(hours=7)
    r_old, v_old = state_vector_at(orbit, moment)
    burned = mean_keplerian_after_burn(orbit, moment, dv)
    assert burned.epoch == moment
    r_new, v_new = state_vector_at(burned, moment)
    # sgp4 holds e >= 1e-6, so a near-circular orbit can land up to ~2e-6 a (14 m here) off.
    assert np.linalg.norm(r_new - r_old) < 0.1  # km
    jump_m_per_s = np.array(rtn_components(r_old, v_old, v_new - v_old)) * 1000.0
    np.testing.assert_allclose(jump_m_per_s, dv, atol=0.05)
    later = moment + timedelta(minutes=1)
    drift_km = np.linalg.norm(state_vector_at(burned, later)[0] - state_vector_at(orbit, later)[0])
    assert drift_km == pytest.approx(np.linalg.norm(dv) * 0.06, rel=0.05, abs=0.1)


def test_burns_that_leave_no_orbit_are_refused() -> None:
    molniya_at_perigee = kep(26600.0, 0.72, 63.4, 0.0, 270.0, 0.0)
    with pytest.raises(ValueError, match="elliptic"):
        mean_keplerian_after_burn(molniya_at_perigee, START, (0.0, 1000.0, 0.0))
    with pytest.raises(ValueError, match="atmosphere"):
        mean_keplerian_after_burn(LEO, START, (0.0, -200.0, 0.0))


def _ordered(state: ExerciseState, nation: str, *orders: ManoeuvreOrder) -> list[SubmittedOrder]:
    return [
        SubmittedOrder(order_id=f"o{k}", nation=nation, move=state.move, order=order)
        for k, order in enumerate(orders)
    ]


def _manoeuvre(asset_id: str, radial: float, along: float, cross: float) -> ManoeuvreOrder:
    return ManoeuvreOrder(
        kind="manoeuvre",
        asset_id=asset_id,
        dv_m_per_s=along,
        dv_radial_m_per_s=radial,
        dv_cross_track_m_per_s=cross,
    )


def test_adjudicated_burn_costs_its_norm_and_reports_all_components() -> None:
    state = make_state()
    truth = Truth.of(state)
    before = truth.orbits["RED-INSP"]
    events = apply_manoeuvres(
        state, _ordered(state, "RED", _manoeuvre("RED-INSP", 3.0, 4.0, 12.0)), truth, state.move_start(1)
    )
    assert len(events) == 1 and isinstance(events[0], ManoeuvreExecuted)
    done = events[0]
    assert (done.dv_radial_m_per_s, done.dv_m_per_s, done.dv_cross_track_m_per_s) == (3.0, 4.0, 12.0)
    assert done.propellant_dv_m_per_s == pytest.approx(200.0 - 13.0)
    assert truth.propellant_m_per_s["RED-INSP"] == pytest.approx(187.0)
    assert truth.orbits["RED-INSP"] == done.orbit != before
    dumped = done.model_dump(mode="json")
    assert (dumped["dv_radial_m_per_s"], dumped["dv_cross_track_m_per_s"]) == (3.0, 12.0)


def test_the_limit_applies_to_the_norm_not_to_each_component() -> None:
    state = make_state()  # orders.max_manoeuvre_dv_m_per_s = 50
    truth = Truth.of(state)
    over = _manoeuvre("RED-INSP", 30.0, 30.0, 30.0)  # each within 50, |dv| = 52
    assert over.dv_norm_m_per_s > state.ruleset.orders.max_manoeuvre_dv_m_per_s
    events = apply_manoeuvres(state, _ordered(state, "RED", over), truth, state.move_start(1))
    assert events == [] and truth.propellant_m_per_s["RED-INSP"] == 200.0
    within = _manoeuvre("RED-INSP", 20.0, 20.0, 20.0)
    events = apply_manoeuvres(state, _ordered(state, "RED", within), truth, state.move_start(1))
    assert [e.asset_id for e in events] == ["RED-INSP"]
    assert truth.propellant_m_per_s["RED-INSP"] == pytest.approx(200.0 - math.sqrt(1200.0))


@pytest.mark.parametrize("dv", [(0.0, 1.0, 0.0), (-1.5, 0.0, 0.0)])
def test_in_plane_burns_of_an_equatorial_geo_are_continuous(dv: tuple[float, float, float]) -> None:
    """(Cross-track burns there can keep a miss of a few km: sgp4's own near-equatorial deep-space
    terms are irregular, so no mean elements reproduce every burned state.)"""
    orbit = geo(10.0)
    moment = START + timedelta(hours=3)
    r_old, v_old = state_vector_at(orbit, moment)
    r_new, v_new = state_vector_at(mean_keplerian_after_burn(orbit, moment, dv), moment)
    assert np.linalg.norm(r_new - r_old) < 0.1
    np.testing.assert_allclose(np.array(rtn_components(r_old, v_old, v_new - v_old)) * 1000.0, dv, atol=0.05)


def test_a_negative_mean_inclination_is_folded_back() -> None:
    """sgp4's deep-space terms can drive a near-equatorial mean inclination below 0."""
    orbit = kep(42164.17, 0.00048056507444463206, 0.00039589665115875584, 284.159224678286,
                27.06579731057577, 14.235941490751172)
    burned = mean_keplerian_after_burn(orbit, START + timedelta(hours=7), (2.6, 0.6, 0.3))
    assert burned.inclination_deg >= 0.0
