"""Parse YAML into plain Python values while recording the line and column of every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wargame.scenario.problems import (
    FieldPath,
    LoadError,
    PathElement,
    Problem,
    format_field_path,
)

Position = tuple[int, int]
"""(line, column), both 1-based."""

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_NODES = 1_000_000
"""Guard against alias expansion bombs ("billion laughs")."""


def _position(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class SourceMap:
    """Where each field path of a parsed document starts in its file."""

    file: str
    root: Position = (1, 1)
    marks: dict[FieldPath, Position] = field(default_factory=dict)

    def position(self, path: FieldPath) -> Position | None:
        return self.marks.get(path)

    def nearest(self, loc: tuple[Any, ...]) -> tuple[FieldPath, Position]:
        """The deepest recorded path along `loc`, skipping steps that were never recorded.

        Pydantic adds steps that are not in the document (a union tag such as 'keplerian', a
        '[key]' marker, or a missing field); skipping them lands on the closest real node.
        """
        current: FieldPath = ()
        for element in loc:
            if not isinstance(element, str | int):
                continue
            candidate = (*current, element)
            if candidate in self.marks:
                current = candidate
        return current, self.marks.get(current, self.root)


@dataclass
class ParsedYaml:
    """Values built from a YAML document, their source positions, and non-fatal problems."""

    data: Any
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)


class _Builder:
    """Turns composed PyYAML nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, loader: yaml.SafeLoader, source: SourceMap) -> None:
        self.loader = loader
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0
        self.stack: set[int] = set()

    def problem(self, node: Node, path: FieldPath, message: str) -> None:
        line, col = _position(node)
        self.problems.append(Problem(self.source.file, line, col, format_field_path(path), message))

    def build(self, node: Node, path: FieldPath, where: Position) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _TooLarge(node)
        self.source.marks.setdefault(path, where)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.stack:
            self.problem(node, path, "recursive alias is not allowed")
            return None
        self.stack.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [
                    self.build(item, (*path, index), _position(item)) for index, item in enumerate(node.value)
                ]
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
        finally:
            self.stack.discard(id(node))
        self.problem(node, path, f"unsupported YAML node {type(node).__name__}")
        return None

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            # Keep the text: pydantic parses ISO 8601 and insists on a timezone itself.
            return node.value
        return self.loader.construct_object(node, deep=True)

    def key(self, node: Node, path: FieldPath) -> tuple[bool, Any]:
        if not isinstance(node, ScalarNode):
            self.problem(node, path, "a mapping key must be a plain scalar, not a list or mapping")
            return False, None
        value = self.scalar(node)
        try:
            hash(value)
        except TypeError:
            self.problem(node, path, "a mapping key must be hashable")
            return False, None
        return True, value

    def mapping(self, node: MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            ok, key = self.key(key_node, path)
            if not ok:
                continue
            child = (*path, _element(key))
            if key in result:
                first = self.source.marks.get(child)
                first_text = f" (first defined at line {first[0]})" if first else ""
                self.problem(key_node, child, f"duplicate key {key!r}{first_text}")
                continue
            result[key] = self.build(value_node, child, _position(key_node))
        for merge_node in merges:
            sources = merge_node.value if isinstance(merge_node, SequenceNode) else [merge_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problem(source, path, "a merge key ('<<') needs a mapping or mappings")
                    continue
                # Explicit keys win over merged ones; merged keys point at their anchor's lines.
                for key_node, value_node in source.value:
                    ok, key = self.key(key_node, path)
                    if not ok or key in result or key_node.tag == _MERGE_TAG:
                        continue
                    child = (*path, _element(key))
                    result[key] = self.build(value_node, child, _position(key_node))
        return result


def _element(key: Any) -> PathElement:
    return key if isinstance(key, str | int) else str(key)


class _TooLarge(Exception):
    def __init__(self, node: Node) -> None:
        super().__init__("document expands to too many nodes")
        self.node = node


def _yaml_error_problem(file: str, exc: yaml.YAMLError, text: str | None = None) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        message = exc.problem or "YAML syntax error"
        if exc.context:
            context_mark = exc.context_mark
            where = f" at line {context_mark.line + 1}" if context_mark is not None else ""
            message = f"{message} ({exc.context}{where})"
        constructor = isinstance(exc, yaml.constructor.ConstructorError)
        label = "YAML error" if constructor else "YAML syntax error"
        return Problem(file, mark.line + 1, mark.column + 1, "", f"{label}: {message}")
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(text, str):
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        return Problem(file, line, col, "", f"YAML error: {exc.reason} (#x{exc.character:04x})")
    flat = " ".join(str(exc).split())
    return Problem(file, 1, 1, "", f"YAML error: {flat}")


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Parse one YAML document; raise LoadError for syntax errors, an empty file or a huge one.

    Duplicate keys and other structural faults are returned in `problems` so the caller can
    still validate the rest of the document and report everything in one pass.
    """
    source = SourceMap(file)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise LoadError([_yaml_error_problem(file, exc, text)]) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise LoadError([_yaml_error_problem(file, exc, text)]) from None
        if node is None:
            raise LoadError([Problem(file, 1, 1, "", "the file holds no YAML document")])
        source.root = _position(node)
        builder = _Builder(loader, source)
        try:
            data = builder.build(node, (), source.root)
        except _TooLarge as exc:
            line, col = _position(exc.node)
            raise LoadError([Problem(file, line, col, "", str(exc))]) from None
        except yaml.YAMLError as exc:
            raise LoadError([_yaml_error_problem(file, exc, text)]) from None
        return ParsedYaml(data, source, builder.problems)
    finally:
        loader.dispose()
