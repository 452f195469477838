"""CCSDS Conjunction Data Messages (KVN; XML in cdm_xml) and Foster's 2D Pc with full projected covariance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication import cdm_frames
from wargame.adjudication.cdm_frames import inertial_pair

F64 = NDArray[np.float64]

COVARIANCE_KEYS: tuple[str, ...] = ("CR_R", "CT_R", "CT_T", "CN_R", "CN_T", "CN_N")
"""Position block of the RTN covariance (m^2), lower triangle row by row."""
STATE_KEYS: tuple[str, ...] = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
THETA_NODES = 4000
"""Midpoint nodes over the hard-body circle (x = R sin theta) in foster_pc."""


@dataclass
class CdmObject:
    """One object's section: every key in file order, plus its state and RTN covariance."""

    fields: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, value, unit) in file order; the unit is '' when absent."""

    def get(self, key: str) -> str | None:
        return next((v for k, v, _u in self.fields if k == key), None)

    def keyed(self) -> dict[str, tuple[str, str]]:
        """keyword -> (value, unit), comments left out."""
        return {k: (v, u) for k, v, u in self.fields if k != "COMMENT"}

    def number(self, key: str) -> float:
        """A keyword's value in the unit CDM 1.0 prescribes (km, km/s, m**2...), converted from an
        alternative unit given in brackets ([m] for [km]); ValueError for a unit it cannot use."""
        text, unit = self.keyed().get(key, (None, ""))
        if text is None:
            raise KeyError(f"CDM object lacks {key}")
        return cdm_frames.value(key, text, unit, self.get("OBJECT") or "object")

    @property
    def position_km(self) -> F64:
        """(3,) position at TCA, km."""
        return np.array([self.number(k) for k in STATE_KEYS[:3]])

    @property
    def velocity_km_s(self) -> F64:
        """(3,) velocity at TCA, km/s."""
        return np.array([self.number(k) for k in STATE_KEYS[3:]])

    @property
    def covariance_rtn_m2(self) -> F64:
        """(3, 3) symmetric RTN position covariance, m^2."""
        rr, tr, tt, nr, nt, nn = (self.number(k) for k in COVARIANCE_KEYS)
        return np.array([[rr, tr, nr], [tr, tt, nt], [nr, nt, nn]])


@dataclass
class Cdm:
    """A conjunction data message: header lines (relative metadata included) and two objects."""

    header: list[tuple[str, str, str]] = field(default_factory=list)
    objects: list[CdmObject] = field(default_factory=list)

    def keyed_header(self) -> dict[str, tuple[str, str]]:
        """Header and relative metadata: keyword -> (value, unit), comments left out."""
        return {k: (v, u) for k, v, u in self.header if k != "COMMENT"}

    def header_value(self, key: str) -> str | None:
        return next((v for k, v, _u in self.header if k == key), None)

    @property
    def comments(self) -> list[str]:
        """The header's comment lines (text after COMMENT), in order."""
        return [v for k, v, _u in self.header if k == "COMMENT"]

    @property
    def hard_body_radius_m(self) -> float | None:
        """Combined hard-body radius from 'COMMENT HBR = x' (CARA convention), if present."""
        value = self.header_value("COMMENT HBR")
        return None if value is None else float(value)


def split_line(line: str) -> tuple[str, str, str] | None:
    """(key, value, unit) of a KVN line; a comment as ('COMMENT', text, '') or, with '=', as
    ('COMMENT KEY', value, unit); None for a line that is neither."""
    if "=" not in line:
        if line == "COMMENT" or line.startswith("COMMENT "):
            return "COMMENT", line.removeprefix("COMMENT").strip(), ""
        return None
    key, rest = line.split("=", 1)
    rest = rest.strip()
    unit = ""
    if rest.endswith("]") and "[" in rest:
        rest, unit = rest[: rest.rindex("[")].strip(), rest[rest.rindex("[") + 1 : -1]
    return " ".join(key.split()), rest, unit


def parse_cdm(text: str) -> Cdm:
    """Parse a CDM in KVN or NDM/XML (cdm_xml). In KVN, lines before the first OBJECT go to the
    header, then one section each. A comment line is kept as ('COMMENT', text, ''); one with
    '=' (CARA's 'COMMENT HBR = 15') as a key-value pair whose key starts with COMMENT."""
    if text.lstrip().startswith("<"):
        from wargame.adjudication.cdm_xml import parse_cdm_xml

        return parse_cdm_xml(text)
    cdm = Cdm()
    for raw in text.splitlines():
        parsed = split_line(raw.strip())
        if parsed is None:
            continue
        key, value, unit = parsed
        if key == "OBJECT":
            cdm.objects.append(CdmObject())
        target = cdm.objects[-1].fields if cdm.objects else cdm.header
        target.append((key, value, unit))
    if len(cdm.objects) != 2:
        raise ValueError(f"a CDM has two objects, found {len(cdm.objects)}")
    return cdm


def write_cdm(cdm: Cdm) -> str:
    """KVN text of a CDM (keys padded to 35 columns, units in brackets; comments as
    'COMMENT text')."""
    lines = []
    for key, value, unit in [*cdm.header, *(f for o in cdm.objects for f in o.fields)]:
        if key == "COMMENT":
            lines.append(f"COMMENT {value}".rstrip())
            continue
        suffix = f" [{unit}]" if unit else ""
        lines.append(f"{key:<35}= {value}{suffix}")
    return "\n".join(lines) + "\n"


def rtn_to_inertial(position_km: F64, velocity_km_s: F64) -> F64:
    """(3, 3) rotation whose columns are the R, T, N unit vectors in the inertial frame."""
    r_hat = position_km / np.linalg.norm(position_km)
    h = np.cross(position_km, velocity_km_s)
    n_hat = h / np.linalg.norm(h)
    t_hat = np.cross(n_hat, r_hat)
    return np.column_stack([r_hat, t_hat, n_hat])


def encounter_plane(
    r1_km: F64, v1_km_s: F64, cov1_rtn_m2: F64, r2_km: F64, v2_km_s: F64, cov2_rtn_m2: F64
) -> tuple[F64, F64]:
    """Miss vector (2,) m and combined covariance (2, 2) m^2 in the encounter plane
    (normal to the relative velocity; first axis along the miss vector's in-plane part)."""
    c1 = rtn_to_inertial(r1_km, v1_km_s) @ cov1_rtn_m2 @ rtn_to_inertial(r1_km, v1_km_s).T
    c2 = rtn_to_inertial(r2_km, v2_km_s) @ cov2_rtn_m2 @ rtn_to_inertial(r2_km, v2_km_s).T
    rel_m = (r2_km - r1_km) * 1000.0
    v_rel = v2_km_s - v1_km_s
    y_hat = v_rel / np.linalg.norm(v_rel)
    in_plane = rel_m - (rel_m @ y_hat) * y_hat
    x_hat = in_plane / np.linalg.norm(in_plane)
    z_hat = np.cross(x_hat, y_hat)
    basis = np.vstack([x_hat, z_hat])
    return basis @ rel_m, basis @ (c1 + c2) @ basis.T


def _phi(x: F64) -> F64:
    """Standard normal CDF (exact erf, element by element)."""
    return np.array([0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x.ravel()]).reshape(x.shape)


def pc_2d(miss_m: F64, cov_m2: F64, hard_body_radius_m: float) -> float:
    """Probability that a 2D Gaussian N(miss, cov) falls in the circle of radius HBR at 0.

    Rotated to the covariance's principal axes; the inner integral is exact (normal CDF), the
    outer one a midpoint rule in theta with x = R sin(theta) (smooth at the circle's edge).
    """
    eigval, eigvec = np.linalg.eigh(cov_m2)
    sx, sz = np.sqrt(np.maximum(eigval, 1e-300))
    mx, mz = eigvec.T @ miss_m
    radius = hard_body_radius_m
    theta = (np.arange(THETA_NODES) + 0.5) / THETA_NODES * math.pi - math.pi / 2.0
    x = radius * np.sin(theta)
    half = radius * np.cos(theta)
    density = np.exp(-0.5 * ((x - mx) / sx) ** 2) / (sx * math.sqrt(2.0 * math.pi))
    band = _phi((half - mz) / sz) - _phi((-half - mz) / sz)
    dtheta = math.pi / THETA_NODES
    return float(np.sum(density * band * half) * dtheta)


def foster_pc(cdm: Cdm, hard_body_radius_m: float | None = None) -> float:
    """Foster 2D Pc of a CDM (HBR from the argument or the message's COMMENT HBR), with both
    objects in one inertial frame: an Earth-fixed (ITRF) state is rotated into TEME at the TCA,
    other units converted; CdmFrameError (a ValueError) when the frames or units cannot be used."""
    radius = hard_body_radius_m if hard_body_radius_m is not None else cdm.hard_body_radius_m
    if radius is None:
        raise ValueError("no hard-body radius: pass one or add 'COMMENT HBR = <m>'")
    a, b = inertial_pair(cdm.keyed_header(), [o.keyed() for o in cdm.objects])
    miss, cov = encounter_plane(
        a.position_km, a.velocity_km_s, a.covariance_rtn_m2,
        b.position_km, b.velocity_km_s, b.covariance_rtn_m2,
    )
    return pc_2d(miss, cov, radius)
