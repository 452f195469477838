"""The shipped scenario and rulesets load, validate, and hold realistic, consistent data."""

from __future__ import annotations

import math
import re
from datetime import UTC
from pathlib import Path

import pytest

from wargame.domain.common import AssetStatus, InjectType, MissionArea
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import EARTH_RADIUS_KM, KeplerianOrbit, Scenario
from wargame.scenario import load_any, load_ruleset, load_scenario, validate_paths

RULESETS = ["standard.yaml", "classroom.yaml"]
SCENARIOS = ["global-sentinel.yaml", "regional-sentinel.yaml", "schriever-escalation.yaml", "tutorial.yaml"]
PROTECTION_KEYS = {
    "anti_jam",
    "hardened",
    "encrypted_link",
    "manoeuvrable",
    "radiation_hardened",
    "sensor_shutter",
}
GEO_LONGITUDES_E = {
    "usa-wgs-10": 172.0,
    "usa-sbirs-geo-5": -100.0,
    "usa-sbirs-geo-6": 70.0,
    "usa-gssap-5": 158.0,
    "gbr-skynet-5c": -17.8,
    "gbr-skynet-5d": 53.0,
    "jpn-kirameki-1": 162.0,
    "jpn-himawari-9": 140.7,
    "jpn-qzs-3": 127.0,
    "red-inspector-1": 161.0,
}


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    import wargame

    path = Path(wargame.__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
    return load_scenario(path)


@pytest.fixture(scope="module")
def standard() -> Ruleset:
    import wargame

    path = Path(wargame.__file__).resolve().parent.parent / "rulesets" / "standard.yaml"
    return load_ruleset(path)


def test_shipped_files_validate(repo: Path) -> None:
    code, lines = validate_paths([str(repo / "scenarios"), str(repo / "rulesets")])
    assert code == 0, "\n".join(lines)
    assert len(lines) == len(SCENARIOS) + len(RULESETS)
    assert all(": ok: " in line for line in lines)


@pytest.mark.parametrize("name", RULESETS)
def test_rulesets_are_complete(repo: Path, name: str) -> None:
    ruleset = load_any(repo / "rulesets" / name)
    assert isinstance(ruleset, Ruleset)
    assert ruleset.id == name.removesuffix(".yaml")
    expected_models = {
        "phased_array_radar",
        "tracking_radar",
        "deep_space_radar",
        "optical_geo",
        "space_based_optical",
        "rf_geolocation",
    }
    assert expected_models <= set(ruleset.sensor_models)
    assert set(ruleset.effects) == set(InjectType) - {InjectType.MESSAGE, InjectType.CONJUNCTION}
    used = {key for rule in ruleset.effects.values() for key in rule.protection_factors}
    assert used == PROTECTION_KEYS
    assert [step.level for step in ruleset.escalation] == list(range(7))
    assert len(ruleset.orders.attribution_levels) == 7
    assert ruleset.capability.service_by_status[AssetStatus.NOMINAL] == 1.0
    assert ruleset.capability.service_by_status[AssetStatus.DESTROYED] == 0.0


def test_standard_ruleset_key_values(standard: Ruleset) -> None:
    close = standard.effects[InjectType.CLOSE_APPROACH]
    assert (close.status, close.reversible, close.escalation_level) == ("nominal", True, 1)
    assert (close.observable_by, close.p_success) == ("custody", 1.0)
    weather = standard.effects[InjectType.SPACE_WEATHER]
    assert set(weather.mission_areas) == {MissionArea.SATCOM, MissionArea.PNT}
    assert (weather.status, weather.duration_moves) == ("degraded", 1)
    assert standard.effects[InjectType.NUCLEAR_DETONATION].escalation_level == 6
    assert standard.conjunction.pc_attention == 1e-7
    assert standard.conjunction.pc_mitigation == 1e-4
    leo = standard.sensor_models["phased_array_radar"]
    assert leo.regimes == ("LEO",) and leo.min_elevation_deg == 10.0
    assert 3000 <= leo.max_range_km <= 5000
    optical = standard.sensor_models["optical_geo"]
    assert optical.needs_site_dark and optical.needs_target_sunlit
    assert optical.max_sun_elevation_deg == -12.0
    assert standard.sensor_models["space_based_optical"].sun_exclusion_deg == 40.0
    assert standard.orders.attribution_levels[0] == "almost no chance"
    assert standard.orders.attribution_levels[-1] == "almost certain"


@pytest.mark.parametrize(
    "relative",
    ["rulesets/standard.yaml", "rulesets/classroom.yaml", *(f"scenarios/{s}" for s in SCENARIOS)],
)
def test_files_start_with_schema_comment(repo: Path, relative: str) -> None:
    first = (repo / relative).read_text().splitlines()[0]
    kind = "scenario" if relative.startswith("scenarios") else "ruleset"
    assert first == f"# yaml-language-server: $schema=../docs/schemas/{kind}.schema.json"


@pytest.mark.parametrize("name", RULESETS)
def test_every_ruleset_number_has_a_comment(repo: Path, name: str) -> None:
    number = re.compile(r"[:\[,{]\s*-?\d")
    for number_line, line in enumerate((repo / "rulesets" / name).read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        if number.search(code):
            assert "#" in line, f"{name}:{number_line}: number without a comment: {line!r}"


def test_tutorial_nations_and_time(tutorial: Scenario) -> None:
    assert tutorial.played_nations() == ["USA", "GBR", "JPN"]
    groups = {n.id: set(n.groups) for n in tutorial.nations}
    assert groups["USA"] == groups["GBR"] == {"FVEY", "CSPO"}
    assert groups["JPN"] == {"CSPO"}
    red = tutorial.nation("RED")
    assert red is not None and red.side == "red" and not red.played
    assert tutorial.start_time.tzinfo == UTC
    assert tutorial.start_time.isoformat() == "2027-03-01T00:00:00+00:00"
    assert (tutorial.move_length_hours, tutorial.moves) == (6.0, 4)


def test_tutorial_order_of_battle(tutorial: Scenario) -> None:
    allied = [o for o in tutorial.objects if o.owner in {"USA", "GBR", "JPN"}]
    assert len(allied) >= 12
    assert {o.mission for o in allied} == set(MissionArea)
    assert all(o.protections and o.propellant_dv_m_per_s > 0 for o in allied)
    assert len([o for o in tutorial.objects if o.owner == "RED"]) >= 2
    junk = [o for o in tutorial.objects if o.kind in ("debris", "rocket_body")]
    assert len(junk) >= 10
    assert all(o.owner is None for o in junk)
    assert len(tutorial.sensors) >= 6
    assert {s.owner for s in tutorial.sensors} == {"USA", "GBR", "JPN"}


def test_tutorial_orbits_are_sane(tutorial: Scenario) -> None:
    orbits = [o.orbit for o in tutorial.objects] + [s.orbit for s in tutorial.sensors if s.orbit]
    for orbit in orbits:
        assert isinstance(orbit, KeplerianOrbit)
        assert orbit.epoch == tutorial.start_time
        perigee_alt = orbit.semi_major_axis_km * (1 - orbit.eccentricity) - EARTH_RADIUS_KM
        assert perigee_alt > 300.0
    for obj in tutorial.objects:
        orbit = obj.orbit
        assert isinstance(orbit, KeplerianOrbit)
        altitude = orbit.semi_major_axis_km - EARTH_RADIUS_KM
        if obj.mission == MissionArea.ISR and obj.owner != "RED":
            assert 450 <= altitude <= 750 and 97.0 <= orbit.inclination_deg <= 98.5
        if obj.mission == MissionArea.PNT and obj.id.startswith("usa-gps"):
            assert orbit.semi_major_axis_km == pytest.approx(26560, abs=5)
            assert orbit.inclination_deg == 55.0
        if obj.kind != "payload":
            assert altitude < 2000


def test_geo_satellites_sit_at_their_longitudes(tutorial: Scenario) -> None:
    """Right ascension minus GMST (from skyfield, an independent reference) is the longitude."""
    skyfield_api = pytest.importorskip("skyfield.api")
    timescale = skyfield_api.load.timescale(builtin=True)
    gmst_deg = timescale.from_datetime(tutorial.start_time).gmst * 15.0
    for object_id, longitude in GEO_LONGITUDES_E.items():
        obj = tutorial.object(object_id)
        assert obj is not None
        orbit = obj.orbit
        assert isinstance(orbit, KeplerianOrbit)
        assert abs(orbit.semi_major_axis_km - 42164.17) < 150
        assert orbit.inclination_deg < 1.0
        right_ascension = orbit.raan_deg + orbit.arg_perigee_deg + orbit.mean_anomaly_deg
        offset = (right_ascension - gmst_deg - longitude + 180.0) % 360.0 - 180.0
        assert math.fabs(offset) < 0.01, object_id
    himawari = tutorial.object("jpn-himawari-9")
    assert himawari is not None and himawari.mission == MissionArea.WEATHER


def test_tutorial_msel(tutorial: Scenario) -> None:
    by_type = {inject.type: inject for inject in tutorial.msel}
    conjunction = by_type[InjectType.CONJUNCTION]
    target = tutorial.object(conjunction.target or "")
    assert target is not None and target.mission == MissionArea.ISR and target.owner != "RED"
    secondary = tutorial.object(conjunction.params["secondary"])
    assert secondary is not None and secondary.kind == "debris"
    assert conjunction.params["miss_km"] == 0.15
    assert conjunction.params["tca_offset_hours"] == 4
    jamming = by_type[InjectType.UPLINK_JAMMING]
    jammed = tutorial.object(jamming.target or "")
    assert jamming.actor == "RED" and jammed is not None and jammed.mission == MissionArea.SATCOM
    approach = by_type[InjectType.CLOSE_APPROACH]
    approacher = tutorial.object(approach.params["approacher"])
    assert approacher is not None and approacher.owner == "RED"
    assert approach.params["range_km"] == 5.0
    assert by_type[InjectType.SPACE_WEATHER].params == {"severity": "G3"}  # space_weather.levels scale it
    assert InjectType.MESSAGE in by_type
    assert {InjectType.CYBER_INTERCEPT, InjectType.LASER_DAZZLE} & set(by_type)
    assert sum(inject.contingency for inject in tutorial.msel) >= 1
    assert len({inject.serial for inject in tutorial.msel}) == len(tutorial.msel)
    for inject in tutorial.msel:
        assert inject.serial > 0 and inject.title and inject.text and inject.controller_notes
        assert inject.sender and inject.channel and inject.expected_actions and inject.objectives
        assert inject.trigger in ("time", "manual", "condition")
        assert inject.trigger == "manual" or not inject.contingency
    objectives = tutorial.objectives
    assert 3 <= len(objectives) <= 5
    assert all(objective.capability for objective in objectives)


def test_authoring_worked_example_validates(repo: Path, tmp_path: Path) -> None:
    text = (repo / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n")[2].split("```")[0]
    (tmp_path / "scenarios" / "catalogs").mkdir(parents=True)
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "rulesets" / "standard.yaml").write_text((repo / "rulesets" / "standard.yaml").read_text())
    fragments = repo / "scenarios" / "catalogs" / "global-sentinel-fragments.tle"
    (tmp_path / "scenarios" / "catalogs" / "fragments.tle").write_text(fragments.read_text())
    path = tmp_path / "scenarios" / "example.yaml"
    path.write_text(example, encoding="utf-8")
    code, lines = validate_paths([str(path)])
    assert code == 0, lines
    assert "3 nations, 1 sensors, 2061 objects, 3 injects" in lines[0]
