"""CCSDS Navigation Data Message plumbing: KVN lines, units, NDM/XML roots and CCSDS times."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NDM_XSD = "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-4.0.0-master-4.0.xsd"
"""NDM/XML 4.0 (OMM 3.0, CDM 1.0), unqualified: the elements have no namespace."""
ORIGINATOR = "WARGAME"
"""ORIGINATOR of the messages the server writes (exercise data)."""

UNIT_SCALES: dict[str, dict[str, float]] = {
    "km": {"km": 1.0, "m": 1e-3},
    "m": {"m": 1.0, "km": 1e3},
    "km/s": {"km/s": 1.0, "m/s": 1e-3},
    "m/s": {"m/s": 1.0, "km/s": 1e3},
    "m**2": {"m**2": 1.0, "km**2": 1e6},
    "m**2/s": {"m**2/s": 1.0, "km**2/s": 1e6},
    "m**2/s**2": {"m**2/s**2": 1.0, "km**2/s**2": 1e6},
    "deg": {"deg": 1.0},
    "rev/day": {"rev/day": 1.0},
    "rev/day**2": {"rev/day**2": 1.0},
    "rev/day**3": {"rev/day**3": 1.0},
    "1/ER": {"1/er": 1.0},
    "km**3/s**2": {"km**3/s**2": 1.0},
    "s": {"s": 1.0},
    "%": {"%": 1.0},
}
"""For each unit a standard prescribes: the units a file may write instead, and the factor that
turns a value in them into the prescribed unit. Spellings are compared without case or spaces."""


def _spelling(unit: str) -> str:
    return re.sub(r"\s+", "", unit).lower().replace("^", "**")


class UnitError(ValueError):
    """A value's unit is not the prescribed one nor a convertible alternative."""


def to_unit(key: str, value: str, unit: str, wanted: str) -> float:
    """`value` (written in `unit`, '' meaning the prescribed one) as a number in `wanted`."""
    number = float(value)
    if not unit:
        return number
    scales = {_spelling(k): v for k, v in UNIT_SCALES[wanted].items()}
    factor = scales.get(_spelling(unit))
    if factor is None:
        allowed = ", ".join(f"[{u}]" for u in UNIT_SCALES[wanted])
        raise UnitError(f"{key} is in [{unit}]; expected {allowed}")
    return number * factor


@dataclass(frozen=True)
class KvnLine:
    """One keyword line of a KVN message: keyword, value, unit ('' when none), file line."""

    key: str
    value: str
    unit: str
    line: int


def kvn_lines(text: str, first_line: int = 1) -> list[KvnLine]:
    """Keyword lines of KVN text. COMMENT lines come back with key COMMENT; blank lines are
    skipped; a line that is neither raises ValueError naming its line."""
    out: list[KvnLine] = []
    for number, raw in enumerate(text.splitlines(), start=first_line):
        line = raw.strip()
        if not line:
            continue
        if line == "COMMENT" or line.startswith("COMMENT "):
            out.append(KvnLine("COMMENT", line[7:].strip(), "", number))
            continue
        if "=" not in line:
            raise ValueError(f"line {number}: {line[:40]!r} is not 'KEYWORD = value'")
        key, rest = (part.strip() for part in line.split("=", 1))
        unit = ""
        found = re.match(r"^(.*?)\s*\[([^\]]*)\]$", rest)
        if found:
            rest, unit = found.group(1), found.group(2).strip()
        out.append(KvnLine(" ".join(key.split()), rest, unit, number))
    return out


def kvn_line(key: str, value: object, unit: str = "") -> str:
    """`KEY = value [unit]`, keywords padded as CCSDS examples show them."""
    return f"{key:<20} = {value}" + (f" [{unit}]" if unit else "")


def ccsds_time(moment: datetime, digits: int = 6) -> str:
    """CCSDS ASCII time code A (YYYY-MM-DDThh:mm:ss.d...), UTC, `digits` decimals of a second."""
    utc = moment.astimezone(UTC)
    fraction = f"{utc.microsecond:06d}"[:digits]
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if digits else "")


def parse_ccsds_time(text: str) -> datetime:
    """A CCSDS time (code A, or day-of-year YYYY-DDDThh:mm:ss), read as UTC."""
    value = text.strip().removesuffix("Z")
    if re.match(r"^\d{4}-\d{3}T", value):
        head, _, fraction = value.partition(".")
        moment = datetime.strptime(head, "%Y-%jT%H:%M:%S").replace(tzinfo=UTC)
        return moment.replace(microsecond=int((fraction + "000000")[:6]) if fraction else 0)
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ndm_root() -> ET.Element:
    """An empty `<ndm>` combined instantiation with its schema location."""
    ET.register_namespace("xsi", XSI)
    return ET.Element("ndm", {f"{{{XSI}}}noNamespaceSchemaLocation": NDM_XSD})


def message_root(tag: str, version: str) -> ET.Element:
    """A single `<omm>` or `<cdm>` document root with its id, version and schema location."""
    ET.register_namespace("xsi", XSI)
    return ET.Element(tag, {f"{{{XSI}}}noNamespaceSchemaLocation": NDM_XSD,
                            "id": f"CCSDS_{tag.upper()}_VERS", "version": version})


def xml_text(root: ET.Element) -> str:
    """The document with its XML declaration, indented."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def local(tag: str) -> str:
    """An element's name without its namespace (qualified and unqualified NDM/XML alike)."""
    return tag.rsplit("}", 1)[-1]


def leaves(element: ET.Element) -> list[tuple[str, str, str]]:
    """(name, text, units attribute) of every leaf element under `element`, in document order;
    a USER_DEFINED leaf is named USER_DEFINED_<parameter>."""
    out = []
    for item in element.iter():
        if len(item) or item is element:
            continue
        name = local(item.tag)
        if name == "USER_DEFINED":
            name = f"USER_DEFINED_{item.get('parameter', '')}"
        out.append((name, (item.text or "").strip(), item.get("units", "")))
    return out
