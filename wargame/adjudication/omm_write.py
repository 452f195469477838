"""Write Orbit Mean-Elements Messages: CCSDS OMM 3.0 in KVN and NDM/XML, and CelesTrak-style JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sgp4 import exporter
from sgp4.api import Satrec

from wargame.adjudication.ccsds import ORIGINATOR, ccsds_time, kvn_line, ndm_root, xml_text
from wargame.adjudication.omm import UNITS

OMM_VERSION = "3.0"
OmmFormat = Literal["kvn", "xml", "json", "csv"]
FORMATS: tuple[OmmFormat, ...] = ("kvn", "xml", "json", "csv")
METADATA = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY")
MEAN_ELEMENTS = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                 "ARG_OF_PERICENTER", "MEAN_ANOMALY")
TLE_PARAMETERS = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH",
                  "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
CELESTRAK_COLUMNS = ("OBJECT_NAME", "OBJECT_ID", *MEAN_ELEMENTS, *TLE_PARAMETERS)
"""CelesTrak's JSON keys and CSV columns, in its order (no metadata: it is always SGP4/TEME/UTC)."""
UNKNOWN_DESIGNATOR = "UNKNOWN"
"""OBJECT_ID of an object without an international designator (KVN and XML need a value)."""


@dataclass(frozen=True)
class OmmOut:
    """One element set to write: its keywords, comments and user-defined parameters."""

    fields: dict[str, object]
    comments: tuple[str, ...] = ()
    user: dict[str, str] = field(default_factory=dict)


def omm_fields(sat: Satrec, name: str) -> dict[str, object]:
    """The OMM keywords of an sgp4 record; a blank or odd international designator gives an
    empty OBJECT_ID instead of an error."""
    designator = (sat.intldesg or "").strip()
    if re.fullmatch(r"\d{5}[A-Z]{0,3}", designator):
        return dict(exporter.export_omm(sat, name))
    sat.intldesg = "00001A"  # any parseable value; replaced below
    try:
        fields = dict(exporter.export_omm(sat, name))
    finally:
        sat.intldesg = designator
    fields["OBJECT_ID"] = ""
    return fields


def _text(key: str, value: object) -> str:
    if key == "OBJECT_ID" and not value:
        return UNKNOWN_DESIGNATOR
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_kvn(records: Sequence[OmmOut], created: datetime, originator: str = ORIGINATOR) -> str:
    """One KVN message per element set, separated by a blank line."""
    messages = []
    for record in records:
        lines = [kvn_line("CCSDS_OMM_VERS", OMM_VERSION), kvn_line("CREATION_DATE", ccsds_time(created)),
                 kvn_line("ORIGINATOR", originator), ""]
        lines += [kvn_line(k, _text(k, record.fields[k])) for k in METADATA]
        lines.append("")
        lines += [f"COMMENT {c}" for c in record.comments]
        for key in (*MEAN_ELEMENTS, *TLE_PARAMETERS):
            lines.append(kvn_line(key, _text(key, record.fields[key]), UNITS.get(key, "")))
        lines += [kvn_line(f"USER_DEFINED_{k}", v) for k, v in record.user.items()]
        messages.append("\n".join(lines) + "\n")
    return "\n".join(messages)


def write_xml(records: Sequence[OmmOut], created: datetime, originator: str = ORIGINATOR) -> str:
    """NDM/XML 4.0: an `<ndm>` of OMM 3.0 messages, each with its header."""
    root = ndm_root()
    for record in records:
        message = ET.SubElement(root, "omm", id="CCSDS_OMM_VERS", version=OMM_VERSION)
        header = ET.SubElement(message, "header")
        ET.SubElement(header, "CREATION_DATE").text = ccsds_time(created)
        ET.SubElement(header, "ORIGINATOR").text = originator
        segment = ET.SubElement(ET.SubElement(message, "body"), "segment")
        metadata = ET.SubElement(segment, "metadata")
        for key in METADATA:
            ET.SubElement(metadata, key).text = _text(key, record.fields[key])
        data = ET.SubElement(segment, "data")
        for comment in record.comments:
            ET.SubElement(data, "COMMENT").text = comment
        for group, keys in (("meanElements", MEAN_ELEMENTS), ("tleParameters", TLE_PARAMETERS)):
            parent = ET.SubElement(data, group)
            for key in keys:
                element = ET.SubElement(parent, key)
                element.text = _text(key, record.fields[key])
                if key in UNITS:
                    element.set("units", UNITS[key])
        if record.user:
            user = ET.SubElement(data, "userDefinedParameters")
            for key, value in record.user.items():
                ET.SubElement(user, "USER_DEFINED", parameter=key).text = value
    return xml_text(root)


def write_json(records: Sequence[OmmOut]) -> str:
    """CelesTrak-style JSON: a list of objects, numbers as numbers, user parameters as extra keys."""
    items = [{**{k: r.fields[k] for k in CELESTRAK_COLUMNS}, **r.user} for r in records]
    return json.dumps(items, ensure_ascii=False) + "\n"


def write_csv(records: Sequence[OmmOut]) -> str:
    """CelesTrak-style CSV: its columns, then the user parameters' columns."""
    extra = list(dict.fromkeys(k for r in records for k in r.user))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CELESTRAK_COLUMNS, *extra])
    for r in records:
        writer.writerow([_csv(r.fields[k]) for k in CELESTRAK_COLUMNS] + [r.user.get(k, "") for k in extra])
    return out.getvalue()


def _csv(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def write_omm(records: Sequence[OmmOut], fmt: OmmFormat, created: datetime) -> str:
    if fmt == "kvn":
        return write_kvn(records, created)
    if fmt == "xml":
        return write_xml(records, created)
    return write_json(records) if fmt == "json" else write_csv(records)
