"""OMM orbits in scenarios: CelesTrak records pasted as is, clear errors, files and catalog exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sgp4.api import jday

from wargame.domain.scenario_model import OmmOrbit, Scenario, SpaceObject, TleOrbit
from wargame.scenario import load_scenario, read_catalog, validate_paths, write_catalog
from wargame.scenario.catalogs import satrec_of
from wargame.scenario.schemas import json_schema

DATA = Path(__file__).resolve().parent / "data"

CELESTRAK_ISS: dict[str, Any] = {
    "OBJECT_NAME": "ISS (ZARYA)",
    "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-01-01T12:00:00.000000",
    "MEAN_MOTION": 15.50103472,
    "ECCENTRICITY": 0.0005763,
    "INCLINATION": 51.6416,
    "RA_OF_ASC_NODE": 247.4627,
    "ARG_OF_PERICENTER": 130.536,
    "MEAN_ANOMALY": 325.0288,
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "NORAD_CAT_ID": 25544,
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 43241,
    "BSTAR": 0.00034123,
    "MEAN_MOTION_DOT": 0.00001103,
    "MEAN_MOTION_DDOT": 0,
}
"""One record of CelesTrak's OMM JSON (gp.php?...&FORMAT=json), unchanged."""

SNAKE = {
    "kind": "omm",
    "epoch": "2024-01-01T12:00:00Z",
    "mean_motion_rev_per_day": 15.50103472,
    "eccentricity": 0.0005763,
    "inclination_deg": 51.6416,
    "ra_of_asc_node_deg": 247.4627,
    "arg_of_pericenter_deg": 130.536,
    "mean_anomaly_deg": 325.0288,
}


def test_a_celestrak_json_record_validates_as_is() -> None:
    orbit = OmmOrbit.model_validate({"kind": "omm", **CELESTRAK_ISS})
    assert orbit.epoch == datetime(2024, 1, 1, 12, tzinfo=UTC)  # CCSDS epochs are UTC
    assert (orbit.mean_motion_rev_per_day, orbit.eccentricity, orbit.inclination_deg) == (
        15.50103472, 0.0005763, 51.6416)
    assert (orbit.norad_cat_id, orbit.object_id, orbit.bstar, orbit.rev_at_epoch) == (
        25544, "1998-067A", 0.00034123, 43241)
    dumped = orbit.model_dump(mode="json")
    assert "MEAN_MOTION" not in dumped and dumped["mean_motion_rev_per_day"] == 15.50103472
    assert OmmOrbit.model_validate(dumped) == orbit
    pasted = {"id": "iss", "name": "ISS", "orbit": {"kind": "omm", **CELESTRAK_ISS}}
    assert SpaceObject.model_validate(pasted).orbit == orbit


def test_snake_case_and_defaults() -> None:
    orbit = OmmOrbit.model_validate(SNAKE)
    defaults = (orbit.bstar, orbit.mean_motion_dot, orbit.mean_motion_ddot, orbit.norad_cat_id)
    assert defaults == (0.0, 0.0, 0.0, None)
    upper = OmmOrbit.model_validate({"kind": "omm", **CELESTRAK_ISS})
    same = {k: v for k, v in upper.model_dump().items() if k in SNAKE}
    assert {k: v for k, v in orbit.model_dump().items() if k in SNAKE} == same
    zoned = OmmOrbit.model_validate({**SNAKE, "epoch": "2024-01-01T14:00:00+02:00"})
    assert zoned.epoch == orbit.epoch and zoned.epoch.tzinfo == UTC


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ECCENTRICITY": 1.0}, "ECCENTRICITY", "less than 1"),
        ({"ECCENTRICITY": -0.1}, "ECCENTRICITY", "greater than or equal to 0"),
        ({"INCLINATION": 180.5}, "INCLINATION", "less than or equal to 180"),
        ({"INCLINATION": -1.0}, "INCLINATION", "greater than or equal to 0"),
        ({"MEAN_MOTION": 0.0}, "MEAN_MOTION", "greater than 0"),
        ({"MEAN_MOTION": "fast"}, "MEAN_MOTION", "valid number"),
        ({"EPOCH": "yesterday"}, "EPOCH", "datetime"),
        ({"OBJECT_ID": "ZARYA"}, "OBJECT_ID", "pattern"),
        ({"NORAD_CAT_ID": 400000}, "NORAD_CAT_ID", "less than or equal to 339999"),
        ({"EPHEMERIS_TYPE": 2}, "EPHEMERIS_TYPE", "Input should be 0"),
        ({"SEMIMAJOR_AXIS": 6790.0}, "SEMIMAJOR_AXIS", "Extra inputs"),
        ({"eccentricity": 0.001}, "ECCENTRICITY", "Extra inputs"),  # both spellings at once
    ],
)
def test_bad_values_name_their_field(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        OmmOrbit.model_validate({"kind": "omm", **CELESTRAK_ISS, **changes})
    errors = info.value.errors()
    assert [e["loc"] for e in errors] == [(field,)]
    assert message in errors[0]["msg"]


def test_snake_case_errors_name_the_snake_case_field() -> None:
    with pytest.raises(ValidationError) as info:
        OmmOrbit.model_validate({**SNAKE, "inclination_deg": 200.0})
    assert [e["loc"] for e in info.value.errors()] == [("inclination_deg",)]
    missing = {k: v for k, v in SNAKE.items() if k != "mean_anomaly_deg"}
    with pytest.raises(ValidationError) as info:
        OmmOrbit.model_validate(missing)
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("mean_anomaly_deg",), "missing")]


def test_a_perigee_inside_the_atmosphere_names_mean_motion() -> None:
    with pytest.raises(ValidationError) as info:
        OmmOrbit.model_validate({**SNAKE, "mean_motion_rev_per_day": 16.8})
    message = str(info.value)
    assert "mean_motion_rev_per_day 16.8" in message and "inside the atmosphere" in message


def test_a_scenario_with_omm_orbits_loads_and_validates() -> None:
    path = DATA / "omm_scenario.yaml"
    code, lines = validate_paths([str(path)])
    assert code == 0, lines
    scenario = load_scenario(path)
    iss = scenario.object("iss")
    assert iss is not None and isinstance(iss.orbit, OmmOrbit)
    assert iss.orbit.norad_cat_id == 25544 and iss.orbit.epoch == datetime(2027, 2, 28, 18, tzinfo=UTC)
    assert isinstance(scenario.sensors[0].orbit, OmmOrbit)
    assert Scenario.model_validate(scenario.model_dump(mode="json")) == scenario


def test_the_scenario_schema_accepts_either_spelling() -> None:
    omm = json_schema(Scenario)["$defs"]["OmmOrbit"]
    assert {"MEAN_MOTION", "mean_motion_rev_per_day", "EPOCH", "epoch"} <= set(omm["properties"])
    assert omm["required"] == ["kind"]
    assert {"anyOf": [{"required": ["epoch"]}, {"required": ["EPOCH"]}]} in omm["allOf"]
    assert omm["additionalProperties"] is False


def _position(sat: Any, moment: datetime) -> tuple[float, ...]:
    jd, fr = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    err, pos, _vel = sat.sgp4(jd, fr)
    assert err == 0
    return tuple(pos)


@pytest.mark.parametrize("suffix", [".tle", ".csv", ".xml"])
def test_omm_objects_export_to_catalog_files(tmp_path: Path, suffix: str) -> None:
    numbered = OmmOrbit.model_validate({"kind": "omm", **CELESTRAK_ISS})
    unnumbered = OmmOrbit.model_validate(SNAKE)
    objects = [
        SpaceObject(id="iss", name="ISS (ZARYA)", orbit=numbered),
        SpaceObject(id="x", name="UNNAMED", kind="debris", orbit=unnumbered),
    ]
    path = tmp_path / f"omm{suffix}"
    assert write_catalog(objects, path) == 2
    records, problems = read_catalog(path)
    assert problems == []
    assert [r.norad for r in records] == [25544, 50002]  # an OMM without NORAD_CAT_ID is numbered
    later = numbered.epoch + timedelta(hours=5)
    for record, obj in zip(records, objects, strict=True):
        tle = TleOrbit(kind="tle", line1=record.line1, line2=record.line2)
        expected = _position(satrec_of(obj.orbit, 1), later)
        got = _position(satrec_of(tle, 1), later)
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 0.05
