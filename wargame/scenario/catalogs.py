"""Read and write TLE and OMM (KVN, XML, JSON, CSV) element sets; expand a scenario's background catalog."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from sgp4 import exporter, omm
from sgp4.api import WGS72, Satrec
from sgp4.earth_gravity import wgs72

from wargame.adjudication import omm as omm_read
from wargame.adjudication.omm_write import OmmOut, omm_fields, write_omm
from wargame.domain.scenario_model import (
    CatalogFile,
    KeplerianOrbit,
    OmmOrbit,
    Scenario,
    SpaceObject,
    SyntheticCatalog,
    TleOrbit,
)
from wargame.scenario.problems import Problem
from wargame.scenario.synthetic import generate_catalog

CatalogFormat = Literal["tle", "omm_csv", "omm_xml", "omm_json", "omm_kvn"]
FORMATS: tuple[CatalogFormat, ...] = ("tle", "omm_csv", "omm_xml", "omm_json", "omm_kvn")
SUFFIX_FORMATS: dict[str, CatalogFormat] = {
    ".tle": "tle",
    ".txt": "tle",
    ".3le": "tle",
    ".csv": "omm_csv",
    ".xml": "omm_xml",
    ".json": "omm_json",
    ".kvn": "omm_kvn",
    ".omm": "omm_kvn",
}
"""The format each suffix is written in; reading looks at the content (`detect_format`)."""
ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"
"""Alpha-5 leading letters (I and O are not used): A0001 is 100001, Z9999 is 339999."""
OBJECT_TYPES: dict[str, Literal["payload", "rocket_body", "debris"]] = {
    "PAYLOAD": "payload",
    "ROCKET BODY": "rocket_body",
    "DEBRIS": "debris",
}
SGP4_EPOCH = datetime(1949, 12, 31, tzinfo=UTC)
"""sgp4 counts epochs in days since 1949-12-31 00:00 UTC."""
FIRST_NORAD_ID = 50001
"""Catalog numbers given to exported objects that have none (analyst-style range)."""


@dataclass(frozen=True)
class Record:
    """One element set read from a file: TLE lines, catalog number, name and object type."""

    norad: int
    name: str
    line1: str
    line2: str
    object_type: str | None
    line: int
    """Line of the record in its file (1-based; 0 when the format has no line numbers)."""


def detect_format(text: str) -> CatalogFormat:
    """The format of an element-set file from its content: XML, JSON, KVN, CSV or else TLE."""
    head = text.lstrip()[:4000]
    if head.startswith("<"):
        return "omm_xml"
    if head.startswith(("[", "{")):
        return "omm_json"
    if re.search(r"^\s*CCSDS_OMM_VERS\s*=", head, re.M):
        return "omm_kvn"
    first = head.split("\n", 1)[0].upper()
    if "," in first and ("MEAN_MOTION" in first or "NORAD_CAT_ID" in first):
        return "omm_csv"
    return "tle"


def format_of(path: str | os.PathLike[str], declared: CatalogFormat | None = None) -> CatalogFormat:
    """The format a file is written in: declared, or from its suffix."""
    if declared is not None:
        return declared
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise ValueError(f"cannot tell the catalog format of {path} (suffixes: {known})")
    return SUFFIX_FORMATS[suffix]


def catalog_number(field: str) -> int | None:
    """The catalog number of a TLE's columns 3-7: five digits, or Alpha-5 (a letter for the
    ten-thousands from 10: A0001 = 100001); None when neither."""
    text = field.strip()
    if text.isdigit():
        return int(text)
    if len(text) == 5 and text[0].upper() in ALPHA5 and text[1:].isdigit():
        return (ALPHA5.index(text[0].upper()) + 10) * 10000 + int(text[1:])
    return None


def tle_checksum(line: str) -> int:
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def read_tle(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """Two- or three-line element sets; a bad checksum or line is a problem, not an exception."""
    records: list[Record] = []
    problems: list[Problem] = []
    lines = text.splitlines()
    name = ""
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            index += 1
            continue
        if not line.startswith("1 "):
            name = line[2:].strip() if line.startswith("0 ") else line.strip()
            index += 1
            continue
        second = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
        problem = _tle_problem(line, second)
        if problem is not None:
            problems.append(Problem(file, index + (2 if "line 2" in problem else 1), 1, "", problem))
        else:
            norad = catalog_number(line[2:7]) or 0
            records.append(Record(norad, name or f"OBJECT {norad}", line, second, None, index + 1))
        name = ""
        index += 2
    return records, problems


def _tle_problem(line1: str, line2: str) -> str | None:
    if len(line1) != 69:
        return f"TLE line 1 has {len(line1)} characters, not 69"
    if not line2.startswith("2 ") or len(line2) != 69:
        return "TLE line 2 is missing or does not have 69 characters"
    for number, line in ((1, line1), (2, line2)):
        if not line[68].isdigit() or tle_checksum(line) != int(line[68]):
            return f"TLE line {number} checksum is {line[68]!r}, expected {tle_checksum(line)}"
    if line1[2:7] != line2[2:7]:
        return "TLE line 1 and line 2 name different catalog numbers"
    if catalog_number(line1[2:7]) is None:
        return f"TLE catalog number {line1[2:7]!r} is neither a number nor Alpha-5 (such as A0001)"
    return None


def _omm_records(reader: str, text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """Records of an OMM file (KVN, XML, JSON or CSV): each good one as TLE lines, a problem
    naming each bad one (its index, name and reason)."""
    read = {"omm_kvn": omm_read.read_kvn, "omm_xml": omm_read.read_xml, "omm_json": omm_read.read_json,
            "omm_csv": omm_read.read_csv}[reader]
    good, bad = read(text)
    records = []
    for item in good:
        sat = omm_read.satrec_of_fields(item.fields)
        line1, line2 = exporter.export_tle(sat)
        name = item.fields.get("OBJECT_NAME", "").strip() or f"OBJECT {sat.satnum}"
        kind = item.fields.get("USER_DEFINED_OBJECT_TYPE") or item.fields.get("OBJECT_TYPE")
        records.append(Record(int(sat.satnum), name, line1, line2, kind, item.line))
    problems = [Problem(file, b.line, 1 if b.line else 0, "", str(b)) for b in bad]
    return records, problems


def read_catalog(
    path: str | os.PathLike[str], fmt: CatalogFormat | None = None
) -> tuple[list[Record], list[Problem]]:
    """Every element set of a TLE or OMM file, with one problem per bad record (the good ones
    are kept). The format is `fmt`, or told from the content."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(file, 0, 0, "", f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return [], [Problem(file, 0, 0, "", f"cannot read file: {exc.strerror or exc}")]
    kind = fmt or detect_format(text)
    if kind == "tle":
        return read_tle(text, file)
    return _omm_records(kind, text, file)


def kind_of(record: Record) -> Literal["payload", "rocket_body", "debris"]:
    if record.object_type and record.object_type.strip().upper() in OBJECT_TYPES:
        return OBJECT_TYPES[record.object_type.strip().upper()]
    name = f" {record.name.upper()} "
    if " DEB" in name:
        return "debris"
    if " R/B" in name or "ROCKET" in name:
        return "rocket_body"
    return "payload"


def records_to_objects(records: Iterable[Record], source: CatalogFile) -> list[SpaceObject]:
    return [
        SpaceObject(
            id=f"{source.id_prefix}-{record.norad}",
            name=record.name[:200],
            owner=source.owner,
            kind=source.kind or kind_of(record),
            orbit=TleOrbit(kind="tle", line1=record.line1, line2=record.line2),
        )
        for record in records
    ]


def satrec_of(orbit: KeplerianOrbit | TleOrbit | OmmOrbit, satnum: int) -> Satrec:
    """An sgp4 record of an orbit (Keplerian elements take their mean motion from a).

    `satnum` numbers an OMM without NORAD_CAT_ID and Keplerian elements; a TLE keeps its own.
    """
    if isinstance(orbit, TleOrbit):
        return Satrec.twoline2rv(orbit.line1, orbit.line2, WGS72)
    if isinstance(orbit, OmmOrbit):
        keywords = orbit.ccsds_keywords()
        if orbit.norad_cat_id is None:
            keywords["NORAD_CAT_ID"] = str(satnum)
        sat = Satrec()
        omm.initialize(sat, keywords)
        if not orbit.object_id:
            sat.intldesg = f"{orbit.epoch.year % 100:02d}001A"
        return sat
    epoch_days = (orbit.epoch - SGP4_EPOCH) / timedelta(days=1)
    no_kozai = wgs72.xke * (orbit.semi_major_axis_km / wgs72.radiusearthkm) ** -1.5
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", satnum, epoch_days, orbit.bstar_per_earth_radius, 0.0, 0.0,
        orbit.eccentricity, math.radians(orbit.arg_perigee_deg),
        math.radians(orbit.inclination_deg), math.radians(orbit.mean_anomaly_deg), no_kozai,
        math.radians(orbit.raan_deg),
    )
    sat.intldesg = f"{orbit.epoch.year % 100:02d}001A"
    return sat



TYPE_NAMES = {"payload": "PAYLOAD", "rocket_body": "ROCKET BODY", "debris": "DEBRIS"}


def write_catalog(objects: Sequence[SpaceObject], path: str | os.PathLike[str]) -> int:
    """Write objects as TLE (.tle/.txt), OMM CSV (.csv), NDM/XML (.xml), JSON (.json) or KVN
    (.kvn/.omm); return the count."""
    kind = format_of(path)
    sats = [(obj, satrec_of(obj.orbit, FIRST_NORAD_ID + n)) for n, obj in enumerate(objects)]
    if kind == "tle":
        text = "".join(
            "\n".join((obj.name, *exporter.export_tle(sat))) + "\n" for obj, sat in sats
        )
    else:
        rows = [
            OmmOut(omm_fields(sat, obj.name), user={"OBJECT_TYPE": TYPE_NAMES[obj.kind]}) for obj, sat in sats
        ]
        text = write_omm(rows, kind.removeprefix("omm_"), datetime.now(UTC))  # type: ignore[arg-type]
    Path(path).write_text(text, encoding="utf-8")
    return len(sats)


def expand_background(
    scenario: Scenario, base_dir: Path
) -> tuple[list[SpaceObject], list[tuple[int, Problem]]]:
    """The objects of every background_catalog source, and problems tagged with the source index."""
    objects: list[SpaceObject] = []
    problems: list[tuple[int, Problem]] = []
    for index, source in enumerate(scenario.background_catalog):
        if isinstance(source, SyntheticCatalog):
            epoch = source.epoch or scenario.start_time
            objects.extend(generate_catalog(source.count, source.seed, epoch, source.id_prefix))
            continue
        path = base_dir / source.file
        records, found = read_catalog(path, source.format)
        problems.extend((index, p) for p in found)
        if not records and not found:
            problems.append((index, Problem(os.fspath(path), 0, 0, "", "no element sets found")))
        objects.extend(records_to_objects(records, source))
    return objects, problems
