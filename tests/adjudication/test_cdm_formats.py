"""CDMs in KVN and NDM/XML, their frames (EME2000, ITRF...) and units: converted or refused clearly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from wargame.adjudication.ccsds import parse_ccsds_time
from wargame.adjudication.cdm import Cdm, CdmObject, foster_pc, parse_cdm, write_cdm
from wargame.adjudication.cdm_frames import CdmFrameError, earth_fixed_to_teme, gmst_at, teme_to_earth_fixed
from wargame.adjudication.cdm_xml import missing_keywords, write_cdm_xml
from wargame.cli import main as wargame

DATA = Path(__file__).resolve().parent / "data" / "cdm"
CASE = "AlfanoTestCase05.cdm"


def _case() -> Cdm:
    return parse_cdm((DATA / CASE).read_text())


def _edit(cdm: Cdm, number: int, changes: dict[str, tuple[str, str]]) -> Cdm:
    objects = []
    for k, obj in enumerate(cdm.objects, start=1):
        edits = changes if k == number else {}
        fields = [(key, *edits[key]) if key in edits else (key, v, u) for key, v, u in obj.fields]
        objects.append(CdmObject(fields=fields))
    return Cdm(header=list(cdm.header), objects=objects)


def test_xml_round_trip_keeps_every_keyword_and_the_pc() -> None:
    cdm = _case()
    text = write_cdm_xml(cdm)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<cdm ')
    root = ET.fromstring(text)
    assert (root.get("id"), root.get("version")) == ("CCSDS_CDM_VERS", "1.0")
    assert [e.tag for e in root] == ["header", "body"]
    assert [e.tag for e in root.find("body") or []] == ["relativeMetadataData", "segment", "segment"]
    data = root.find("body/segment/data")
    assert data is not None and [e.tag for e in data][-2:] == ["stateVector", "covarianceMatrix"]
    assert root.find("body/segment/data/stateVector/X").get("units") == "km"  # type: ignore[union-attr]
    again = parse_cdm(text)
    assert [o.fields for o in again.objects] == [o.fields for o in cdm.objects]
    assert again.keyed_header() == cdm.keyed_header()
    assert again.hard_body_radius_m == cdm.hard_body_radius_m
    assert foster_pc(again) == foster_pc(cdm)
    assert missing_keywords(again) == []
    assert parse_cdm(write_cdm(again)).keyed_header() == cdm.keyed_header()
    ccsds_ndm = pytest.importorskip("ccsds_ndm.ndm_io")  # an independent reader (dev dependency)
    parsed = ccsds_ndm.NdmIo().from_string(text)
    assert parsed.body.segment[1].data.state_vector.x.value == pytest.approx(cdm.objects[1].number("X"))


def test_earth_fixed_states_are_rotated_into_an_inertial_frame() -> None:
    cdm = _case()
    tca = parse_ccsds_time(cdm.header_value("TCA") or "")
    gmst = gmst_at(tca)
    changes = []
    for obj in cdm.objects:
        position, velocity = teme_to_earth_fixed(obj.position_km, obj.velocity_km_s, gmst)
        values = dict(zip(("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"), (*position, *velocity), strict=True))
        changes.append({k: (repr(float(v)), "km" if len(k) == 1 else "km/s") for k, v in values.items()}
                       | {"REF_FRAME": ("ITRF", "")})
    itrf = _edit(_edit(cdm, 1, changes[0]), 2, changes[1])
    assert foster_pc(itrf) == pytest.approx(foster_pc(cdm), rel=1e-9)
    # The velocity in ITRF lacks Earth's rotation: read as inertial, the geometry (and Pc) would differ.
    position, velocity = teme_to_earth_fixed(cdm.objects[0].position_km, cdm.objects[0].velocity_km_s, gmst)
    assert np.linalg.norm(velocity - np.array(earth_fixed_to_teme(position, velocity, gmst)[1])) > 0.4


def test_units_are_converted_or_refused_by_name() -> None:
    cdm = _case()
    first = cdm.objects[0]
    in_metres = {k: (repr(first.number(k) * 1000.0), "m") for k in ("X", "Y", "Z")}
    in_metres |= {k: (repr(first.number(k) * 1000.0), "m/s") for k in ("X_DOT", "Y_DOT", "Z_DOT")}
    in_metres |= {"CR_R": (repr(first.number("CR_R") / 1e6), "km**2")}
    assert foster_pc(_edit(cdm, 1, in_metres)) == pytest.approx(foster_pc(cdm), rel=1e-9)
    with pytest.raises(CdmFrameError, match=r"^OBJECT1: X is in \[ft\]; expected \[km\], \[m\]$"):
        foster_pc(_edit(cdm, 1, {"X": ("1.0", "ft")}))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"REF_FRAME": ("RTN", "")}, "OBJECT2: REF_FRAME 'RTN' is not an Earth-centred frame"),
        ({"REF_FRAME": ("", "")}, "OBJECT2 has no REF_FRAME (CDM 1.0: EME2000, GCRF or ITRF)"),
        ({"REF_FRAME": ("TEME", "")}, "the objects are in different frames (EME2000/GCRF, TEME)"),
    ],
)
def test_frames_that_cannot_be_used_are_refused(changes: dict[str, tuple[str, str]], message: str) -> None:
    with pytest.raises(CdmFrameError) as info:
        foster_pc(_edit(_case(), 2, changes))
    assert str(info.value).startswith(message)


def test_cli_pc_reads_xml_and_reports_bad_frames(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "case.xml"
    good.write_text(write_cdm_xml(_case()), encoding="utf-8")
    bad = tmp_path / "bad.cdm"
    bad.write_text(write_cdm(_edit(_case(), 1, {"REF_FRAME": ("MOON_ME", "")})), encoding="utf-8")
    assert wargame(["cdm", "pc", str(good), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{good}\t") and float(out.split("\t")[1]) == pytest.approx(foster_pc(_case()))
    assert "OBJECT1: REF_FRAME 'MOON_ME' is not an Earth-centred frame" in err


def test_cli_convert_checks_then_writes_the_other_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "case.xml"
    assert wargame(["cdm", "convert", str(DATA / CASE), "--to", "xml", "--out", str(out)]) == 0
    assert foster_pc(parse_cdm(out.read_text(encoding="utf-8"))) == foster_pc(_case())
    back = tmp_path / "case.cdm"
    assert wargame(["cdm", "convert", str(out), "--to", "kvn", "--out", str(back)]) == 0
    assert parse_cdm(back.read_text(encoding="utf-8")).keyed_header() == _case().keyed_header()
    broken = tmp_path / "broken.cdm"
    broken.write_text((DATA / CASE).read_text().replace("ORIGINATOR", "COMMENT ORIGINATOR"), encoding="utf-8")
    assert wargame(["cdm", "convert", str(broken), "--to", "xml"]) == 4
    assert "missing mandatory keywords: ORIGINATOR" in capsys.readouterr().err
