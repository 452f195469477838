"""Background catalogs: TLE and OMM import, the synthetic generator, and expansion at load time."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sgp4.api import WGS72, Satrec

from wargame.domain.scenario_model import KeplerianOrbit, TleOrbit
from wargame.scenario import LoadError, load_scenario
from wargame.scenario.catalogs import read_catalog, write_catalog
from wargame.scenario.synthetic import generate_catalog, regime_of

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
        generate_catalog(40_001, seed=1, epoch=EPOCH)


def test_generated_catalog_propagates(tmp_path: Path) -> None:
    objects = generate_catalog(300, seed=3, epoch=EPOCH)
    path = tmp_path / "cat.tle"
    assert write_catalog(objects, path) == 300
    records, problems = read_catalog(path)
    assert problems == [] and len(records) == 300
    for record in records:
        sat = Satrec.twoline2rv(record.line1, record.line2, WGS72)
        error, position, _ = sat.sgp4(2461465.5, 0.25)
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
