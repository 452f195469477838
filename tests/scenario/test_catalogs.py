"""Background catalogs: TLE and OMM import, the synthetic generator, and expansion at load time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sgp4.api import WGS72, Satrec

from wargame.domain.scenario_model import (
    EARTH_RADIUS_KM,
    KeplerianOrbit,
    SyntheticCatalog,
    TleOrbit,
)
from wargame.scenario import LoadError, load_scenario
from wargame.scenario.catalogs import read_catalog, write_catalog
from wargame.scenario.synthetic import (
    MAX_COUNT,
    generate_catalog,
    regime_of,
    sun_synchronous_inclination_deg,
)

DATA = Path(__file__).resolve().parent / "data"
EPOCH = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("name", ["sample.tle", "sample_omm.csv", "sample_omm.xml"])
def test_sample_files_read_the_same_elements(name: str) -> None:
    records, problems = read_catalog(DATA / name)
    assert problems == []
    assert [r.norad for r in records] == list(range(50001, 50013))
    reference, _ = read_catalog(DATA / "sample.tle")
    for record, expected in zip(records, reference, strict=True):
        a = Satrec.twoline2rv(record.line1, record.line2, WGS72)
        b = Satrec.twoline2rv(expected.line1, expected.line2, WGS72)
        assert a.no_kozai == pytest.approx(b.no_kozai, rel=1e-9)
        assert a.ecco == pytest.approx(b.ecco, abs=1e-7)
        assert a.inclo == pytest.approx(b.inclo, abs=1e-6)
        assert record.name == expected.name


def test_bad_records_are_located() -> None:
    records, problems = read_catalog(DATA / "bad.tle")
    assert len(records) == 1
    assert [(p.line, p.message) for p in problems] == [
        (5, "TLE line 1 checksum is '9', expected 8"),
        (7, "TLE line 1 has 28 characters, not 69"),
    ]


def test_generator_is_deterministic_and_realistic() -> None:
    first = generate_catalog(4000, seed=7, epoch=EPOCH)
    assert first == generate_catalog(4000, seed=7, epoch=EPOCH)
    assert first[:100] == generate_catalog(100, seed=7, epoch=EPOCH)
    assert first != generate_catalog(4000, seed=8, epoch=EPOCH)
    assert first[0].id == "bg-00001" and first[-1].id == "bg-04000"
    regimes = Counter(regime_of(o.orbit) for o in first if isinstance(o.orbit, KeplerianOrbit))
    shares = {k: v / len(first) for k, v in regimes.items()}
    assert 0.7 < shares["LEO"] < 0.9
    assert all(0.02 < shares[r] < 0.15 for r in ("MEO", "GEO", "HEO"))
    kinds = Counter(o.kind for o in first)
    assert kinds["debris"] > 0.25 * len(first) and kinds["rocket_body"] > 0.05 * len(first)
    assert all(o.owner is None for o in first)
    with pytest.raises(ValueError):
        generate_catalog(MAX_COUNT + 1, seed=1, epoch=EPOCH)
    with pytest.raises(ValueError, match="timezone"):
        generate_catalog(10, seed=1, epoch=EPOCH.replace(tzinfo=None))


def test_the_catalog_source_accepts_up_to_the_generator_limit() -> None:
    assert SyntheticCatalog(generator="synthetic", count=MAX_COUNT).count == 100_000
    with pytest.raises(ValidationError):
        SyntheticCatalog(generator="synthetic", count=MAX_COUNT + 1)


@pytest.fixture(scope="module")
def todays_catalog() -> list[KeplerianOrbit]:
    """A catalog the size of today's public one (the GS-22-sized variant of issue 14)."""
    orbits = [o.orbit for o in generate_catalog(47_381, seed=7, epoch=EPOCH)]
    assert all(isinstance(orbit, KeplerianOrbit) for orbit in orbits)
    return [orbit for orbit in orbits if isinstance(orbit, KeplerianOrbit)]


def _share(orbits: list[KeplerianOrbit], test: Callable[[float, float, float, float], bool]) -> float:
    """Share of orbits for which test(perigee_alt_km, apogee_alt_km, inclination_deg, eccentricity)."""
    hits = 0
    for orbit in orbits:
        perigee = orbit.semi_major_axis_km * (1 - orbit.eccentricity) - EARTH_RADIUS_KM
        apogee = orbit.semi_major_axis_km * (1 + orbit.eccentricity) - EARTH_RADIUS_KM
        hits += test(perigee, apogee, orbit.inclination_deg, orbit.eccentricity)
    return hits / len(orbits)


def test_the_mix_looks_like_todays_public_catalog(todays_catalog: list[KeplerianOrbit]) -> None:
    orbits = todays_catalog
    regimes = Counter(regime_of(orbit) for orbit in orbits)
    shares = {k: v / len(orbits) for k, v in regimes.items()}
    assert 0.80 < shares["LEO"] < 0.90 and 0.02 < shares["MEO"] < 0.05
    assert 0.04 < shares["GEO"] < 0.08 and 0.04 < shares["HEO"] < 0.08

    def near(value: float, centre: float, tolerance: float) -> bool:
        return abs(value - centre) <= tolerance

    # Broadband shells: Starlink-like 550 km at 53 deg is the largest single family.
    assert 0.10 < _share(orbits, lambda p, a, i, e: 535 < p < 570 and near(i, 53.1, 0.4)) < 0.16
    assert _share(orbits, lambda p, a, i, e: 520 < p < 540 and near(i, 43.0, 0.3)) > 0.05
    assert _share(orbits, lambda p, a, i, e: 1185 < p < 1215 and near(i, 87.9, 0.3)) > 0.01
    # The sun-synchronous band: inclination follows altitude, cos(i) = -(a / 12352 km)^3.5.
    sso = _share(orbits, lambda p, a, i, e: 480 < p < 900 and e < 0.005
                 and near(i, sun_synchronous_inclination_deg(EARTH_RADIUS_KM + p), 0.3))
    assert sso > 0.18
    # Debris clouds at their breakup inclinations, spread in altitude (eccentric).
    fengyun = _share(orbits, lambda p, a, i, e: near(i, 98.6, 1.2) and 700 < p and a > 840 and e > 0.005)
    assert 0.04 < fengyun < 0.08
    assert _share(orbits, lambda p, a, i, e: near(i, 82.56, 0.8) and p < 500 and e > 0.004) > 0.005
    assert _share(orbits, lambda p, a, i, e: near(i, 74.0, 1.2) and e > 0.005 and a < 1300) > 0.015
    assert _share(orbits, lambda p, a, i, e: near(i, 86.4, 1.2) and e > 0.005 and a < 1300) > 0.008
    # GNSS in MEO (GPS 20,180 km, GLONASS 19,130 km), a populated GEO belt, Molniya and GTO.
    assert _share(orbits, lambda p, a, i, e: near(p, 20180, 40) and near(i, 55.0, 0.3)) > 0.005
    assert _share(orbits, lambda p, a, i, e: near(p, 19130, 40) and near(i, 64.8, 0.3)) > 0.005
    assert _share(orbits, lambda p, a, i, e: near(p, 35786, 20) and i < 0.3) > 0.02
    assert _share(orbits, lambda p, a, i, e: e > 0.6 and near(i, 63.4, 1.0) and a > 38000) > 0.008
    assert _share(orbits, lambda p, a, i, e: p < 700 and a > 34000) > 0.03
    molniya = [o for o in orbits if o.eccentricity > 0.6 and near(o.inclination_deg, 63.4, 1.0)]
    assert all(o.arg_perigee_deg == 270.0 for o in molniya)  # apogee over the north


def test_generated_catalog_propagates(tmp_path: Path) -> None:
    objects = generate_catalog(2000, seed=3, epoch=EPOCH)
    path = tmp_path / "cat.tle"
    assert write_catalog(objects, path) == 2000
    records, problems = read_catalog(path)
    assert problems == [] and len(records) == 2000
    for record in records:
        sat = Satrec.twoline2rv(record.line1, record.line2, WGS72)
        for day in (0.25, 2.0):  # nothing decays within an 8-move exercise
            error, position, _ = sat.sgp4(2461465.5, day)
            assert error == 0 and 6500 < sum(x * x for x in position) ** 0.5 < 60000


def test_scenario_expands_its_background_catalog(tmp_path: Path) -> None:
    (tmp_path / "catalogs").mkdir()
    write_catalog(generate_catalog(5, seed=1, epoch=EPOCH), tmp_path / "catalogs" / "few.xml")
    path = tmp_path / "s.yaml"
    path.write_text(
        "id: s\ntitle: s\nstart_time: 2027-03-01T00:00:00Z\nmove_length_hours: 6\nmoves: 1\n"
        "nations: [{id: USA, name: US}]\n"
        "background_catalog:\n"
        "  - {generator: synthetic, count: 50, seed: 3}\n"
        "  - {file: catalogs/few.xml, id_prefix: omm}\n"
    )
    scenario = load_scenario(path)
    assert len(scenario.objects) == 55
    assert scenario.objects[0].id == "bg-00001" and scenario.objects[-1].id == "omm-50005"
    assert isinstance(scenario.objects[-1].orbit, TleOrbit)
    assert scenario.object("omm-50003") is not None
    path.write_text(path.read_text().replace("few.xml", "missing.xml"))
    with pytest.raises(LoadError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (9, "background_catalog[1].file")
    assert "cannot read file" in problem.message
