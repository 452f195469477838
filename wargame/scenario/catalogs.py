"""Read and write TLE and OMM (CSV, XML) element-set files, and expand a scenario's background catalog."""

from __future__ import annotations

import csv
import io
import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from sgp4 import exporter, omm
from sgp4.api import WGS72, Satrec
from sgp4.earth_gravity import wgs72

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

CatalogFormat = Literal["tle", "omm_csv", "omm_xml"]
SUFFIX_FORMATS: dict[str, CatalogFormat] = {
    ".tle": "tle",
    ".txt": "tle",
    ".3le": "tle",
    ".csv": "omm_csv",
    ".xml": "omm_xml",
}
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


def format_of(path: str | os.PathLike[str], declared: CatalogFormat | None = None) -> CatalogFormat:
    if declared is not None:
        return declared
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise ValueError(f"cannot tell the catalog format of {path} (suffixes: {known})")
    return SUFFIX_FORMATS[suffix]


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
            norad = int(line[2:7])
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
    if not line1[2:7].strip().isdigit():
        return f"TLE catalog number {line1[2:7]!r} is not a number"
    return None


def _from_omm_fields(fields: dict[str, str], line: int, file: str) -> Record | Problem:
    try:
        sat = Satrec()
        omm.initialize(sat, fields)
        line1, line2 = exporter.export_tle(sat)
    except (KeyError, ValueError, TypeError) as exc:
        what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        return Problem(file, line, 1 if line else 0, "", f"invalid OMM record: {what}")
    name = (fields.get("OBJECT_NAME") or "").strip() or f"OBJECT {sat.satnum}"
    return Record(int(sat.satnum), name, line1, line2, fields.get("OBJECT_TYPE"), line)


def read_omm_csv(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for row_index, row in enumerate(csv.DictReader(io.StringIO(text))):
        fields = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        result = _from_omm_fields(fields, row_index + 2, file)
        (problems if isinstance(result, Problem) else records).append(result)  # type: ignore[arg-type]
    return records, problems


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_omm_xml(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """CCSDS OMM XML (an `ndm` of `omm` elements, or one `omm`); namespaces are ignored."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        return [], [Problem(file, line, col + 1, "", f"XML syntax error: {exc}")]
    records: list[Record] = []
    problems: list[Problem] = []
    segments = [e for e in root.iter() if _local(e.tag) == "segment"]
    if not segments:
        return [], [Problem(file, 1, 1, "", "no OMM <segment> element found")]
    for number, segment in enumerate(segments, start=1):
        fields: dict[str, str] = {}
        for element in segment.iter():
            if len(element) == 0 and element.text is not None:
                fields[_local(element.tag)] = element.text.strip()
        result = _from_omm_fields(fields, 0, file)
        if isinstance(result, Problem):
            message = f"segment {number}: {result.message}"
            problems.append(Problem(file, 0, 0, "", message))
        else:
            records.append(result)
    return records, problems


def read_catalog(
    path: str | os.PathLike[str], fmt: CatalogFormat | None = None
) -> tuple[list[Record], list[Problem]]:
    """Every element set of a TLE or OMM file, with one problem per bad record."""
    file = os.fspath(path)
    try:
        kind = format_of(path, fmt)
        text = Path(file).read_text(encoding="utf-8-sig")
    except ValueError as exc:
        return [], [Problem(file, 0, 0, "", str(exc))]
    except OSError as exc:
        return [], [Problem(file, 0, 0, "", f"cannot read file: {exc.strerror or exc}")]
    reader = {"tle": read_tle, "omm_csv": read_omm_csv, "omm_xml": read_omm_xml}[kind]
    return reader(text, file)


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
    """Write objects as TLE (.tle/.txt), OMM CSV (.csv) or OMM XML (.xml); return the count."""
    kind = format_of(path)
    sats = [(obj, satrec_of(obj.orbit, FIRST_NORAD_ID + n)) for n, obj in enumerate(objects)]
    if kind == "tle":
        text = "".join(
            "\n".join((obj.name, *exporter.export_tle(sat))) + "\n" for obj, sat in sats
        )
    else:
        rows = [
            {**exporter.export_omm(sat, obj.name), "OBJECT_TYPE": TYPE_NAMES[obj.kind]}
            for obj, sat in sats
        ]
        text = _omm_csv(rows) if kind == "omm_csv" else _omm_xml(rows)
    Path(path).write_text(text, encoding="utf-8")
    return len(sats)


def _omm_csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*OMM_FIELDS, "OBJECT_TYPE"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


_XML_GROUPS = {
    "metadata": ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
                 "MEAN_ELEMENT_THEORY"),
    "meanElements": ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                     "ARG_OF_PERICENTER", "MEAN_ANOMALY"),
    "tleParameters": ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO",
                      "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"),
}


OMM_FIELDS = tuple(key for keys in _XML_GROUPS.values() for key in keys)
"""Column order of the OMM CSV files this module writes."""


def _omm_xml(rows: list[dict[str, object]]) -> str:
    ndm = ET.Element("ndm")
    for row in rows:
        body = ET.SubElement(ET.SubElement(ndm, "omm", id="CCSDS_OMM_VERS", version="2.0"), "body")
        segment = ET.SubElement(body, "segment")
        metadata = ET.SubElement(segment, "metadata")
        data = ET.SubElement(segment, "data")
        for group, keys in _XML_GROUPS.items():
            parent = metadata if group == "metadata" else ET.SubElement(data, group)
            for key in keys:
                ET.SubElement(parent, key).text = str(row[key])
        user = ET.SubElement(data, "userDefinedParameters")
        ET.SubElement(user, "OBJECT_TYPE").text = str(row["OBJECT_TYPE"])
    ET.indent(ndm)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(ndm, encoding="unicode") + "\n"


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
