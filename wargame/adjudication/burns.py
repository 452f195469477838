"""Impulsive burns in the RTN frame: osculating two-body elements and the new SGP4 mean elements."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import numpy as np

from wargame.adjudication.orbits import (
    F64,
    WGS72_MU_KM3_PER_S2,
    keplerian_orbit,
    mean_elements_at,
    state_vector_at,
)
from wargame.domain.scenario_model import KeplerianOrbit, Orbit

TWO_PI = 2.0 * math.pi
SINGULAR = 1e-12
"""An eccentricity (or sin i) below this has no defined perigee (or node): argp (or raan) is 0."""
MAX_REFINEMENTS = 10
CONTINUITY_KM = 1e-4
"""A burn's new orbit is refined until its state at the burn misses the burned state by less
than this (position error plus velocity error over the mean motion); numerical, not a game number."""
JACOBIAN_STEP = 1e-7
"""Finite-difference step of the refinement: relative for a, absolute for h, k, p, q, lambda."""
DAMPING = (1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125)


class Elements(NamedTuple):
    """Classical elements: semi-major axis (km), eccentricity, and i, raan, argp, M in radians."""

    a_km: float
    e: float
    i: float
    raan: float
    argp: float
    mean_anomaly: float


def rtn_basis(r_km: Sequence[float] | F64, v_km_s: Sequence[float] | F64) -> F64:
    """Unit vectors (rows) of the RTN frame of a state: radial (r), along-track (h x r), cross-track (h)."""
    r = np.asarray(r_km, dtype=np.float64)
    h = np.cross(r, np.asarray(v_km_s, dtype=np.float64))
    radial = r / np.linalg.norm(r)
    normal = h / np.linalg.norm(h)
    return np.stack([radial, np.cross(normal, radial), normal])


def rtn_to_inertial(r_km: F64, v_km_s: F64, dv_rtn: Sequence[float]) -> F64:
    """A vector given by its (radial, along-track, cross-track) components, in the state's frame."""
    out: F64 = np.asarray(dv_rtn, dtype=np.float64) @ rtn_basis(r_km, v_km_s)
    return out


def rtn_components(r_km: F64, v_km_s: F64, vector: F64) -> tuple[float, float, float]:
    """(radial, along-track, cross-track) components of a vector given in the state's frame."""
    radial, along, cross = rtn_basis(r_km, v_km_s) @ np.asarray(vector, dtype=np.float64)
    return float(radial), float(along), float(cross)


def _angle(y: float, x: float) -> float:
    return math.atan2(y, x) % TWO_PI


def osculating_elements(r_km: Sequence[float] | F64, v_km_s: Sequence[float] | F64, mu: float) -> Elements:
    """Two-body classical elements of a position (km) and velocity (km/s) for gravity `mu` (km^3/s^2).

    Near-circular (e < SINGULAR): argp = 0 and the anomalies count from the node. Near-equatorial
    (sin i < SINGULAR): raan = 0 and the node line is the x axis, so argp is then the longitude
    of perigee (prograde) and the mean anomaly still counts from the perigee. Angles use atan2
    throughout, so they are accurate near 0 and pi. Raises ValueError if the orbit is not an
    ellipse (escape energy, or no angular momentum).
    """
    r = np.asarray(r_km, dtype=np.float64)
    v = np.asarray(v_km_s, dtype=np.float64)
    radius = float(np.linalg.norm(r))
    h = np.cross(r, v)
    h_norm = float(np.linalg.norm(h))
    energy = float(v @ v) / 2.0 - mu / radius
    if not (math.isfinite(energy) and h_norm > 0.0 and energy < 0.0):
        raise ValueError("the state is not on an elliptic orbit (escape velocity or no angular momentum)")
    a_km = -mu / (2.0 * energy)
    e_vec = np.cross(v, h) / mu - r / radius
    ecc = float(np.linalg.norm(e_vec))
    node_norm = math.hypot(float(h[0]), float(h[1]))
    inclination = math.atan2(node_norm, float(h[2]))
    raan = _angle(float(h[0]), -float(h[1])) if node_norm > SINGULAR * h_norm else 0.0
    node = np.array([math.cos(raan), math.sin(raan), 0.0])
    ahead = np.cross(h / h_norm, node)  # in the orbit plane, 90 degrees past the node
    latitude_arg = math.atan2(float(r @ ahead), float(r @ node))
    argp = _angle(float(e_vec @ ahead), float(e_vec @ node)) if ecc > SINGULAR else 0.0
    true_anomaly = latitude_arg - argp
    eccentric = math.atan2(math.sqrt(1.0 - ecc * ecc) * math.sin(true_anomaly), ecc + math.cos(true_anomaly))
    mean_anomaly = (eccentric - ecc * math.sin(eccentric)) % TWO_PI
    return Elements(a_km, ecc, inclination, raan, argp, mean_anomaly)


def wrap_angle(angle: float) -> float:
    """The same angle in (-pi, pi]."""
    return math.pi - (math.pi - angle) % TWO_PI


def _equinoctial(el: Elements, retro: int) -> F64:
    """Equinoctial elements (a, h, k, p, q, lambda) with retrograde factor `retro` (+1 or -1).

    Non-singular for circular orbits, and for equatorial ones on the side `retro` chooses
    (+1: i < 180 deg; -1: i > 0 deg).
    """
    perigee_longitude = el.argp + retro * el.raan
    tan_half = math.tan(el.i / 2.0) ** retro
    return np.array(
        [
            el.a_km,
            el.e * math.sin(perigee_longitude),
            el.e * math.cos(perigee_longitude),
            tan_half * math.sin(el.raan),
            tan_half * math.cos(el.raan),
            el.mean_anomaly + perigee_longitude,
        ]
    )


def _classical(eq: F64, retro: int) -> Elements:
    """Classical elements of equinoctial ones (the inverse of `_equinoctial`)."""
    a_km, h, k, p, q, mean_longitude = (float(x) for x in eq)
    half = math.atan(math.hypot(p, q))
    inclination = 2.0 * half if retro > 0 else math.pi - 2.0 * half
    raan = _angle(p, q)
    perigee_longitude = math.atan2(h, k)
    return Elements(
        a_km,
        math.hypot(h, k),
        inclination,
        raan,
        (perigee_longitude - retro * raan) % TWO_PI,
        (mean_longitude - perigee_longitude) % TWO_PI,
    )


def _osculating_change(r_km: F64, v_km_s: F64, r_to_km: F64, v_to_km_s: F64, retro: int) -> F64:
    """Equinoctial osculating elements of (r_to, v_to) minus those of (r, v), lambda wrapped."""
    before = _equinoctial(osculating_elements(r_km, v_km_s, WGS72_MU_KM3_PER_S2), retro)
    after = _equinoctial(osculating_elements(r_to_km, v_to_km_s, WGS72_MU_KM3_PER_S2), retro)
    change = after - before
    change[5] = wrap_angle(float(change[5]))
    return change


class _Target:
    """The burned state, and how far the sgp4 state of candidate mean elements lands from it."""

    def __init__(self, r_km: F64, v_km_s: F64, moment: datetime, retro: int, bstar: float) -> None:
        self.r_km, self.v_km_s, self.moment, self.retro, self.bstar = r_km, v_km_s, moment, retro, bstar

    def orbit(self, mean_eq: F64) -> KeplerianOrbit:
        return keplerian_orbit(_classical(mean_eq, self.retro), self.moment, self.bstar)

    def residual(self, mean_eq: F64) -> tuple[F64, float]:
        """Osculating equinoctial elements of the candidate minus the target's, and the miss in km
        (position error plus velocity error over the mean motion). Raises ValueError if invalid."""
        new = self.orbit(mean_eq)
        r_new, v_new = state_vector_at(new, self.moment)
        mean_motion = math.sqrt(WGS72_MU_KM3_PER_S2 / new.semi_major_axis_km**3)
        miss_km = float(np.linalg.norm(r_new - self.r_km) + np.linalg.norm(v_new - self.v_km_s) / mean_motion)
        if not math.isfinite(miss_km):
            raise ValueError("sgp4 fails on the candidate elements")
        return _osculating_change(self.r_km, self.v_km_s, r_new, v_new, self.retro), miss_km


def _refine(target: _Target, mean_eq: F64) -> F64:
    """Damped Newton steps on the mean elements until their sgp4 state meets the target.

    Starts from `mean_eq` (which must be valid) and never returns worse elements than it.
    """
    residual, miss_km = target.residual(mean_eq)
    for _ in range(MAX_REFINEMENTS):
        if miss_km < CONTINUITY_KM:
            break
        steps = np.array([mean_eq[0] * JACOBIAN_STEP, *[JACOBIAN_STEP] * 5])
        jacobian = np.empty((6, 6))
        try:
            for column in range(6):
                shifted = mean_eq.copy()
                shifted[column] += steps[column]
                jacobian[:, column] = (target.residual(shifted)[0] - residual) / steps[column]
            step = np.linalg.solve(jacobian, residual)
        except (ValueError, np.linalg.LinAlgError):
            break
        for damping in DAMPING:
            try:
                tried_residual, tried_miss = target.residual(mean_eq - damping * step)
            except ValueError:
                continue
            if tried_miss < miss_km:
                mean_eq, residual, miss_km = mean_eq - damping * step, tried_residual, tried_miss
                break
        else:
            break
    return mean_eq


def mean_keplerian_after_burn(
    orbit: Orbit, moment: datetime, dv_rtn_m_per_s: Sequence[float]
) -> KeplerianOrbit:
    """SGP4 mean elements at `moment` after an impulsive burn (radial, along-track, cross-track m/s).

    The burn is added to the sgp4 (TEME) velocity at `moment`. The osculating two-body elements
    before and after it differ by the burn's effect; that difference, taken in equinoctial
    elements (so near-circular and near-equatorial orbits behave) with the mean longitude
    wrapped to (-pi, pi], is added to the sgp4 mean elements at `moment`. Applying a difference,
    rather than the osculating elements themselves, keeps the orbit continuous: sgp4's periodic
    terms are nearly the same on both sides of the burn. Where they are not (lunisolar terms of
    near-equatorial deep-space orbits, sgp4's long-period terms near i = 180 deg), a few damped
    Newton steps move the mean elements until their sgp4 state meets the burned state; near the
    equator at GEO, sgp4's own periodic terms are irregular and a miss of a few km can remain.
    Raises ValueError if sgp4 fails at `moment` or the burn leaves no valid orbit (escape,
    perigee in the atmosphere).
    """
    *elements, bstar = mean_elements_at(orbit, moment)
    mean = Elements(*elements)
    if not any(dv_rtn_m_per_s):
        return keplerian_orbit(mean, moment, bstar)
    r_km, v_km_s = state_vector_at(orbit, moment)
    burned_km_s = v_km_s + rtn_to_inertial(r_km, v_km_s, [c / 1000.0 for c in dv_rtn_m_per_s])
    retro = -1 if mean.i > math.pi / 2.0 else 1
    target = _Target(r_km, burned_km_s, moment, retro, bstar)
    first = _equinoctial(mean, retro) + _osculating_change(r_km, v_km_s, r_km, burned_km_s, retro)
    return target.orbit(_refine(target, first))
