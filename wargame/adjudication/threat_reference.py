"""Slow, obvious pure-Python twins of the breakup generator (debris.py) and attribution scoring."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from wargame.adjudication.debris import KEPLER_ITERATIONS
from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2
from wargame.domain.ruleset_model import AttributionRules, BreakupLaw, DebrisRules, LikelihoodBand
from wargame.domain.scenario_model import EARTH_RADIUS_KM

Vec = tuple[float, float, float]


@dataclass(frozen=True)
class Fragment:
    size_m: float
    dv_m_per_s: Vec
    elements: tuple[float, float, float, float, float, float]
    """a_km, e, i_deg, raan_deg, argp_deg, ma_deg."""
    cataloged: bool


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Sequence[float], b: Sequence[float]) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def reference_kepler_to_rv(el: Sequence[float]) -> tuple[Vec, Vec]:
    a, e = el[0], el[1]
    inc, raan, argp, ma = (math.radians(x) for x in el[2:6])
    big_e = ma
    for _ in range(KEPLER_ITERATIONS):
        big_e = big_e - (big_e - e * math.sin(big_e) - ma) / (1.0 - e * math.cos(big_e))
    root = math.sqrt(1.0 - e * e)
    r = a * (1.0 - e * math.cos(big_e))
    x_pf, y_pf = a * (math.cos(big_e) - e), a * root * math.sin(big_e)
    speed = math.sqrt(WGS72_MU_KM3_PER_S2 * a) / r
    vx_pf, vy_pf = speed * -math.sin(big_e), speed * (root * math.cos(big_e))
    co, so, cw, sw = math.cos(raan), math.sin(raan), math.cos(argp), math.sin(argp)
    ci, si = math.cos(inc), math.sin(inc)
    p_axis = (co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si)
    q_axis = (-co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si)
    pos = tuple(x_pf * p + y_pf * q for p, q in zip(p_axis, q_axis, strict=True))
    vel = tuple(vx_pf * p + vy_pf * q for p, q in zip(p_axis, q_axis, strict=True))
    return pos, vel  # type: ignore[return-value]


def reference_rv_to_kepler(pos: Vec, vel: Vec) -> tuple[float, float, float, float, float, float]:
    mu = WGS72_MU_KM3_PER_S2
    r = math.sqrt(_dot(pos, pos))
    v2 = _dot(vel, vel)
    h = _cross(pos, vel)
    h_norm = math.sqrt(_dot(h, h))
    h_hat = tuple(c / h_norm for c in h)
    node = (-h[1], h[0], 0.0)
    node_norm = math.sqrt(_dot(node, node))
    node_hat = (1.0, 0.0, 0.0) if node_norm <= 1e-12 * h_norm else tuple(c / node_norm for c in node)
    rv = _dot(pos, vel)
    e_vec = tuple(((v2 - mu / r) * p - rv * v) / mu for p, v in zip(pos, vel, strict=True))
    ecc = math.sqrt(_dot(e_vec, e_vec))
    a = 1.0 / (2.0 / r - v2 / mu)
    inc = math.degrees(math.acos(min(max(h_hat[2], -1.0), 1.0)))
    raan = math.degrees(math.atan2(node_hat[1], node_hat[0]))
    peri = node_hat if ecc <= 1e-12 else e_vec
    argp = math.degrees(math.atan2(_dot(_cross(node_hat, peri), h_hat), _dot(node_hat, peri)))
    nu = math.atan2(_dot(_cross(peri, pos), h_hat), _dot(peri, pos))
    big_e = math.atan2(math.sqrt(max(1.0 - ecc * ecc, 0.0)) * math.sin(nu), ecc + math.cos(nu))
    ma = math.degrees(big_e - ecc * math.sin(big_e))
    return (a, ecc, inc, raan % 360.0, argp % 360.0, ma % 360.0)


def reference_fragments(
    parent: Sequence[float],
    u_size: Sequence[float],
    z_area: Sequence[float],
    z_dv: Sequence[float],
    z_dir: Sequence[Sequence[float]],
    rules: DebrisRules,
    law: BreakupLaw,
) -> list[Fragment]:
    """One fragment per draw: power-law size, log-normal A/M and |dv|, isotropic direction,
    the parent's two-body state plus dv turned back into elements."""
    pos0, vel0 = reference_kepler_to_rv(parent)
    out: list[Fragment] = []
    for u, za, zv, zd in zip(u_size, z_area, z_dv, z_dir, strict=True):
        size = min(rules.min_size_m * (1.0 - u) ** (-1.0 / law.size_exponent), rules.max_size_m)
        decades = math.log10(size / rules.min_size_m)
        chi = (
            rules.area_to_mass_log10_at_min_size
            + rules.area_to_mass_log10_slope * decades
            + rules.area_to_mass_log10_sigma * za
        )
        dv = 10.0 ** (law.dv_chi_slope * chi + law.dv_log10_intercept + law.dv_log10_sigma * zv)
        norm = math.sqrt(zd[0] * zd[0] + zd[1] * zd[1] + zd[2] * zd[2])
        dv_vec = (dv / norm * zd[0], dv / norm * zd[1], dv / norm * zd[2])
        vel = (vel0[0] + dv_vec[0] / 1000.0, vel0[1] + dv_vec[1] / 1000.0, vel0[2] + dv_vec[2] / 1000.0)
        el = reference_rv_to_kepler(pos0, vel)
        perigee_alt_km = el[0] * (1.0 - el[1]) - EARTH_RADIUS_KM
        ok = el[0] > 0.0 and el[1] < 1.0 and perigee_alt_km >= rules.min_perigee_altitude_km
        ok = ok and all(math.isfinite(x) for x in el)
        out.append(Fragment(size, dv_vec, el, ok))
    return out


def reference_likelihood_pct(
    prior_pct: float, evidence: Sequence[bool], ratios: Sequence[float], min_pct: float, max_pct: float
) -> float:
    """Bayes on the odds: multiply the prior odds by each ratio whose evidence holds."""
    factor = 1.0
    for held, ratio in zip(evidence, ratios, strict=True):
        factor = factor * (ratio if held else 1.0)
    weighted = prior_pct * factor
    pct = 100.0 * weighted / ((100.0 - prior_pct) + weighted)
    return min(max(pct, min_pct), max_pct)


def reference_label(pct: float, scale: Sequence[LikelihoodBand]) -> str:
    """The first band whose upper bound reaches pct; the last band if none does."""
    for band in scale:
        if pct <= band.max_pct:
            return band.label
    return scale[-1].label


def reference_confidence(n_kinds: int, rules: AttributionRules) -> str:
    if n_kinds >= rules.high_confidence_min_evidence:
        return "high"
    if n_kinds >= rules.moderate_confidence_min_evidence:
        return "moderate"
    return "low"
