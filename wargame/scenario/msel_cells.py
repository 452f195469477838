"""One MSEL row's cells as inject fields: tolerant values, names resolved against the scenario."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from wargame.domain.scenario_model import Scenario
from wargame.scenario.msel_columns import MappingReport
from wargame.scenario.msel_read import cell_text
from wargame.scenario.msel_values import (
    CellValue,
    elapsed_hours,
    inject_type,
    move_and_offset,
    releasability,
    trigger,
    yes_no,
)

ALL_WORDS = {"all", "all players", "all teams", "all nations", "everyone", "all participants", "all play"}
"""A `To` cell naming every played nation (stored as no recipients)."""
TITLE_LENGTH = 120
"""Longest title made from a synopsis (cut at a word, with an ellipsis)."""
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_LIST_SPLIT = re.compile(r"\s*(?:[,;\n]|\s/\s)\s*")


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


class CellReader:
    """Converts rows of one sheet; remembers which defaults it applied, for the mapping report."""

    def __init__(self, scenario: Scenario, report: MappingReport) -> None:
        self.scenario = scenario
        self.report = report
        self.mapped = {c.field for c in report.columns}
        nations = {n.id.lower(): n.id for n in scenario.nations}
        nations.update({_key(n.name): n.id for n in scenario.nations})
        self.nations = nations
        self.personas = {p.id.lower(): p.id for p in scenario.personas}
        self.personas.update({_key(p.name): p.id for p in scenario.personas})
        objectives: dict[str, list[str]] = {}
        for objective in scenario.objectives:
            for name in (objective.id, objective.capability or "", objective.text):
                if name:
                    objectives.setdefault(_key(name), []).append(objective.id)
        self.objectives = objectives
        self._objects: dict[str, str] | None = None
        self._zone_assumed = 0
        self._persona_from_sender = 0

    @property
    def objects(self) -> dict[str, str]:
        if self._objects is None:
            found = {o.id.lower(): o.id for o in self.scenario.objects}
            found.update({_key(o.name): o.id for o in self.scenario.objects if _key(o.name) not in found})
            self._objects = found
        return self._objects

    def row(self, cells: dict[str, CellValue], order: int) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """(inject data, [(field, message)]) of one row; `order` numbers the row among the injects."""
        data: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for name, value in cells.items():
            text = cell_text(value).strip()
            if not text or name == "time":
                continue
            try:
                self._field(name, value, text, data)
            except ValueError as exc:
                problems.append((name, str(exc)))
        if cells.get("time") is not None and cell_text(cells["time"]).strip():
            try:
                hours, note = elapsed_hours(cells["time"], self.scenario)
            except ValueError as exc:
                problems.append(("time", str(exc)))
            else:
                self._zone_assumed += note is not None
                move, offset = move_and_offset(hours, self.scenario)
                if "move" in data and data["move"] != move:
                    problems.append(("move", f"{data['move']!r}: the time {cell_text(cells['time'])!r} "
                                             f"falls in move {move}, not {data['move']}"))
                data["move"], data["offset_hours"] = move, offset
        self._defaults(data, cells, order)
        return data, problems

    def _field(self, name: str, value: CellValue, text: str, data: dict[str, Any]) -> None:
        if name in ("serial", "move"):
            number = _whole(value, text)
            if number is None:
                if name == "serial" and "id" not in self.mapped:
                    data["_event"] = text
                    return
                raise ValueError(f"{text!r} is not a whole number")
            data[name] = number
            if name == "serial":
                data["_event"] = str(number)
        elif name == "contingency":
            data[name] = yes_no(text)
        elif name == "type":
            data[name] = inject_type(text)
        elif name == "trigger":
            data[name] = trigger(text)
        elif name == "releasability":
            marking, named = releasability(text)
            data[name] = marking
            if named:
                data["releasable_to"] = [self._nation(n, groups=True) for n in named]
        elif name in ("params", "condition"):
            data[name] = _mapping(text)
        elif name == "recipients":
            data[name] = [] if _key(text) in ALL_WORDS else [self._nation(p) for p in _parts(text)]
        elif name == "releasable_to":
            data[name] = [self._nation(p, groups=True) for p in _parts(text)]
        elif name == "objectives":
            data[name] = [o for part in _parts(text) for o in self.objectives.get(_key(part), [part])]
        elif name == "expected_actions":
            data[name] = (json.loads(text) if text.startswith("[") else
                          [_BULLET.sub("", line) for line in cell_text(value).split("\n") if line.strip()])
        elif name in ("actor",):
            data[name] = self._nation(text)
        elif name == "target":
            data[name] = self.objects.get(_key(text), text)
        elif name == "persona":
            data[name] = self.personas.get(_key(text), text)
        elif name == "id":
            data[name] = text
        else:
            data[name] = cell_text(value)

    def _nation(self, text: str, groups: bool = False) -> str:
        """The id of a nation named by id or name (any case); with `groups`, a group too."""
        found = self.nations.get(_key(text))
        if found is not None:
            return found
        known = {g.lower(): g for n in self.scenario.nations for g in n.groups} if groups else {}
        if _key(text) in known:
            return known[_key(text)]
        names = ", ".join(f"{n.id} ({n.name})" for n in self.scenario.nations)
        raise ValueError(f"{text.strip()!r} is not a nation of the scenario: {names}")

    def _defaults(self, data: dict[str, Any], cells: dict[str, CellValue], order: int) -> None:
        """Fields no column gives: id from the Event #, title from the synopsis, serial from the
        row order, trigger from the time, persona from a `From` naming one."""
        event = data.pop("_event", None)
        if "id" not in self.mapped:
            data["id"] = _id_of(event, order)
        if "serial" not in data and "serial" not in self.mapped:
            data["serial"] = order
        elif "serial" not in data and event is not None:
            data["serial"] = order
        if "title" not in self.mapped and "title" not in data:
            data["title"] = _title_of(str(data.get("text", "")), data.get("serial", order))
        if "trigger" not in data:
            data["trigger"] = "manual" if data.get("contingency") or "offset_hours" not in data else "time"
        if "releasability" not in self.mapped:
            recipients = data.get("recipients", [])
            data["releasability"] = {0: "REL ALL-PARTICIPANTS", 1: "NOFORN"}.get(len(recipients), "REL")
            if len(recipients) > 1:
                data["releasable_to"] = list(recipients)
        if "persona" not in self.mapped and "sender" in data and _key(data["sender"]) in self.personas:
            data["persona"] = self.personas[_key(data["sender"])]
            self._persona_from_sender += 1

    def derived(self) -> list[str]:
        """Report lines for the fields made rather than read."""
        lines = []
        serial = self.report.header_of("serial")
        if "id" not in self.mapped:
            source = f"{serial!r} (inj-001 for 1)" if serial else "the row order (inj-001, inj-002, ...)"
            lines.append(f"id: no column; made from {source}")
        if "serial" not in self.mapped:
            lines.append("serial: no column; numbered in row order")
        if "title" not in self.mapped:
            text = self.report.header_of("text")
            lines.append(f"title: no column; the first sentence of {text!r}" if text else
                         "title: no column; 'Event <serial>'")
        if "trigger" not in self.mapped:
            lines.append("trigger: no column; 'time' for rows with a time, 'manual' for the others "
                         "and for contingency rows")
        if "releasability" not in self.mapped:
            lines.append("releasability: no column; NOFORN for one recipient, REL to the recipients for "
                         "several, REL ALL-PARTICIPANTS for all")
        if self._persona_from_sender:
            lines.append(f"persona: {self._persona_from_sender} rows name a scenario persona in "
                         f"{self.report.header_of('sender')!r}; it is their persona")
        for name in ("type",):
            if name not in self.mapped:
                lines.append(f"{name}: no column; every row needs one: use --map 'Header={name}'")
        return lines

    def notes(self) -> list[str]:
        header = self.report.header_of("time").lower()
        if not self._zone_assumed or "utc" in header or "(z)" in header:
            return []
        count = self._zone_assumed
        return [f"time: {count} time{'s' if count != 1 else ''} without a zone (Excel dates, plain dates) "
                "read as UTC, the scenario clock"]


def _whole(value: CellValue, text: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(text) if re.fullmatch(r"\d+", text) else None


def _id_of(event: str | None, order: int) -> str:
    if event is None:
        return f"inj-{order:03d}"
    if event.isdigit():
        return f"inj-{int(event):03d}"
    slug = re.sub(r"[^A-Za-z0-9_.:-]+", "-", event).strip("-.:_")
    return f"inj-{slug}" if slug else f"inj-{order:03d}"


def _title_of(text: str, serial: object) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip()
    if not first:
        return f"Event {serial}"
    if len(first) <= TITLE_LENGTH:
        return first
    return first[: TITLE_LENGTH - 3].rsplit(" ", 1)[0] + "..."


def _parts(text: str) -> list[str]:
    return [p for p in _LIST_SPLIT.split(text.strip()) if p]


def _mapping(text: str) -> dict[str, Any]:
    """A params or condition cell: JSON, or a YAML flow mapping with or without its braces."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        json_error = f"{exc.msg} at character {exc.pos + 1}"
        try:
            value = yaml.safe_load(text if text.lstrip().startswith("{") else "{" + text + "}")
        except yaml.YAMLError:
            example = "'{miss_km: 0.15}'"
            raise ValueError(f"{text!r} is not a mapping such as {example} ({json_error})") from None
    if not isinstance(value, dict):
        raise ValueError(f"{text!r} is not a mapping such as '{{miss_km: 0.15}}'")
    return value
