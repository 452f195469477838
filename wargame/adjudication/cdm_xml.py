"""CCSDS CDM 1.0 (508.0-B-1) in NDM/XML: write a Cdm as XML and read one back into the same structure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wargame.adjudication.ccsds import leaves, local, message_root, xml_text
from wargame.adjudication.cdm import Cdm, CdmObject, split_line

CDM_VERSION = "1.0"
HEADER_KEYS = ("CREATION_DATE", "ORIGINATOR", "MESSAGE_FOR", "MESSAGE_ID")
RELATIVE_KEYS = ("TCA", "MISS_DISTANCE", "RELATIVE_SPEED", "relativeStateVector", "START_SCREEN_PERIOD",
                 "STOP_SCREEN_PERIOD", "SCREEN_VOLUME_FRAME", "SCREEN_VOLUME_SHAPE", "SCREEN_VOLUME_X",
                 "SCREEN_VOLUME_Y", "SCREEN_VOLUME_Z", "SCREEN_ENTRY_TIME", "SCREEN_EXIT_TIME",
                 "COLLISION_PROBABILITY", "COLLISION_PROBABILITY_METHOD")
RELATIVE_STATE = tuple(f"RELATIVE_{q}_{a}" for q in ("POSITION", "VELOCITY") for a in "RTN")
METADATA_KEYS = ("OBJECT", "OBJECT_DESIGNATOR", "CATALOG_NAME", "OBJECT_NAME", "INTERNATIONAL_DESIGNATOR",
                 "OBJECT_TYPE", "OPERATOR_CONTACT_POSITION", "OPERATOR_ORGANIZATION", "OPERATOR_PHONE",
                 "OPERATOR_EMAIL", "EPHEMERIS_NAME", "COVARIANCE_METHOD", "MANEUVERABLE", "ORBIT_CENTER",
                 "REF_FRAME", "GRAVITY_MODEL", "ATMOSPHERIC_MODEL", "N_BODY_PERTURBATIONS",
                 "SOLAR_RAD_PRESSURE", "EARTH_TIDES", "INTRACK_THRUST")
OD_KEYS = ("TIME_LASTOB_START", "TIME_LASTOB_END", "RECOMMENDED_OD_SPAN", "ACTUAL_OD_SPAN", "OBS_AVAILABLE",
           "OBS_USED", "TRACKS_AVAILABLE", "TRACKS_USED", "RESIDUALS_ACCEPTED", "WEIGHTED_RMS")
ADDITIONAL_KEYS = ("AREA_PC", "AREA_DRG", "AREA_SRP", "MASS", "CD_AREA_OVER_MASS", "CR_AREA_OVER_MASS",
                   "THRUST_ACCELERATION", "SEDR")
STATE_KEYS = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
MANDATORY = ("CCSDS_CDM_VERS", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "TCA", "MISS_DISTANCE")
"""Keywords every CDM has (with, for each object, its metadata, state and 6x6 covariance)."""
OBJECT_MANDATORY = ("OBJECT", "OBJECT_DESIGNATOR", "CATALOG_NAME", "OBJECT_NAME", "INTERNATIONAL_DESIGNATOR",
                    "EPHEMERIS_NAME", "COVARIANCE_METHOD", "MANEUVERABLE", "REF_FRAME", *STATE_KEYS,
                    "CR_R", "CT_R", "CT_T", "CN_R", "CN_T", "CN_N")


def _add(parent: ET.Element, key: str, value: str, unit: str) -> None:
    element = ET.SubElement(parent, key)
    element.text = value
    if unit:
        element.set("units", unit)


def _comment_text(key: str, value: str, unit: str) -> str:
    """A KVN comment as XML COMMENT text: CARA's 'COMMENT HBR = 15' keeps its words."""
    if key == "COMMENT":
        return value
    return f"{key.removeprefix('COMMENT').strip()} = {value}" + (f" [{unit}]" if unit else "")


def write_cdm_xml(cdm: Cdm) -> str:
    """The CDM as a `<cdm>` NDM/XML document: header, relative metadata, then each object's
    segment (metadata; data: OD parameters, additional parameters, state vector, covariance)."""
    root = message_root("cdm", CDM_VERSION)
    header = ET.SubElement(root, "header")
    body = ET.SubElement(root, "body")
    relative = ET.SubElement(body, "relativeMetadataData")
    in_header = True
    relative_state: ET.Element | None = None
    for key, value, unit in cdm.header:
        if key == "CCSDS_CDM_VERS":
            continue
        if key.startswith("COMMENT"):
            _add(header if in_header else relative, "COMMENT", _comment_text(key, value, unit), "")
        elif key in HEADER_KEYS:
            _add(header, key, value, unit)
            in_header = key != "MESSAGE_ID"
        elif key in RELATIVE_STATE:
            if relative_state is None:
                relative_state = ET.SubElement(relative, "relativeStateVector")
            _add(relative_state, key, value, unit)
        else:
            _add(relative, key, value, unit)
    for obj in cdm.objects:
        segment = ET.SubElement(body, "segment")
        metadata = ET.SubElement(segment, "metadata")
        data = ET.SubElement(segment, "data")
        groups: dict[str, ET.Element] = {}
        for key, value, unit in obj.fields:
            if key.startswith("COMMENT"):
                _add(metadata if not groups else data, "COMMENT", _comment_text(key, value, unit), "")
                continue
            if key in METADATA_KEYS:
                _add(metadata, key, value, unit)
                continue
            group = ("odParameters" if key in OD_KEYS else "additionalParameters" if key in ADDITIONAL_KEYS
                     else "stateVector" if key in STATE_KEYS else "covarianceMatrix")
            if group not in groups:
                groups[group] = ET.SubElement(data, group)
            _add(groups[group], key, value, unit)
    return xml_text(root)


def parse_cdm_xml(text: str) -> Cdm:
    """A `<cdm>` document (alone or the first in an `<ndm>`) as a Cdm: header and relative
    metadata into `header`, each segment into an object. ValueError names what is missing."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"XML syntax error: {exc}") from None
    message = root if local(root.tag) == "cdm" else next((e for e in root if local(e.tag) == "cdm"), None)
    if message is None:
        raise ValueError(f"no <cdm> message in <{local(root.tag)}>")
    cdm = Cdm(header=[("CCSDS_CDM_VERS", message.get("version", ""), "")])
    parts = {local(e.tag): e for e in message}
    body = parts.get("body")
    if "header" not in parts or body is None:
        raise ValueError("a <cdm> has a <header> and a <body>")
    cdm.header += leaves(parts["header"])
    for element in body:
        name = local(element.tag)
        if name == "relativeMetadataData":
            cdm.header += leaves(element)
        elif name == "segment":
            cdm.objects.append(CdmObject(fields=leaves(element)))
    if len(cdm.objects) != 2:
        raise ValueError(f"a CDM has two objects, found {len(cdm.objects)}")
    cdm.header = [_comment(item) for item in cdm.header]
    for obj in cdm.objects:
        obj.fields = [_comment(item) for item in obj.fields]
    return cdm


def _comment(item: tuple[str, str, str]) -> tuple[str, str, str]:
    """A comment read as the KVN reader keeps it: CARA's 'HBR = 15' as ('COMMENT HBR', '15', '')."""
    key, value, _unit = item
    if key != "COMMENT" or "=" not in value:
        return item
    return split_line(f"COMMENT {value}") or item


def missing_keywords(cdm: Cdm) -> list[str]:
    """Mandatory keywords (508.0-B-1) a CDM lacks, as 'KEY' or 'OBJECTn KEY'."""
    have = {k for k, _v, _u in cdm.header}
    missing = [k for k in MANDATORY if k not in have]
    for number, obj in enumerate(cdm.objects, start=1):
        keys = {k for k, _v, _u in obj.fields}
        missing += [f"OBJECT{number} {k}" for k in OBJECT_MANDATORY if k not in keys]
    return missing
