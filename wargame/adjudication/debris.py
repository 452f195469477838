"""Breakups by the NASA standard breakup model: fragment counts, sizes, delta-v and orbits (vectorized)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2, mean_keplerian_at
from wargame.domain.common import InjectType
from wargame.domain.events import DebrisCreated, FragmentTable
from wargame.domain.ids import fragment_id
from wargame.domain.ruleset_model import BreakupCause, BreakupLaw, DebrisRules
from wargame.domain.scenario_model import EARTH_RADIUS_KM
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]
BOOL = NDArray[np.bool_]

KEPLER_ITERATIONS = 12
"""Newton steps for Kepler's equation (e < 0.9 converges to machine precision in < 8)."""


@dataclass(frozen=True)
class Breakup:
    """A request to break an object up, collected while resolving injects."""

    parent_id: str
    cause: InjectType
    """Key of ruleset.debris.causes (the inject type; conjunction for a collision)."""
    at: datetime
    mass_kg: float
    """M of the collision law (victim, plus projectile or the other object)."""
    share: float = 1.0
    """Share of the predicted count that belongs to this parent (a collision splits by mass)."""
    inject_id: str | None = None


@dataclass(frozen=True)
class BreakupDraws:
    """Random inputs of n fragments: u_size (n,) uniform in [0, 1); z_area, z_dv (n,) and
    z_dir (n, 3) standard normal."""

    u_size: F64
    z_area: F64
    z_dv: F64
    z_dir: F64

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> BreakupDraws:
        u = rng.random(n)
        z = rng.standard_normal((n, 5))
        return cls(u_size=u, z_area=z[:, 0], z_dv=z[:, 1], z_dir=z[:, 2:5])


def law_of(rules: DebrisRules, cause: BreakupCause) -> BreakupLaw:
    return rules.collision if cause.law == "collision" else rules.explosion


def expected_fragments(law: BreakupLaw, scale: float, mass_kg: float, min_size_m: float) -> float:
    """N(>L_c) = count_coefficient * S * M^mass_exponent * L_c^-size_exponent."""
    return law.count_coefficient * scale * mass_kg**law.mass_exponent * min_size_m**-law.size_exponent


def fragment_sizes_m(u: F64, min_size_m: float, max_size_m: float, size_exponent: float) -> F64:
    """Inverse CDF of the power law N(>L) ~ L^-b above L_c: L = L_c (1 - u)^(-1/b), clipped
    at max_size_m; shapes of u."""
    return np.minimum(min_size_m * (1.0 - u) ** (-1.0 / size_exponent), max_size_m)


def fragment_dv_m_per_s(draws: BreakupDraws, sizes_m: F64, rules: DebrisRules, law: BreakupLaw) -> F64:
    """(n, 3) delta-v: chi = log10(A/M) normal with a mean linear in log10(L/L_c), then
    log10(|dv|) normal with mean dv_chi_slope * chi + dv_log10_intercept; isotropic direction."""
    decades = np.log10(sizes_m / rules.min_size_m)
    chi = (
        rules.area_to_mass_log10_at_min_size
        + rules.area_to_mass_log10_slope * decades
        + rules.area_to_mass_log10_sigma * draws.z_area
    )
    log_dv = law.dv_chi_slope * chi + law.dv_log10_intercept + law.dv_log10_sigma * draws.z_dv
    dv = 10.0**log_dv
    norm = np.sqrt(np.einsum("ik,ik->i", draws.z_dir, draws.z_dir))
    return (dv / norm)[:, None] * draws.z_dir


def kepler_to_rv(elements: F64) -> tuple[F64, F64]:
    """Two-body position (km) and velocity (km/s), (n, 3), from elements (6, n):
    a_km, e, i_deg, raan_deg, argp_deg, ma_deg."""
    a, e = elements[0], elements[1]
    inc, raan, argp, ma = (np.radians(elements[k]) for k in range(2, 6))
    ecc_anom = ma.copy()
    for _ in range(KEPLER_ITERATIONS):
        ecc_anom = ecc_anom - (ecc_anom - e * np.sin(ecc_anom) - ma) / (1.0 - e * np.cos(ecc_anom))
    cos_e, sin_e = np.cos(ecc_anom), np.sin(ecc_anom)
    root = np.sqrt(1.0 - e * e)
    r = a * (1.0 - e * cos_e)
    p_pf = np.stack([a * (cos_e - e), a * root * sin_e], axis=-1)
    v_pf = (np.sqrt(WGS72_MU_KM3_PER_S2 * a) / r)[:, None] * np.stack([-sin_e, root * cos_e], axis=-1)
    co, so, cw, sw = np.cos(raan), np.sin(raan), np.cos(argp), np.sin(argp)
    ci, si = np.cos(inc), np.sin(inc)
    p_axis = np.stack([co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si], axis=-1)
    q_axis = np.stack([-co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si], axis=-1)
    pos = p_pf[:, :1] * p_axis + p_pf[:, 1:] * q_axis
    vel = v_pf[:, :1] * p_axis + v_pf[:, 1:] * q_axis
    return pos, vel


def rv_to_kepler(pos_km: F64, vel_km_s: F64) -> F64:
    """Elements (6, n) (a_km, e, i_deg, raan_deg, argp_deg, ma_deg; angles in [0, 360)) from
    states (n, 3); a <= 0 or e >= 1 marks an unbound state. Equatorial orbits take the node on
    +x; circular ones put the perigee on the node."""
    mu = WGS72_MU_KM3_PER_S2
    r = np.sqrt(np.einsum("ik,ik->i", pos_km, pos_km))
    v2 = np.einsum("ik,ik->i", vel_km_s, vel_km_s)
    rv = np.einsum("ik,ik->i", pos_km, vel_km_s)
    h = np.cross(pos_km, vel_km_s)
    h_norm = np.sqrt(np.einsum("ik,ik->i", h, h))
    h_hat = h / h_norm[:, None]
    node = np.stack([-h[:, 1], h[:, 0], np.zeros_like(r)], axis=-1)
    node_norm = np.sqrt(np.einsum("ik,ik->i", node, node))
    equatorial = node_norm <= 1e-12 * h_norm
    node_hat = np.where(
        equatorial[:, None], np.array([1.0, 0.0, 0.0]), node / np.where(equatorial, 1.0, node_norm)[:, None]
    )
    e_vec = ((v2 - mu / r)[:, None] * pos_km - rv[:, None] * vel_km_s) / mu
    ecc = np.sqrt(np.einsum("ik,ik->i", e_vec, e_vec))
    a = 1.0 / (2.0 / r - v2 / mu)
    inc = np.degrees(np.arccos(np.clip(h_hat[:, 2], -1.0, 1.0)))
    raan = np.degrees(np.arctan2(node_hat[:, 1], node_hat[:, 0]))
    circular = ecc <= 1e-12
    peri = np.where(circular[:, None], node_hat, e_vec)
    argp = np.degrees(
        np.arctan2(
            np.einsum("ik,ik->i", np.cross(node_hat, peri), h_hat), np.einsum("ik,ik->i", node_hat, peri)
        )
    )
    nu = np.arctan2(np.einsum("ik,ik->i", np.cross(peri, pos_km), h_hat), np.einsum("ik,ik->i", peri, pos_km))
    ecc_anom = np.arctan2(np.sqrt(np.maximum(1.0 - ecc * ecc, 0.0)) * np.sin(nu), ecc + np.cos(nu))
    ma = np.degrees(ecc_anom - ecc * np.sin(ecc_anom))
    return np.stack([a, ecc, inc, raan % 360.0, argp % 360.0, ma % 360.0])


def fragment_elements(
    parent: F64, draws: BreakupDraws, rules: DebrisRules, law: BreakupLaw
) -> tuple[F64, F64, F64, BOOL]:
    """Sizes (n,), delta-v (n, 3) m/s, elements (6, n) and the cataloged mask (n,) of n
    fragments of a parent with mean elements `parent` (6,) (a_km, e, i_deg, raan, argp, ma)."""
    n = draws.u_size.shape[0]
    sizes = fragment_sizes_m(draws.u_size, rules.min_size_m, rules.max_size_m, law.size_exponent)
    dv = fragment_dv_m_per_s(draws, sizes, rules, law)
    pos0, vel0 = kepler_to_rv(parent.reshape(6, 1))
    elements = rv_to_kepler(np.repeat(pos0, n, axis=0), vel0 + dv / 1000.0)
    a, ecc = elements[0], elements[1]
    perigee_alt_km = a * (1.0 - ecc) - EARTH_RADIUS_KM
    keep = (a > 0.0) & (ecc < 1.0) & (perigee_alt_km >= rules.min_perigee_altitude_km)
    keep &= np.all(np.isfinite(elements), axis=0)
    return sizes, dv, elements, keep


def mass_kg(state: ExerciseState, object_id: str) -> float:
    """Ruleset mass of an object from its kind (scenario kind, else the asset's, else payload)."""
    spec = state.object_spec(object_id)
    asset = state.asset(object_id)
    kind = spec.kind if spec is not None else (asset.kind if asset is not None and asset.kind else "payload")
    return state.ruleset.debris.mass_kg_by_kind[kind]


def _fragment_prefix(parent_id: str) -> str:
    return f"{parent_id}-frag-"


def generate_debris(
    state: ExerciseState, breakups: Sequence[Breakup], truth: Truth, rng: np.random.Generator
) -> list[DebrisCreated]:
    """DebrisCreated for each breakup that happens (one uniform draw against p_breakup, then
    one BreakupDraws of min(round(N), cap) fragments). Fragment k of a parent (counting on over
    its later breakups) is named by domain.ids.fragment_id: a keyed hash, not a count."""
    rules = state.ruleset.debris
    events: list[DebrisCreated] = []
    for breakup in breakups:
        cause = rules.causes.get(breakup.cause)
        if cause is None or rng.random() >= cause.p_breakup:
            continue
        law = law_of(rules, cause)
        expected = expected_fragments(law, cause.scale, breakup.mass_kg, rules.min_size_m)
        n_trackable = round(expected * breakup.share)
        draws = BreakupDraws.draw(rng, min(n_trackable, rules.max_fragments_cataloged))
        try:
            mean, _radius = mean_keplerian_at(truth.orbits[breakup.parent_id], breakup.at)
        except ValueError:
            continue
        parent = np.array(
            [
                mean.semi_major_axis_km,
                mean.eccentricity,
                mean.inclination_deg,
                mean.raan_deg,
                mean.arg_perigee_deg,
                mean.mean_anomaly_deg,
            ]
        )
        _sizes, _dv, elements, keep = fragment_elements(parent, draws, rules, law)
        kept = elements[:, keep]
        prefix = _fragment_prefix(breakup.parent_id)
        start = sum(1 for k in state.assets if k.startswith(prefix))
        start += sum(len(e.fragments.ids) for e in events if e.parent_id == breakup.parent_id)
        events.append(
            DebrisCreated(
                parent_id=breakup.parent_id,
                cause=breakup.cause.value,
                inject_id=breakup.inject_id,
                n_trackable=n_trackable,
                fragments=FragmentTable(
                    epoch=breakup.at,
                    ids=tuple(fragment_id(state, breakup.parent_id, start + k) for k in range(kept.shape[1])),
                    a_km=tuple(kept[0].tolist()),
                    e=tuple(kept[1].tolist()),
                    i_deg=tuple(kept[2].tolist()),
                    raan_deg=tuple(kept[3].tolist()),
                    argp_deg=tuple(kept[4].tolist()),
                    ma_deg=tuple(kept[5].tolist()),
                ),
            )
        )
    return events
