"""MSEL spreadsheet headers: aliases of each inject field, explicit mappings, and the mapping report."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FIELDS = (
    "serial", "id", "time", "move", "title", "trigger", "condition", "contingency", "type",
    "params", "target", "actor", "persona", "sender", "recipients", "channel", "text",
    "controller_notes", "releasability", "releasable_to", "expected_actions", "objectives",
)
"""The inject fields a spreadsheet column can fill, in export order. `time` is the scenario time."""

HEADERS: dict[str, str] = {
    "serial": "Event #", "id": "Inject ID", "time": "Scenario Time (UTC)", "move": "Move",
    "title": "Title", "trigger": "Trigger", "condition": "Condition", "contingency": "Contingency",
    "type": "Event Type", "params": "Parameters", "target": "Target", "actor": "Actor",
    "persona": "Persona", "sender": "From", "recipients": "To", "channel": "Method",
    "text": "Synopsis", "controller_notes": "Notes", "releasability": "Releasability",
    "releasable_to": "Releasable To", "expected_actions": "Expected Player Action",
    "objectives": "Objective / Core Capability",
}
"""The readable (HSEEP-style) header the export writes for each field."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("Event #", "Event No.", "Event Number", "Inject #", "Inject No", "Inject Number",
               "MSEL #", "MSEL No", "Serial", "Serial No", "#", "No.", "Number", "Seq", "Sequence"),
    "id": ("ID", "Inject ID", "Event ID", "MSEL ID", "Ref", "Reference", "Inject Ref"),
    "time": ("Time", "Scenario Time", "Scenario Time (UTC)", "Scenario Time (Z)", "Event Time",
             "Inject Time", "Date/Time", "Date Time", "DateTime", "DTG", "Date-Time Group",
             "Scheduled Time", "Delivery Time", "Game Time", "Exercise Time", "Time (UTC)", "Time (Z)"),
    "move": ("Move", "Move #", "Move No", "Turn", "Turn #"),
    "title": ("Title", "Subject", "Event Title", "Inject Title", "Short Title", "Headline",
              "Event Name", "Inject Name", "Name"),
    "trigger": ("Trigger", "Release", "Release Trigger", "Delivery Trigger", "Trigger Type"),
    "condition": ("Condition", "Trigger Condition", "Release Condition"),
    "contingency": ("Contingency", "Contingency Inject", "Contingency?", "Is Contingency"),
    "type": ("Type", "Event Type", "Inject Type", "Category", "Effect", "Effect Type", "Threat Type"),
    "params": ("Params", "Parameters", "Inject Parameters", "Effect Parameters"),
    "target": ("Target", "Target Object", "Target Satellite", "Target Asset", "Affected Asset",
               "Asset", "Satellite"),
    "actor": ("Actor", "Attributed To", "Perpetrator", "Responsible Nation", "Aggressor",
              "Originating Nation"),
    "persona": ("Persona", "Sender Persona", "Role Player"),
    "sender": ("Sender", "From", "Source", "Originator", "Sent By"),
    "recipients": ("Recipients", "Recipient", "To", "Player", "Players", "Audience", "Addressee",
                   "Addressees", "Intended Player", "Intended Players", "Receiving Team"),
    "channel": ("Channel", "Method", "Delivery Method", "Means", "Medium", "Mode of Delivery",
                "Delivery"),
    "text": ("Text", "Synopsis", "Event Synopsis", "Inject Synopsis", "Inject Text", "Description",
             "Event Description", "Message", "Inject", "Content", "Body", "Event Synopsis / Inject"),
    "controller_notes": ("Controller Notes", "Notes", "Note", "Remarks", "Controller Remarks",
                         "Comments", "Notes for Controllers", "Controller / Evaluator Notes"),
    "releasability": ("Releasability", "Marking", "Classification", "Caveat", "Release Marking",
                      "Dissemination"),
    "releasable_to": ("Releasable To", "Rel To", "Release To"),
    "expected_actions": ("Expected Actions", "Expected Action", "Expected Player Action",
                         "Expected Player Actions", "Expected Response", "Player Actions",
                         "Anticipated Player Response", "Expected Outcome"),
    "objectives": ("Objectives", "Objective", "Objective / Core Capability",
                   "Objectives / Core Capabilities", "Objective/Core Capability", "Core Capability",
                   "Core Capabilities", "Exercise Objective", "Exercise Objectives", "Capability",
                   "Capabilities"),
}
IGNORE = ("ignore", "-", "")
"""Targets of an explicit mapping (`--map "Column=ignore"`) that drop a column."""
HEADER_SEARCH_ROWS = 20
"""Rows searched for the header (banner rows above it are skipped and reported)."""


def normalize(header: str) -> str:
    """Case-, space- and punctuation-insensitive key of a header: 'Event #' and 'event no.' agree."""
    text = header.lower().replace("&", " and ").replace("#", " no ")
    text = re.sub(r"\b(number|num|nbr|no\.)", " no ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


ALIASES: dict[str, str] = {}
"""Normalized header -> field."""
for _field, _names in _ALIASES.items():
    for _name in (_field, *_names):
        ALIASES.setdefault(normalize(_name), _field)


@dataclass(frozen=True)
class ColumnMap:
    """One source column and the field it fills."""

    index: int
    """0-based column index in the sheet."""
    header: str
    field: str
    how: str
    """'alias' (a known header), 'name' (the field's own name) or 'mapping' (given explicitly)."""

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class MappingReport:
    """How a planner's spreadsheet was read: where the header was, which column fills which field."""

    file: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    banner_rows: list[tuple[int, str]] = field(default_factory=list)
    columns: list[ColumnMap] = field(default_factory=list)
    unmapped: list[tuple[int, str, str]] = field(default_factory=list)
    """(index, header, why) of columns whose cells are not read."""
    derived: list[str] = field(default_factory=list)
    """Fields no column fills and how they were made (id from Event #, title from Synopsis...)."""
    notes: list[str] = field(default_factory=list)
    rows: int = 0

    def header_of(self, name: str) -> str:
        """The planner's header of a field ('' when no column fills it)."""
        return next((c.header for c in self.columns if c.field == name), "")

    def column_of(self, name: str) -> int:
        """1-based sheet column of a field (0 when none)."""
        return next((c.index + 1 for c in self.columns if c.field == name), 0)

    def lines(self) -> list[str]:
        """The report as text, one line each (the CLI prints it)."""
        where = self.file + (f" (sheet {self.sheet!r})" if self.sheet else "")
        read_as = [f"{self.encoding}" if self.encoding else "", _delimiter_name(self.delimiter)]
        how = ", ".join(p for p in read_as if p)
        out = [f"Mapping report for {where}" + (f": {how}" if how else "")]
        for row, text in self.banner_rows:
            out.append(f"  row {row}: skipped above the header: {text!r}")
        out.append(f"  header: row {self.header_row}; {self.rows} inject rows below it")
        width = max((len(c.header) for c in self.columns), default=0) + 2
        for column in self.columns:
            label = f"{column.header!r}".ljust(width + 2)
            note = {"alias": "", "name": "", "mapping": "  (--map)"}[column.how]
            out.append(f"  {column.letter:>3} {label} -> {column.field}{note}")
        for index, header, why in self.unmapped:
            out.append(f"  {column_letter(index):>3} {header!r}: not read ({why})")
        out += [f"  {line}" for line in self.derived + self.notes]
        return out


def _delimiter_name(delimiter: str | None) -> str:
    names = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}
    return names.get(delimiter or "", "")


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`["Synopsis=text", "Ref=id"]` as {source header: field}; ValueError names a bad item."""
    mapping: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--map {item!r}: write COLUMN=FIELD, for example 'Synopsis=text'")
        source, target = (part.strip() for part in item.rsplit("=", 1))
        mapping[source] = target
    return mapping


def check_mapping(mapping: Mapping[str, str]) -> list[str]:
    """Problems of an explicit mapping's targets (unknown field names)."""
    return [
        f"mapping {source!r} -> {target!r}: {target!r} is not an inject field "
        f"(fields: {', '.join(FIELDS)}; or 'ignore')"
        for source, target in mapping.items()
        if target not in FIELDS and target.lower() not in IGNORE
    ]


def _target(header: str, mapping: Mapping[str, str]) -> tuple[str | None, str]:
    """(field or None, how) of one header under an explicit mapping and the aliases."""
    key = normalize(header)
    for source, target in mapping.items():
        if normalize(source) == key:
            return (None if target.lower() in IGNORE else target), "mapping"
    found = ALIASES.get(key)
    if found is None:
        return None, ""
    return found, "name" if key == normalize(found) else "alias"


def find_header(rows: Sequence[Sequence[str]], mapping: Mapping[str, str]) -> int | None:
    """Index of the header row: the first of the top rows naming the most known columns (two at
    least, or one explicitly mapped)."""
    best, best_count = None, 0
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        targets = [_target(cell, mapping) for cell in row if cell.strip()]
        count = len({t for t, _how in targets if t})
        enough = count >= 2 or any(how == "mapping" and t for t, how in targets)
        if enough and count > best_count:
            best, best_count = number, count
    return best


def map_columns(header: Sequence[str], mapping: Mapping[str, str], report: MappingReport) -> None:
    """Fill `report.columns` and `report.unmapped` from the header row; the first column of a
    field wins, later ones are listed as not read."""
    taken: dict[str, str] = {}
    used_mapping = set()
    for index, raw in enumerate(header):
        text = raw.strip()
        if not text:
            continue
        target, how = _target(text, mapping)
        if how == "mapping":
            used_mapping.add(normalize(text))
        if target is None:
            why = "ignored by --map" if how == "mapping" else "no inject field of that name; use --map"
            report.unmapped.append((index, text, why))
        elif target in taken:
            report.unmapped.append((index, text, f"{target} already comes from {taken[target]!r}"))
        else:
            taken[target] = text
            report.columns.append(ColumnMap(index, text, target, how))
    for source in mapping:
        if normalize(source) not in used_mapping:
            known = ", ".join(repr(h.strip()) for h in header if h.strip())
            raise ValueError(f"mapping names column {source!r}, which the header lacks (columns: {known})")
