"""Space data in and out: OMM as CelesTrak JSON and CSV, KVN and NDM/XML, TLE with Alpha-5 numbers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sgp4.api import WGS72, Satrec

from wargame.adjudication import omm as omm_read
from wargame.adjudication.ccsds import kvn_lines
from wargame.cli import main as scenario_cli
from wargame.domain.scenario_model import CatalogFile
from wargame.scenario.catalogs import (
    catalog_number,
    detect_format,
    read_catalog,
    records_to_objects,
    write_catalog,
)

SPACE = Path(__file__).resolve().parent / "data" / "space"
SOURCES = ["alpha5.tle", "celestrak.json", "celestrak.csv", "objects.kvn", "objects.xml"]
NUMBERS = [25544, 100001, 339999, 270000]


def _sat(line1: str, line2: str) -> Satrec:
    return Satrec.twoline2rv(line1, line2, WGS72)


@pytest.mark.parametrize("name", SOURCES)
def test_every_form_reads_the_same_objects(name: str) -> None:
    records, problems = read_catalog(SPACE / name)
    assert problems == []
    assert [r.norad for r in records] == NUMBERS
    assert [r.name for r in records] == ["ISS (ZARYA)", "EXAMPLESAT DEB", "ANALYST OBJECT", "NAVSAT 27"]
    reference, _ = read_catalog(SPACE / "celestrak.json")
    for record, expected in zip(records, reference, strict=True):
        a, b = _sat(record.line1, record.line2), _sat(expected.line1, expected.line2)
        assert a.satnum == b.satnum
        assert a.jdsatepoch + a.jdsatepochF == pytest.approx(b.jdsatepoch + b.jdsatepochF, abs=1e-8)
        assert a.no_kozai == pytest.approx(b.no_kozai, rel=1e-9)
        assert a.ecco == pytest.approx(b.ecco, abs=1e-7)
        assert (a.inclo, a.nodeo, a.argpo, a.mo) == pytest.approx((b.inclo, b.nodeo, b.argpo, b.mo), abs=1e-6)
        assert a.bstar == pytest.approx(b.bstar, rel=1e-4, abs=1e-12)


def test_formats_are_told_from_the_content() -> None:
    kinds = [detect_format((SPACE / n).read_text(encoding="utf-8")) for n in SOURCES]
    assert kinds == ["tle", "omm_json", "omm_csv", "omm_kvn", "omm_xml"]


def test_alpha5_catalog_numbers() -> None:
    assert catalog_number("A0001") == 100001
    assert catalog_number("Z9999") == 339999
    assert catalog_number("J0000") == 180000  # I is skipped
    assert catalog_number("25544") == 25544
    assert catalog_number("I0001") is None and catalog_number("A00x1") is None
    records, _ = read_catalog(SPACE / "alpha5.tle")
    assert records[1].line1.startswith("1 A0001U")
    objects = records_to_objects(records, CatalogFile(file="alpha5.tle", id_prefix="cat"))
    assert [o.id for o in objects] == ["cat-25544", "cat-100001", "cat-339999", "cat-270000"]


def test_bad_records_are_reported_and_the_good_kept() -> None:
    records, problems = read_catalog(SPACE / "bad_records.json")
    assert [r.norad for r in records] == [25544, 270000]
    assert [p.message for p in problems] == [
        "record 2 (EXAMPLESAT DEB): missing MEAN_MOTION",
        "record 3 (ANALYST OBJECT): NORAD_CAT_ID 400000 is above 339999, the largest a TLE can hold "
        "(Alpha-5 Z9999)",
        "record 4 (NAVSAT 27): ECCENTRICITY 'n/a' is not a number",
        "record 5: a str, not an object of OMM keywords",
    ]
    records, problems = read_catalog(SPACE / "bad_records.kvn")
    assert [r.norad for r in records] == [25544, 270000]
    assert [(p.line, p.message) for p in problems] == [
        (27, "record 2 (EXAMPLESAT DEB): REF_FRAME is 'GCRF'; only TEME is read (SGP4 mean elements)"),
        (53, "record 3 (ANALYST OBJECT): INCLINATION is in [rad]; expected [deg]"),
        (79, "record 4 (NAVSAT 27): missing ORIGINATOR"),
    ]


def test_catalog_cli_keeps_good_records_and_fails_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clean.tle"
    assert scenario_cli(["catalog", "import", str(SPACE / "bad_records.kvn"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"{out}: 2 objects written" in captured.out
    assert "record 3 (ANALYST OBJECT): INCLINATION is in [rad]; expected [deg]" in captured.err
    assert "2 element sets read, 3 bad records left out" in captured.err
    assert [r.norad for r in read_catalog(out)[0]] == [25544, 270000]
    strict = tmp_path / "strict.tle"
    argv = ["catalog", "import", str(SPACE / "bad_records.kvn"), "--out", str(strict), "--strict"]
    assert scenario_cli(argv) == 4
    assert not strict.exists()
    nothing = tmp_path / "nothing.json"
    nothing.write_text('[{"OBJECT_NAME": "X"}]', encoding="utf-8")
    assert scenario_cli(["catalog", "import", str(nothing), "--out", str(tmp_path / "n.tle")]) == 4
    assert "no element set could be read" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".kvn", ".xml", ".json", ".csv", ".tle"])
def test_written_catalogs_read_back_the_same_elements(tmp_path: Path, suffix: str) -> None:
    """TLE -> OMM keeps Alpha-5 numbers and does not fail on a blank international designator."""
    records, _ = read_catalog(SPACE / "alpha5.tle")
    objects = records_to_objects(records, CatalogFile(file="alpha5.tle"))
    path = tmp_path / f"out{suffix}"
    assert write_catalog(objects, path) == 4
    again, problems = read_catalog(path)
    assert problems == []
    assert [(r.norad, r.line1, r.line2) for r in again] == [(r.norad, r.line1, r.line2) for r in records]


def test_kvn_output_is_a_conformant_omm(tmp_path: Path) -> None:
    records, _ = read_catalog(SPACE / "alpha5.tle")
    path = tmp_path / "out.kvn"
    write_catalog(records_to_objects(records, CatalogFile(file="x")), path)
    messages = ["CCSDS_OMM_VERS" + m for m in path.read_text(encoding="utf-8").split("CCSDS_OMM_VERS")[1:]]
    assert len(messages) == 4
    for message in messages:
        keys = [line.key for line in kvn_lines(message)]
        assert keys[:3] == ["CCSDS_OMM_VERS", "CREATION_DATE", "ORIGINATOR"]
        assert set(omm_read.MANDATORY) | {"MEAN_MOTION", "NORAD_CAT_ID"} <= set(keys)
    units = {line.key: line.unit for line in kvn_lines(messages[0])}
    assert units["MEAN_MOTION"] == "rev/day" and units["INCLINATION"] == "deg" and units["BSTAR"] == "1/ER"
    third = {line.key: line.value for line in kvn_lines(messages[2])}
    assert third["OBJECT_ID"] == "UNKNOWN" and third["NORAD_CAT_ID"] == "339999"
    created = datetime.fromisoformat(third["CREATION_DATE"]).replace(tzinfo=UTC)
    assert abs((created - datetime.now(UTC)).total_seconds()) < 3600
    ccsds_ndm = pytest.importorskip("ccsds_ndm.ndm_io")  # an independent reader (dev dependency)
    parsed = ccsds_ndm.NdmIo().from_string(messages[1])
    assert parsed.body.segment.data.tle_parameters.norad_cat_id == 100001


def test_xml_output_has_its_header_schema_and_version(tmp_path: Path) -> None:
    records, _ = read_catalog(SPACE / "alpha5.tle")
    path = tmp_path / "out.xml"
    write_catalog(records_to_objects(records, CatalogFile(file="x")), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<ndm ')
    root = ET.fromstring(text)
    schema = root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation")
    assert schema is not None and schema.endswith("ndmxml-4.0.0-master-4.0.xsd")
    for message in root:
        assert (message.tag, message.get("id"), message.get("version")) == ("omm", "CCSDS_OMM_VERS", "3.0")
        assert [e.tag for e in message] == ["header", "body"]
        assert [e.tag for e in message.find("header") or []] == ["CREATION_DATE", "ORIGINATOR"]
    ccsds_ndm = pytest.importorskip("ccsds_ndm.ndm_io")
    parsed = ccsds_ndm.NdmIo().from_string(text)
    assert [m.body.segment.data.tle_parameters.norad_cat_id for m in parsed.omm] == NUMBERS
    assert parsed.omm[2].body.segment.metadata.object_id == "UNKNOWN"


def test_json_output_is_celestrak_shaped(tmp_path: Path) -> None:
    records, _ = read_catalog(SPACE / "alpha5.tle")
    path = tmp_path / "out.json"
    write_catalog(records_to_objects(records, CatalogFile(file="x")), path)
    items = json.loads(path.read_text(encoding="utf-8"))
    assert list(items[0])[:4] == ["OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION"]
    assert items[0]["NORAD_CAT_ID"] == 25544 and isinstance(items[0]["MEAN_MOTION"], float)
    assert items[2]["OBJECT_ID"] == ""
