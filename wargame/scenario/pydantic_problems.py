"""Translate pydantic validation errors into file:line:col problems using a YAML source map."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pydantic import ValidationError

from wargame.scenario.problems import FieldPath, Problem, format_field_path
from wargame.scenario.yamlsource import ParsedYaml

_ITEM_COLLECTIONS = {
    "nation": "nations",
    "persona": "personas",
    "sensor": "sensors",
    "object": "objects",
    "objective": "objectives",
    "inject": "msel",
}
"""Words a model_validator uses for an item, and the list of the document that holds it."""

_ITEM_MESSAGE = re.compile(r"^(?P<label>[a-z_]+) '(?P<id>[^']*)': (?P<rest>.*)$", re.DOTALL)
_DUPLICATE_MESSAGE = re.compile(r"^duplicate (?P<label>[a-z_]+) id '(?P<id>[^']*)'")
_LEADING_FIELD = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\b")
_QUOTED = re.compile(r"'([^']*)'")
_NO_INPUT_TYPES = {"missing", "extra_forbidden", "value_error", "assertion_error"}


def _child(value: Any, element: Any) -> tuple[bool, Any]:
    if isinstance(value, dict) and element in value:
        return True, value[element]
    if isinstance(value, list) and isinstance(element, int) and 0 <= element < len(value):
        return True, value[element]
    return False, None


def _display_path(loc: tuple[Any, ...], data: Any, missing: bool) -> FieldPath:
    """The part of a pydantic `loc` that names document fields (drops union tags and markers).

    A step absent from the document is kept only when it is the missing field itself.
    """
    shown: list[str | int] = []
    current = data
    for index, element in enumerate(loc):
        found, value = _child(current, element)
        if found:
            shown.append(element)
            current = value
        elif missing and index == len(loc) - 1:
            shown.append(element if isinstance(element, str | int) else str(element))
    return tuple(shown)


def _input_hint(error: Any) -> str:
    if error["type"] in _NO_INPUT_TYPES:
        return ""
    value = error.get("input")
    if not isinstance(value, str | int | float | bool) and value is not None:
        return ""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f" (got {text})"


def _message(error: Any) -> str:
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "unknown field (not part of the schema)"
    if error["loc"] and error["loc"][-1] == "[key]":
        message = f"invalid key: {message}"
    return message + _input_hint(error)


def _strip_value_error(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


class _ItemLocator:
    """Finds the list item (and the field inside it) a model_validator message talks about."""

    def __init__(self, parsed: ParsedYaml, base: FieldPath, data: Any) -> None:
        self.parsed = parsed
        self.base = base
        self.data = data
        self.duplicates_seen: Counter[tuple[str, str]] = Counter()

    def _indices(self, collection: str, item_id: str) -> list[int]:
        items = self.data.get(collection) if isinstance(self.data, dict) else None
        if not isinstance(items, list):
            return []
        return [
            index
            for index, item in enumerate(items)
            if isinstance(item, dict) and str(item.get("id")) == item_id
        ]

    def locate(self, part: str) -> FieldPath | None:
        duplicate = _DUPLICATE_MESSAGE.match(part)
        if duplicate and duplicate["label"] in _ITEM_COLLECTIONS:
            collection = _ITEM_COLLECTIONS[duplicate["label"]]
            key = (collection, duplicate["id"])
            self.duplicates_seen[key] += 1
            indices = self._indices(collection, duplicate["id"])
            nth = self.duplicates_seen[key]
            if len(indices) > nth:
                return (*self.base, collection, indices[nth], "id")
            return (*self.base, collection) if indices else None
        item = _ITEM_MESSAGE.match(part)
        if item and item["label"] in _ITEM_COLLECTIONS:
            collection = _ITEM_COLLECTIONS[item["label"]]
            indices = self._indices(collection, item["id"])
            if not indices:
                return None
            path: FieldPath = (*self.base, collection, indices[0])
            return path + self._field_in_item(self.data[collection][indices[0]], item["rest"])
        leading = _LEADING_FIELD.match(part)
        if leading:
            path = (*self.base, *leading["field"].split("."))
            if path in self.parsed.source.marks:
                return path
            first = (*self.base, leading["field"].split(".")[0])
            if first in self.parsed.source.marks:
                return first
        return None

    @staticmethod
    def _field_in_item(item: dict[Any, Any], rest: str) -> FieldPath:
        for word in re.findall(r"[A-Za-z_]+", rest):
            for key in (word, word + "s"):
                if key in item and key != "id":
                    value = item[key]
                    quoted = _QUOTED.search(rest)
                    if isinstance(value, list) and quoted:
                        for index, entry in enumerate(value):
                            if str(entry) == quoted.group(1):
                                return (key, index)
                    return (key,)
        return ()


def validation_problems(exc: ValidationError, parsed: ParsedYaml) -> list[Problem]:
    """One problem per pydantic error; a model_validator's '; '-joined message is split up."""
    problems: list[Problem] = []
    file = parsed.source.file
    locators: dict[FieldPath, _ItemLocator] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        display = _display_path(loc, parsed.data, error["type"] == "missing")
        base, (line, col) = parsed.source.nearest(loc)
        if error["type"] == "value_error" and display == base:
            # A model_validator on the object at `base`: its message may list several problems.
            node_data = _walk(parsed.data, base)
            locator = locators.setdefault(base, _ItemLocator(parsed, base, node_data))
            for part in _strip_value_error(str(error["msg"])).split("; "):
                target = locator.locate(part)
                if target is not None and target in parsed.source.marks:
                    where = parsed.source.marks[target]
                    problems.append(Problem(file, *where, format_field_path(target), part))
                else:
                    problems.append(Problem(file, line, col, format_field_path(base), part))
            continue
        message = _strip_value_error(_message(error))
        problems.append(Problem(file, line, col, format_field_path(display), message))
    return problems


def _walk(data: Any, path: FieldPath) -> Any:
    """The value at `path`, or None when the document has no such value."""
    current = data
    for element in path:
        found, current = _child(current, element)
        if not found:
            return None
    return current
