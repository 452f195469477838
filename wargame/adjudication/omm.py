"""Read CCSDS Orbit Mean-Elements Messages (502.0-B-3): KVN, XML, CelesTrak JSON and CSV, record by record."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from sgp4 import exporter, omm
from sgp4.api import Satrec

from wargame.adjudication.ccsds import KvnLine, UnitError, kvn_lines, leaves, local, parse_ccsds_time, to_unit

HEADER_KEYS = ("CCSDS_OMM_VERS", "CLASSIFICATION", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID")
METADATA_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH", "TIME_SYSTEM",
                 "MEAN_ELEMENT_THEORY")
MEAN_ELEMENT_KEYS = ("EPOCH", "SEMI_MAJOR_AXIS", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
                     "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "GM")
SPACECRAFT_KEYS = ("MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF")
TLE_KEYS = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH",
            "BSTAR", "BTERM", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT", "AGOM")
KEYWORDS = frozenset((*HEADER_KEYS, *METADATA_KEYS, *MEAN_ELEMENT_KEYS, *SPACECRAFT_KEYS, *TLE_KEYS,
                      "COV_REF_FRAME"))
"""Every keyword of an OMM (502.0-B-3), covariance terms (CX_X ... CZ_DOT_Z_DOT) apart."""
_COVARIANCE = re.compile(r"^C[XYZ](?:_DOT)?_[XYZ](?:_DOT)?$")
MANDATORY = ("CCSDS_OMM_VERS", "CREATION_DATE", "ORIGINATOR", "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME",
             "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY", "EPOCH", "ECCENTRICITY", "INCLINATION",
             "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY")
"""Keywords a KVN or XML OMM must have (and MEAN_MOTION, which SGP4 elements use)."""
ELEMENTS = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
            "MEAN_ANOMALY")
"""What every form must give: SGP4 mean elements (CelesTrak's JSON and CSV carry no metadata)."""
UNITS = {"MEAN_MOTION": "rev/day", "INCLINATION": "deg", "RA_OF_ASC_NODE": "deg", "ARG_OF_PERICENTER": "deg",
         "MEAN_ANOMALY": "deg", "SEMI_MAJOR_AXIS": "km", "GM": "km**3/s**2", "BSTAR": "1/ER",
         "MEAN_MOTION_DOT": "rev/day**2", "MEAN_MOTION_DDOT": "rev/day**3"}
METADATA_VALUES = {"CENTER_NAME": ("EARTH",), "REF_FRAME": ("TEME",), "TIME_SYSTEM": ("UTC",),
                   "MEAN_ELEMENT_THEORY": ("SGP4", "SGP/SGP4"), "EPHEMERIS_TYPE": ("0",)}
"""The only values this server propagates (SGP4 mean elements in TEME, UTC epochs)."""
VERSIONS = ("1.0", "2.0", "3.0")
DEFAULTS = {"CLASSIFICATION_TYPE": "U", "EPHEMERIS_TYPE": "0", "ELEMENT_SET_NO": "999", "REV_AT_EPOCH": "0",
            "BSTAR": "0", "MEAN_MOTION_DOT": "0", "MEAN_MOTION_DDOT": "0", "OBJECT_ID": ""}
MAX_CATALOG_NUMBER = 339_999
"""The largest catalog number a TLE holds (Alpha-5: Z9999)."""


@dataclass
class OmmRecord:
    """One element set read: its position in the file (1-based index; line for text forms) and
    its keywords as text."""

    index: int
    line: int
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fields.get("OBJECT_NAME") or self.fields.get("NORAD_CAT_ID") or ""


@dataclass(frozen=True)
class BadRecord:
    """A record that was not read, and why."""

    index: int
    line: int
    name: str
    reason: str

    def __str__(self) -> str:
        what = f"record {self.index}" + (f" ({self.name})" if self.name else "")
        return f"{what}: {self.reason}"


Read = tuple[list[OmmRecord], list[BadRecord]]


def checked(records: list[OmmRecord], strict: bool, bad: list[BadRecord] | None = None) -> Read:
    """The records whose keywords are complete and usable, and a BadRecord for each other one.
    `strict` (KVN, XML) also wants every mandatory keyword of the standard."""
    good: list[OmmRecord] = []
    bad = list(bad or [])
    for record in records:
        problem = record_problem(record.fields, strict)
        if problem is None:
            good.append(record)
        else:
            bad.append(BadRecord(record.index, record.line, record.name, problem))
    return good, sorted(bad, key=lambda b: b.index)


def record_problem(fields: dict[str, str], strict: bool) -> str | None:
    """Why a record's keywords cannot be read as SGP4 elements (None: they can)."""
    wanted = MANDATORY if strict else ELEMENTS
    missing = [k for k in (*wanted, "MEAN_MOTION") if not fields.get(k)]
    if "MEAN_MOTION" in missing and fields.get("SEMI_MAJOR_AXIS"):
        return "SEMI_MAJOR_AXIS is given instead of MEAN_MOTION: SGP4 elements use the mean motion"
    if missing:
        return f"missing {', '.join(dict.fromkeys(missing))}"
    for key, allowed in METADATA_VALUES.items():
        value = fields.get(key, "").strip().upper()
        if value and value not in allowed:
            return f"{key} is {fields[key]!r}; only {' or '.join(allowed)} is read (SGP4 mean elements)"
    try:
        satrec_of_fields(fields)
    except (ValueError, KeyError, TypeError) as exc:
        return str(exc)
    return None


def satrec_of_fields(fields: dict[str, str]) -> Satrec:
    """An sgp4 record of an OMM's keywords (defaults for the optional TLE parameters).

    ValueError names a keyword that is missing or not a number, or a catalog number too large."""
    values = {**DEFAULTS, **{k: v for k, v in fields.items() if v != ""}}
    if "NORAD_CAT_ID" not in values:
        raise ValueError("missing NORAD_CAT_ID (object ids are made from the catalog number)")
    for key in (*ELEMENTS[1:], "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"):
        try:
            float(values[key])
        except ValueError:
            raise ValueError(f"{key} {values[key]!r} is not a number") from None
    for key in ("NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "EPHEMERIS_TYPE"):
        if not re.fullmatch(r"\d+", values[key].strip().removesuffix(".0")):
            raise ValueError(f"{key} {values[key]!r} is not a whole number")
        values[key] = values[key].strip().removesuffix(".0")
    if int(values["NORAD_CAT_ID"]) > MAX_CATALOG_NUMBER:
        raise ValueError(f"NORAD_CAT_ID {values['NORAD_CAT_ID']} is above {MAX_CATALOG_NUMBER}, "
                         "the largest a TLE can hold (Alpha-5 Z9999)")
    try:
        values["EPOCH"] = parse_ccsds_time(values["EPOCH"]).strftime("%Y-%m-%dT%H:%M:%S.%f")
    except ValueError:
        raise ValueError(f"EPOCH {values['EPOCH']!r} is not a CCSDS time (YYYY-MM-DDThh:mm:ss)") from None
    designator = values["OBJECT_ID"].strip()
    values["OBJECT_ID"] = designator if re.fullmatch(r"\d{4}-\d{3}[A-Z]{0,3}", designator) else ""
    eccentricity = float(values["ECCENTRICITY"])
    if not 0.0 <= eccentricity < 1.0 or float(values["MEAN_MOTION"]) <= 0.0:
        raise ValueError("ECCENTRICITY must be in [0, 1) and MEAN_MOTION positive")
    sat = Satrec()
    omm.initialize(sat, values)
    exporter.export_tle(sat)  # raises on values a TLE cannot hold
    return sat


def _units_problem(lines: list[tuple[str, str, str]]) -> str | None:
    for key, value, unit in lines:
        if key in UNITS and unit:
            try:
                to_unit(key, value or "0", unit, UNITS[key])
            except UnitError as exc:
                return str(exc)
            except ValueError:
                return f"{key} {value!r} is not a number"
    return None


def read_json(text: str) -> Read:
    """CelesTrak's `FORMAT=json`: a list of objects keyed by the OMM keywords (one object alone too)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [BadRecord(0, exc.lineno, "", f"not JSON: {exc.msg} (line {exc.lineno})")]
    items = data if isinstance(data, list) else [data]
    records: list[OmmRecord] = []
    bad: list[BadRecord] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append(BadRecord(index, 0, "", f"a {type(item).__name__}, not an object of OMM keywords"))
            continue
        fields = {str(k).strip().upper(): "" if v is None else str(v).strip() for k, v in item.items()}
        records.append(OmmRecord(index, 0, fields))
    return checked(records, strict=False, bad=bad)


def read_csv(text: str) -> Read:
    """CelesTrak's `FORMAT=csv`: a header of OMM keywords, one element set per row."""
    records = []
    reader = csv.DictReader(io.StringIO(text))
    start = 1
    for index, row in enumerate(reader, start=1):
        fields = {k.strip().upper(): (v or "").strip() for k, v in row.items() if k}
        records.append(OmmRecord(index, start + 1, fields))
        start = reader.line_num
    return checked(records, strict=False)


def read_kvn(text: str) -> Read:
    """One or more KVN messages, each from its CCSDS_OMM_VERS line; a bad message is reported
    and the others kept."""
    chunks: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip().startswith("CCSDS_OMM_VERS") or not chunks:
            chunks.append((number, []))
        chunks[-1][1].append(raw)
    records: list[OmmRecord] = []
    bad: list[BadRecord] = []
    index = 0
    for first, lines in chunks:
        if not any(line.strip() for line in lines):
            continue
        index += 1
        try:
            parsed = kvn_lines("\n".join(lines), first)
        except ValueError as exc:
            bad.append(BadRecord(index, first, "", str(exc)))
            continue
        record = OmmRecord(index, first, {})
        problem = _kvn_problem(parsed, record)
        if problem is not None:
            bad.append(BadRecord(index, first, record.name, problem))
        else:
            records.append(record)
    return checked(records, strict=True, bad=bad)


def _kvn_problem(parsed: list[KvnLine], record: OmmRecord) -> str | None:
    if not parsed or parsed[0].key != "CCSDS_OMM_VERS":
        return "does not start with CCSDS_OMM_VERS"
    for item in parsed:
        if item.key == "COMMENT":
            continue
        if not _known(item.key):
            return f"line {item.line}: {item.key} is not an OMM keyword"
        if item.key in record.fields:
            return f"line {item.line}: {item.key} is given twice"
        record.fields[item.key] = item.value
    if record.fields["CCSDS_OMM_VERS"] not in VERSIONS:
        return f"CCSDS_OMM_VERS {record.fields['CCSDS_OMM_VERS']!r} is not one of {', '.join(VERSIONS)}"
    return _units_problem([(i.key, i.value, i.unit) for i in parsed])


def _known(key: str) -> bool:
    return key in KEYWORDS or bool(_COVARIANCE.match(key)) or key.startswith("USER_DEFINED_")


def read_xml(text: str) -> Read:
    """CCSDS NDM/XML: an `<ndm>` of `<omm>` messages, or one `<omm>`; namespaces ignored."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return [], [BadRecord(0, exc.position[0], "", f"XML syntax error: {exc}")]
    messages = [root] if local(root.tag) == "omm" else [e for e in root if local(e.tag) == "omm"]
    if not messages:
        return [], [BadRecord(0, 1, "", f"no <omm> message in <{local(root.tag)}>")]
    records: list[OmmRecord] = []
    bad: list[BadRecord] = []
    for index, message in enumerate(messages, start=1):
        found = leaves(message)
        fields = {name: value for name, value, _unit in found if name != "COMMENT"}
        fields["CCSDS_OMM_VERS"] = message.get("version", "")
        record = OmmRecord(index, 0, fields)
        segments = [e for e in message.iter() if local(e.tag) == "segment"]
        unknown = [n for n, _v, _u in found if not _known(n) and n != "COMMENT"]
        problem = (
            "has no <segment>" if len(segments) != 1 else
            f"version {fields['CCSDS_OMM_VERS']!r} is not one of {', '.join(VERSIONS)}"
            if fields["CCSDS_OMM_VERS"] not in VERSIONS else
            f"<{unknown[0]}> is not an OMM keyword" if unknown else _units_problem(found)
        )
        if problem is not None:
            bad.append(BadRecord(index, 0, record.name, problem))
        else:
            records.append(record)
    return checked(records, strict=True, bad=bad)
