"""Orbit kinds of a scenario: a two-line element set, Keplerian mean elements or a CCSDS OMM."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasGenerator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from wargame.domain.common import Frozen, ShortText, UtcDatetime

EARTH_RADIUS_KM = 6378.137
"""WGS-72/84 equatorial radius; a physical constant, not a game number."""
EARTH_MU_KM3_PER_S2 = 398600.8
"""WGS-72 gravitational parameter (the one SGP4 uses); a physical constant."""
ATMOSPHERE_KM = 80.0
"""Perigee altitude below which an orbit re-enters at once; a physical bound, not a game number."""


def perigee_problem(perigee_km: float) -> str | None:
    """Why a perigee radius is not a usable orbit (inside the atmosphere), or None."""
    if perigee_km <= EARTH_RADIUS_KM + ATMOSPHERE_KM:
        return (
            f"perigee radius {perigee_km:.1f} km is inside the atmosphere "
            f"(must exceed {EARTH_RADIUS_KM + ATMOSPHERE_KM:.1f} km)"
        )
    return None


class TleOrbit(Frozen):
    kind: Literal["tle"]
    line1: Annotated[str, Field(min_length=69, max_length=69)]
    line2: Annotated[str, Field(min_length=69, max_length=69)]


class KeplerianOrbit(Frozen):
    kind: Literal["keplerian"]
    epoch: UtcDatetime
    semi_major_axis_km: Annotated[float, Field(gt=EARTH_RADIUS_KM)]
    eccentricity: Annotated[float, Field(ge=0.0, lt=1.0)]
    inclination_deg: Annotated[float, Field(ge=0.0, le=180.0)]
    raan_deg: float
    arg_perigee_deg: float
    mean_anomaly_deg: float
    bstar_per_earth_radius: float = 0.0

    @model_validator(mode="after")
    def _perigee_above_surface(self) -> KeplerianOrbit:
        problem = perigee_problem(self.semi_major_axis_km * (1.0 - self.eccentricity))
        if problem is not None:
            raise ValueError(problem)
        return self


def _assume_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


OmmEpoch = Annotated[
    datetime,
    AfterValidator(_assume_utc),
    WithJsonSchema({"type": "string", "description": "ISO 8601 time; without a zone it is UTC."}),
]
"""An OMM epoch: CCSDS writes it without a zone designator (its TIME_SYSTEM is UTC), so a
naive time is read as UTC; a time with a zone is converted to UTC."""

Finite = Annotated[float, Field(allow_inf_nan=False)]


CCSDS_KEYWORDS: dict[str, str] = {
    "epoch": "EPOCH",
    "mean_motion_rev_per_day": "MEAN_MOTION",
    "eccentricity": "ECCENTRICITY",
    "inclination_deg": "INCLINATION",
    "ra_of_asc_node_deg": "RA_OF_ASC_NODE",
    "arg_of_pericenter_deg": "ARG_OF_PERICENTER",
    "mean_anomaly_deg": "MEAN_ANOMALY",
    "bstar": "BSTAR",
    "mean_motion_dot": "MEAN_MOTION_DOT",
    "mean_motion_ddot": "MEAN_MOTION_DDOT",
    "norad_cat_id": "NORAD_CAT_ID",
    "object_name": "OBJECT_NAME",
    "object_id": "OBJECT_ID",
    "classification_type": "CLASSIFICATION_TYPE",
    "ephemeris_type": "EPHEMERIS_TYPE",
    "element_set_no": "ELEMENT_SET_NO",
    "rev_at_epoch": "REV_AT_EPOCH",
    "center_name": "CENTER_NAME",
    "ref_frame": "REF_FRAME",
    "time_system": "TIME_SYSTEM",
    "mean_element_theory": "MEAN_ELEMENT_THEORY",
}
"""The CCSDS OMM keyword each OmmOrbit field is also accepted under."""


def _name_or_keyword(name: str) -> str | AliasChoices:
    keyword = CCSDS_KEYWORDS.get(name)
    return name if keyword is None else AliasChoices(name, keyword)


def _keywords_in_schema(schema: dict[str, Any]) -> None:
    """Also list each CCSDS keyword spelling in the JSON Schema, so editors accept pasted records;
    a required field is then satisfied by either spelling."""
    properties: dict[str, Any] = schema.get("properties", {})
    required: list[str] = list(schema.get("required", []))
    either: list[dict[str, Any]] = []
    for name, keyword in CCSDS_KEYWORDS.items():
        entry = {k: v for k, v in properties[name].items() if k != "title"}
        about = " ".join((f"CCSDS keyword spelling of `{name}`.", entry.get("description", "")))
        properties[keyword] = {**entry, "description": about.strip()}
        if name in required:
            required.remove(name)
            either.append({"anyOf": [{"required": [name]}, {"required": [keyword]}]})
    schema["required"] = required
    schema["allOf"] = either


class OmmOrbit(Frozen):
    """SGP4 mean elements of a CCSDS Orbit Mean-Elements Message (OMM), as CelesTrak publishes them.

    Every field is also accepted under its CCSDS keyword (EPOCH, MEAN_MOTION, ECCENTRICITY,
    INCLINATION, RA_OF_ASC_NODE, ...), so a CelesTrak OMM JSON record can be pasted as is beside
    `kind: omm`. Dumps use the snake_case names.
    """

    model_config = ConfigDict(
        alias_generator=AliasGenerator(validation_alias=_name_or_keyword),
        json_schema_extra=_keywords_in_schema,
    )

    kind: Literal["omm"]
    epoch: OmmEpoch
    mean_motion_rev_per_day: Annotated[Finite, Field(gt=0.0)]
    """Kozai mean motion, revolutions per day."""
    eccentricity: Annotated[float, Field(ge=0.0, lt=1.0)]
    inclination_deg: Annotated[float, Field(ge=0.0, le=180.0)]
    ra_of_asc_node_deg: Finite
    arg_of_pericenter_deg: Finite
    mean_anomaly_deg: Finite
    bstar: Finite = 0.0
    """SGP4 drag term, per Earth radius."""
    mean_motion_dot: Finite = 0.0
    """rev/day^2, as in the TLE (SGP4 does not use it)."""
    mean_motion_ddot: Finite = 0.0
    """rev/day^3, as in the TLE (SGP4 does not use it)."""
    norad_cat_id: Annotated[int, Field(ge=0, le=339_999)] | None = None
    """Catalog number (Alpha-5 range)."""
    object_name: ShortText | None = None
    object_id: Annotated[str, Field(pattern=r"^(\d{4}-\d{3}[A-Z]{0,3})?$")] | None = None
    """International designator, such as 1998-067A."""
    classification_type: Literal["U", "C", "S"] = "U"
    ephemeris_type: Literal[0] = 0
    """0: SGP4 mean elements, the only kind this server propagates."""
    element_set_no: Annotated[int, Field(ge=0, le=9999)] = 999
    rev_at_epoch: Annotated[int, Field(ge=0)] = 0
    center_name: Literal["EARTH"] = "EARTH"
    ref_frame: Literal["TEME"] = "TEME"
    time_system: Literal["UTC"] = "UTC"
    mean_element_theory: Literal["SGP4"] = "SGP4"

    @property
    def semi_major_axis_km(self) -> float:
        """Two-body semi-major axis of the (Kozai) mean motion."""
        n_rad_per_s = self.mean_motion_rev_per_day * 2.0 * math.pi / 86400.0
        return float((EARTH_MU_KM3_PER_S2 / n_rad_per_s**2) ** (1.0 / 3.0))

    @model_validator(mode="after")
    def _perigee_above_surface(self) -> OmmOrbit:
        problem = perigee_problem(self.semi_major_axis_km * (1.0 - self.eccentricity))
        if problem is not None:
            raise ValueError(
                f"mean_motion_rev_per_day {self.mean_motion_rev_per_day} with eccentricity "
                f"{self.eccentricity}: {problem}"
            )
        return self

    def ccsds_keywords(self) -> dict[str, str]:
        """The element set as CCSDS OMM keyword strings, as `sgp4.omm.initialize` reads them."""
        return {
            "OBJECT_NAME": self.object_name or "",
            "OBJECT_ID": self.object_id or "",
            "EPOCH": self.epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "MEAN_MOTION": repr(self.mean_motion_rev_per_day),
            "ECCENTRICITY": repr(self.eccentricity),
            "INCLINATION": repr(self.inclination_deg),
            "RA_OF_ASC_NODE": repr(self.ra_of_asc_node_deg),
            "ARG_OF_PERICENTER": repr(self.arg_of_pericenter_deg),
            "MEAN_ANOMALY": repr(self.mean_anomaly_deg),
            "EPHEMERIS_TYPE": str(self.ephemeris_type),
            "CLASSIFICATION_TYPE": self.classification_type,
            "NORAD_CAT_ID": str(self.norad_cat_id or 0),
            "ELEMENT_SET_NO": str(self.element_set_no),
            "REV_AT_EPOCH": str(self.rev_at_epoch),
            "BSTAR": repr(self.bstar),
            "MEAN_MOTION_DOT": repr(self.mean_motion_dot),
            "MEAN_MOTION_DDOT": repr(self.mean_motion_ddot),
        }


Orbit = Annotated[TleOrbit | KeplerianOrbit | OmmOrbit, Field(discriminator="kind")]
