"""A game's conjunction warning as a CCSDS CDM 1.0 (KVN or XML): what a nation sends or receives."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.cdm import COVARIANCE_KEYS, STATE_KEYS, Cdm, CdmObject, rtn_to_inertial, write_cdm
from wargame.adjudication.cdm_frames import gmst_at, teme_to_earth_fixed
from wargame.adjudication.cdm_xml import write_cdm_xml
from wargame.domain.common import Marking
from wargame.domain.encounters import EncounterEstimate
from wargame.domain.state import ExerciseState, Warning

F64 = NDArray[np.float64]

CDM_VERSION = "1.0"
CDM_FRAME = "ITRF"
"""The frame of the states written: CDM 1.0 allows EME2000, GCRF or ITRF, and sgp4's TEME turns
into ITRF (less polar motion) by one rotation about the pole."""
PC_METHOD = "FOSTER-1992"
"""SANA's name of the method: Foster's 2D Pc over the hard-body circle in the encounter plane."""
VELOCITY_COVARIANCE_KEYS: tuple[str, ...] = (
    "CRDOT_R", "CRDOT_T", "CRDOT_N", "CRDOT_RDOT",
    "CTDOT_R", "CTDOT_T", "CTDOT_N", "CTDOT_RDOT", "CTDOT_TDOT",
    "CNDOT_R", "CNDOT_T", "CNDOT_N", "CNDOT_RDOT", "CNDOT_TDOT", "CNDOT_NDOT",
)
"""The velocity rows of CDM 1.0's 6x6 RTN covariance, lower triangle row by row."""
DIAGONAL = {"CR_R", "CT_T", "CN_N", "CRDOT_RDOT", "CTDOT_TDOT", "CNDOT_NDOT"}


def _time(moment: datetime) -> str:
    """CCSDS ASCII time, UTC, milliseconds (as in CARA's messages)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def item_marking(state: ExerciseState, warning: Warning) -> Marking:
    """The marking a warning travels under: the product's that brought a partner's, else the
    marking the nation's own products default to."""
    if warning.marking is not None:
        return warning.marking
    spec = state.scenario.nation(warning.nation)
    return spec.default_marking if spec is not None else Marking()


def _comments(state: ExerciseState, warning: Warning, receiver: str) -> list[str]:
    marking = item_marking(state, warning)
    lines = [state.scenario.marking, f"RELEASABILITY {marking.label}"]
    if warning.shared_by is not None:
        lines.append(f"Received by {receiver} through {warning.shared_by}'s warnings product")
    lines += [
        f"Exercise data, not a real conjunction: {warning.nation}'s estimate from its own SSA picture",
        f"in exercise {state.title!r}, move {warning.move}",
        f"REF_FRAME {CDM_FRAME}: sgp4's TEME states rotated about the pole by GMST at TCA",
        "(IAU-82, UT1 taken as UTC; polar motion, under 20 m, ignored)",
        "Covariance: the isotropic 1-sigma of each object's track (diagonal RTN); velocity 1-sigma",
        "is the position 1-sigma times |v|/|r|; no cross terms",
    ]
    return lines


def _object(
    state: ExerciseState, label: str, object_id: str, pos_km: F64, vel_km_per_s: F64, sigma_km: float,
    inertial_pos_km: F64, inertial_vel_km_per_s: F64,
) -> CdmObject:
    """One object's section: its Earth-fixed state (`pos_km`, `vel_km_per_s`) and the RTN
    covariance of its track (the velocity sigma scaled by the inertial |v|/|r|)."""
    card = state.object_card(object_id)
    sigma_m = sigma_km * 1000.0
    rate = float(np.linalg.norm(inertial_vel_km_per_s) / np.linalg.norm(inertial_pos_km))
    position_variance, velocity_variance = sigma_m**2, (sigma_m * rate) ** 2
    fields: list[tuple[str, str, str]] = [
        ("OBJECT", label, ""),
        ("OBJECT_DESIGNATOR", object_id, ""),
        ("CATALOG_NAME", "EXERCISE", ""),
        ("OBJECT_NAME", card["name"] or object_id, ""),
        ("INTERNATIONAL_DESIGNATOR", "UNKNOWN", ""),
        ("EPHEMERIS_NAME", "NONE", ""),
        ("COVARIANCE_METHOD", "CALCULATED", ""),
        ("MANEUVERABLE", "N/A", ""),
        ("REF_FRAME", CDM_FRAME, ""),
    ]
    fields += [(k, _number(v, 6), "km") for k, v in zip(STATE_KEYS[:3], pos_km, strict=True)]
    fields += [(k, _number(v, 9), "km/s") for k, v in zip(STATE_KEYS[3:], vel_km_per_s, strict=True)]
    fields += [(k, f"{position_variance if k in DIAGONAL else 0.0:.9e}", "m**2") for k in COVARIANCE_KEYS]
    for key in VELOCITY_COVARIANCE_KEYS:
        rate_rate = key.endswith("DOT")
        value = velocity_variance if key in DIAGONAL else 0.0
        fields.append((key, f"{value:.9e}", "m**2/s**2" if rate_rate else "m**2/s"))
    return CdmObject(fields=fields)


def warning_cdm(
    state: ExerciseState, warning: Warning, estimate: EncounterEstimate, receiver: str
) -> Cdm:
    """The CDM of a conjunction warning (the receiver's copy: its own, or a partner's with the
    product's marking) from the warning nation's estimate, for `receiver`: header and
    relative metadata from the warning (miss, Pc, TCA), objects from the estimate. Deterministic:
    the creation date is the scenario time the move began, the id names exercise, warning and
    receiver."""
    if warning.id is None or warning.tca is None or warning.pc is None:
        raise ValueError("only a conjunction warning with an id, a TCA and a Pc has a CDM")
    r1, v1 = np.array(estimate.asset_pos_km), np.array(estimate.asset_vel_km_per_s)
    r2, v2 = np.array(estimate.other_pos_km), np.array(estimate.other_vel_km_per_s)
    rtn = rtn_to_inertial(r1, v1)
    relative_m, relative_m_s = rtn.T @ (r2 - r1) * 1000.0, rtn.T @ (v2 - v1) * 1000.0
    rules = state.ruleset.conjunction
    exceeded = "exceeded" if warning.pc >= rules.pc_mitigation else "not exceeded"
    header: list[tuple[str, str, str]] = [("CCSDS_CDM_VERS", CDM_VERSION, "")]
    header += [("COMMENT", line, "") for line in _comments(state, warning, receiver)]
    header += [
        ("CREATION_DATE", _time(state.move_start(warning.move)), ""),
        ("ORIGINATOR", warning.nation, ""),
        ("MESSAGE_FOR", receiver, ""),
        ("MESSAGE_ID", f"{state.exercise_id}_{warning.id}_{receiver}", ""),
        ("COMMENT HBR", _number(rules.hard_body_radius_m, 3), ""),
        ("COMMENT", f"Mitigation threshold Pc {rules.pc_mitigation:.1e} {exceeded}", ""),
        ("TCA", _time(warning.tca), ""),
        ("MISS_DISTANCE", _number(warning.miss_km * 1000.0, 3), "m"),
        ("RELATIVE_SPEED", _number(float(np.linalg.norm(v2 - v1)) * 1000.0, 3), "m/s"),
    ]
    header += [(f"RELATIVE_POSITION_{a}", _number(x, 3), "m") for a, x in zip("RTN", relative_m, strict=True)]
    header += [
        (f"RELATIVE_VELOCITY_{a}", _number(x, 3), "m/s") for a, x in zip("RTN", relative_m_s, strict=True)
    ]
    header += [
        ("COLLISION_PROBABILITY", f"{warning.pc:.6e}", ""),
        ("COLLISION_PROBABILITY_METHOD", PC_METHOD, ""),
    ]
    gmst = gmst_at(warning.tca)
    (f1, w1), (f2, w2) = teme_to_earth_fixed(r1, v1, gmst), teme_to_earth_fixed(r2, v2, gmst)
    objects = [
        _object(state, "OBJECT1", warning.asset_id, f1, w1, estimate.asset_sigma_km, r1, v1),
        _object(state, "OBJECT2", warning.other_id, f2, w2, estimate.other_sigma_km, r2, v2),
    ]
    return Cdm(header=header, objects=objects)


def render_cdm(
    state: ExerciseState, warning: Warning, estimate: EncounterEstimate, receiver: str, fmt: str = "kvn"
) -> str:
    """KVN (or with fmt 'xml', NDM/XML) text of `warning_cdm`."""
    cdm = warning_cdm(state, warning, estimate, receiver)
    return write_cdm_xml(cdm) if fmt == "xml" else write_cdm(cdm)
