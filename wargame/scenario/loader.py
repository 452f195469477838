"""Load scenario and ruleset YAML files into the domain models, with file:line:col errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from wargame.domain.ruleset_model import FILE_CONTEXT, Ruleset
from wargame.domain.scenario_model import Scenario, SpaceObject
from wargame.resources import shipped_root
from wargame.scenario.catalogs import expand_background
from wargame.scenario.problems import FieldPath, LoadError, Problem, format_field_path, sort_problems
from wargame.scenario.pydantic_problems import validation_problems
from wargame.scenario.yamlsource import ParsedYaml, SourceMap, parse_yaml

DATA_DIR_ENV = "WARGAME_DATA_DIR"
"""Extra data roots (os.pathsep-separated), each holding `scenarios/` and/or `rulesets/`.

They are searched before the repository's own folders.
"""

YAML_SUFFIXES = (".yaml", ".yml")

DocumentKind = Literal["scenario", "ruleset"]

RULESET_KEYS = frozenset({"sensor_models", "effects", "escalation", "custody", "regimes"})
"""Top-level keys only a ruleset has; any one of them makes `load_any` read a ruleset."""
SCENARIO_KEYS = frozenset({"nations", "msel", "objects", "sensors", "start_time", "moves"})
"""Top-level keys only a scenario has."""

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[ModelT]):
    """A validated model together with the positions of its fields in the source file."""

    model: ModelT
    source: SourceMap
    path: Path
    background: tuple[SpaceObject, ...] = ()
    """For a scenario: the objects its background_catalog expanded into (the last of
    `model.objects`)."""


def data_roots() -> list[Path]:
    """Data roots in search order: those of WARGAME_DATA_DIR, then the shipped data (the
    installed package's, or the checkout's)."""
    roots = [Path(entry) for entry in os.environ.get(DATA_DIR_ENV, "").split(os.pathsep) if entry]
    roots.append(shipped_root())
    return roots


def default_scenario_dirs() -> list[Path]:
    return [root / "scenarios" for root in data_roots()]


def default_ruleset_dirs() -> list[Path]:
    return [root / "rulesets" for root in data_roots()]


def read_document(path: str | os.PathLike[str]) -> ParsedYaml:
    """Read and parse one YAML file; unreadable files and syntax errors raise LoadError."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(file, 0, 0, "", f"file is not UTF-8 text ({exc.reason})")
        raise LoadError([problem]) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise LoadError([Problem(file, 0, 0, "", f"cannot read file: {reason}")]) from None
    return parse_yaml(text, file)


def _validate(model_type: type[ModelT], parsed: ParsedYaml, path: Path) -> Loaded[ModelT]:
    problems = list(parsed.problems)
    model: ModelT | None = None
    try:
        model = model_type.model_validate(parsed.data, context=FILE_CONTEXT)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, parsed))
    if problems or model is None:
        raise LoadError(sort_problems(problems))
    return Loaded(model, parsed.source, path)


def _with_background(loaded: Loaded[Scenario]) -> Loaded[Scenario]:
    """Expand `background_catalog` into the scenario's objects; problems name their source line."""
    scenario = loaded.model
    if not scenario.background_catalog:
        return loaded
    generated, found = expand_background(scenario, loaded.path.resolve().parent)
    problems: list[Problem] = []
    for index, problem in found:
        path: FieldPath = ("background_catalog", index, "file")
        _, (line, col) = loaded.source.nearest(path)
        where = format_field_path(path)
        problems.append(Problem(os.fspath(loaded.path), line, col, where, f"{problem}"))
    seen = {obj.id for obj in scenario.objects}
    for obj in generated:
        if obj.id in seen:
            index = _source_index(scenario, obj.id)
            path = ("background_catalog", index, "id_prefix")
            _, (line, col) = loaded.source.nearest(path)
            message = f"catalog object id {obj.id!r} is already used; change id_prefix"
            problems.append(Problem(os.fspath(loaded.path), line, col, format_field_path(path), message))
            break
        seen.add(obj.id)
    if problems:
        raise LoadError(problems)
    model = scenario.model_copy(update={"objects": (*scenario.objects, *generated)})
    return Loaded(model, loaded.source, loaded.path, tuple(generated))


def _source_index(scenario: Scenario, object_id: str) -> int:
    prefix = object_id.rsplit("-", 1)[0]
    for index, source in enumerate(scenario.background_catalog):
        if source.id_prefix == prefix:
            return index
    return 0


def load_scenario_source(path: str | os.PathLike[str]) -> Loaded[Scenario]:
    return _with_background(_validate(Scenario, read_document(path), Path(path)))


def load_ruleset_source(path: str | os.PathLike[str]) -> Loaded[Ruleset]:
    return _validate(Ruleset, read_document(path), Path(path))


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load and validate a scenario file; raise LoadError listing every problem."""
    return load_scenario_source(path).model


def load_scenario_parts(path: str | os.PathLike[str]) -> tuple[Scenario, tuple[SpaceObject, ...]]:
    """The scenario with its named objects only, and its background catalog's objects apart:
    how an exercise records them (the catalog once, as a blob)."""
    loaded = load_scenario_source(path)
    named = loaded.model.objects[: len(loaded.model.objects) - len(loaded.background)]
    return loaded.model.model_copy(update={"objects": named}), loaded.background


def load_ruleset(path: str | os.PathLike[str]) -> Ruleset:
    """Load and validate a ruleset file; raise LoadError listing every problem."""
    return load_ruleset_source(path).model


def document_kind(data: Any, path: str | os.PathLike[str]) -> DocumentKind | None:
    """Tell a ruleset from a scenario.

    First by top-level keys (a ruleset has `sensor_models`, `effects`, `escalation`...; a
    scenario has `nations`, `msel`, `start_time`...), then by the parent folder's name
    (`rulesets/` or `scenarios/`). None when neither decides.
    """
    if isinstance(data, dict):
        keys = {str(key) for key in data}
        is_ruleset = bool(keys & RULESET_KEYS)
        is_scenario = bool(keys & SCENARIO_KEYS)
        if is_ruleset != is_scenario:
            return "ruleset" if is_ruleset else "scenario"
    folder = Path(path).resolve().parent.name
    if folder == "rulesets":
        return "ruleset"
    if folder == "scenarios":
        return "scenario"
    return None


def load_any_source(path: str | os.PathLike[str]) -> Loaded[Scenario] | Loaded[Ruleset]:
    parsed = read_document(path)
    kind = document_kind(parsed.data, path)
    if kind == "ruleset":
        return _validate(Ruleset, parsed, Path(path))
    if kind == "scenario":
        return _with_background(_validate(Scenario, parsed, Path(path)))
    line, col = parsed.source.root
    message = (
        "cannot tell whether this is a scenario or a ruleset: a ruleset has a top-level "
        "'sensor_models' key, a scenario has 'nations' (or put it in scenarios/ or rulesets/)"
    )
    raise LoadError([Problem(os.fspath(path), line, col, "", message)])


def load_any(path: str | os.PathLike[str]) -> Scenario | Ruleset:
    """Load a scenario or a ruleset, deciding as `document_kind` explains."""
    return load_any_source(path).model


def _declares_ruleset(path: Path, ruleset_id: str) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("id") == ruleset_id and "sensor_models" in data


def _find_file(
    kind: str,
    item: str | os.PathLike[str],
    dirs: list[Path],
    declares: Callable[[Path, str], bool] | None = None,
) -> Path:
    """A data file given as a path to a YAML file, or as an id looked up in `dirs`.

    An id matches `<id>.yaml` or `<id>.yml` in the first folder that has one; failing that, any
    YAML file whose content `declares` the id. Raise FileNotFoundError if none.
    """
    as_path = Path(item)
    if as_path.suffix in YAML_SUFFIXES:
        if not as_path.is_file():
            raise FileNotFoundError(f"no {kind} file {as_path}")
        return as_path
    item_id = str(item)
    if not item_id or item_id.startswith(".") or any(c in item_id for c in "/\\"):
        raise FileNotFoundError(f"invalid {kind} id {item_id!r}")
    for folder in dirs:
        for suffix in YAML_SUFFIXES:
            candidate = folder / f"{item_id}{suffix}"
            if candidate.is_file():
                return candidate
    if declares is not None:
        for folder in dirs:
            if not folder.is_dir():
                continue
            for candidate in sorted(folder.iterdir()):
                if candidate.suffix in YAML_SUFFIXES and declares(candidate, item_id):
                    return candidate
    searched = ", ".join(str(d) for d in dirs) or "(no folders)"
    raise FileNotFoundError(f"{kind} {item_id!r} not found in {searched}")


def find_ruleset(
    ruleset: str | os.PathLike[str], search_dirs: Sequence[str | os.PathLike[str]] | None = None
) -> Path:
    """A ruleset file given as a path, or as an id: `<id>.yaml` in the ruleset folders, or any
    file there whose top-level `id` is that id. `search_dirs` defaults to default_ruleset_dirs()."""
    dirs = [Path(d) for d in (search_dirs if search_dirs is not None else default_ruleset_dirs())]
    return _find_file("ruleset", ruleset, dirs, _declares_ruleset)


def find_scenario(
    scenario: str | os.PathLike[str], search_dirs: Sequence[str | os.PathLike[str]] | None = None
) -> Path:
    """A scenario file given as a path, or as an id (`<id>.yaml` in the scenario folders)."""
    dirs = [Path(d) for d in (search_dirs if search_dirs is not None else default_scenario_dirs())]
    return _find_file("scenario", scenario, dirs)
