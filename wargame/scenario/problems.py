"""Problems found while loading a scenario or ruleset file, and the exception that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PathElement = str | int
"""One step of a field path: a mapping key or a sequence index."""

FieldPath = tuple[PathElement, ...]


def format_field_path(path: Iterable[PathElement]) -> str:
    """Render ('objects', 3, 'orbit', 'kind') as 'objects[3].orbit.kind'."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += f".{element}" if text else str(element)
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One error in one file; `line` and `col` are 1-based, 0 when the file has no position."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line > 0 else self.file
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and position, keeping the original order for ties."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.col))


class LoadError(Exception):
    """A file could not be loaded; `problems` lists every error found, one per line of `str()`."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
