"""The `wargame validate PATH...` check: load files, then check a scenario against its ruleset."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from wargame.domain.common import InjectType
from wargame.domain.counterspace import Weapon, reach_refusal
from wargame.domain.inject_params import InvalidParams, OrbitalWeaponParams, check_params
from wargame.domain.ruleset_model import Ruleset, TargetKind, target_refusal
from wargame.domain.scenario_model import Inject, Scenario
from wargame.scenario.loader import (
    YAML_SUFFIXES,
    Loaded,
    default_ruleset_dirs,
    find_ruleset,
    load_any_source,
    load_ruleset,
)
from wargame.scenario.problems import (
    FieldPath,
    LoadError,
    Problem,
    format_field_path,
    sort_problems,
)

NO_EFFECT_RULE_NEEDED = frozenset({InjectType.MESSAGE, InjectType.CONJUNCTION, InjectType.CLOSE_APPROACH})
"""Inject types the adjudicator resolves without an effect rule."""


def _problem(loaded: Loaded[Scenario], path: FieldPath, message: str) -> Problem:
    _, (line, col) = loaded.source.nearest(path)
    return Problem(os.fspath(loaded.path), line, col, format_field_path(path), message)


def ruleset_search_dirs(scenario_path: Path) -> list[Path]:
    """Where a scenario's `ruleset:` is looked up: beside it, in ../rulesets, then the defaults."""
    folder = scenario_path.resolve().parent
    dirs = [folder.parent / "rulesets", folder, *default_ruleset_dirs()]
    unique: list[Path] = []
    for entry in dirs:
        if entry not in unique:
            unique.append(entry)
    return unique


def check_against_ruleset(loaded: Loaded[Scenario], ruleset: Ruleset) -> list[Problem]:
    """Problems of a valid scenario that only show against its ruleset."""
    scenario = loaded.model
    problems: list[Problem] = []
    for index, sensor in enumerate(scenario.sensors):
        if sensor.model not in ruleset.sensor_models:
            known = ", ".join(sorted(ruleset.sensor_models))
            message = f"sensor model {sensor.model!r} is not in ruleset {ruleset.id!r} ({known})"
            problems.append(_problem(loaded, ("sensors", index, "model"), message))
        if ruleset.sensor_models.get(sensor.model) is not None:
            space_based = ruleset.sensor_models[sensor.model].type == "space_based"
            if space_based and sensor.orbit is None:
                message = f"sensor model {sensor.model!r} is space-based, so the sensor needs an orbit"
                problems.append(_problem(loaded, ("sensors", index, "model"), message))
    known_protections = {key for rule in ruleset.effects.values() for key in rule.protection_factors}
    protected: list[tuple[str, int, tuple[str, ...]]] = [
        *(("objects", index, obj.protections) for index, obj in enumerate(scenario.objects)),
        *(("sensors", index, sensor.protections) for index, sensor in enumerate(scenario.sensors)),
    ]
    for section, index, protections in protected:
        for position, protection in enumerate(protections):
            if protection not in known_protections:
                message = (
                    f"protection {protection!r} is not used by any effect rule of ruleset "
                    f"{ruleset.id!r} ({', '.join(sorted(known_protections)) or 'none'})"
                )
                problems.append(_problem(loaded, (section, index, "protections", position), message))
    for index, inject in enumerate(scenario.msel):
        if inject.type not in NO_EFFECT_RULE_NEEDED and inject.type not in ruleset.effects:
            message = f"inject type {inject.type.value!r} has no effect rule in ruleset {ruleset.id!r}"
            problems.append(_problem(loaded, ("msel", index, "type"), message))
        if inject.target is not None:
            kind: TargetKind = "sensors" if scenario.sensor(inject.target) else "objects"
            refusal = target_refusal(ruleset, inject.type, kind, inject.target)
            if refusal is not None:
                message = f"inject {inject.id!r}: {refusal}"
                problems.append(_problem(loaded, ("msel", index, "target"), message))
            if refusal := msel_reach_refusal(scenario, ruleset, inject):
                message = f"inject {inject.id!r}: {refusal}"
                problems.append(_problem(loaded, ("msel", index, "target"), message))
    for n_index, nation in enumerate(scenario.nations):
        for w_index, weapon in enumerate(nation.counterspace):
            path: FieldPath = ("nations", n_index, "counterspace", w_index)
            problems.extend(_problem(loaded, path, m) for m in weapon_problems(scenario, ruleset, weapon))
    return problems


def msel_reach_refusal(scenario: Scenario, ruleset: Ruleset, inject: Inject) -> str | None:
    """Why an MSEL inject's effect cannot reach its target's regime (ruleset effects.<type>.regimes,
    or an orbital weapon's approacher's own regime), or None."""
    target = scenario.object(inject.target or "")
    if target is None:
        return None
    params = check_params(inject.type, inject.params)
    approacher = params.approacher if isinstance(params, OrbitalWeaponParams) else None
    launcher = scenario.object(approacher or "")
    orbit = None if launcher is None else launcher.orbit
    return reach_refusal(ruleset, inject.type, target.id, target.orbit, orbit)


def weapon_problems(scenario: Scenario, ruleset: Ruleset, weapon: Weapon) -> list[str]:
    """A weapon's problems against the ruleset: its type has an effect rule, and the regimes it
    claims to reach are ones the rule allows."""
    rule = ruleset.effects.get(weapon.type)
    if rule is None:
        no_rule = f"type {weapon.type.value!r} has no effect rule in ruleset {ruleset.id!r}"
        return [f"weapon {weapon.id!r}: {no_rule}"]
    beyond = [r for r in weapon.reach.regimes if rule.regimes and r not in rule.regimes]
    if beyond:
        return [
            f"weapon {weapon.id!r}: reach.regimes {beyond} are beyond effects.{weapon.type.value}.regimes "
            f"{list(rule.regimes)} in ruleset {ruleset.id!r}"
        ]
    return []


def check_param_objects(loaded: Loaded[Scenario]) -> list[Problem]:
    """Inject params that name space objects must name objects of the scenario, not the target.

    The params themselves were checked against their type's model when the file loaded."""
    object_ids = {obj.id for obj in loaded.model.objects}
    problems: list[Problem] = []
    for index, inject in enumerate(loaded.model.msel):
        params = check_params(inject.type, inject.params)
        if isinstance(params, InvalidParams):
            continue
        for key, value in params.named_objects().items():
            path: FieldPath = ("msel", index, "params", key)
            if value not in object_ids:
                message = f"inject {inject.id!r}: params.{key} names unknown object {value!r}"
                problems.append(_problem(loaded, path, message))
            elif value == inject.target:
                message = f"inject {inject.id!r}: params.{key} {value!r} is the target itself"
                problems.append(_problem(loaded, path, message))
    return problems


def check_scenario(loaded: Loaded[Scenario]) -> tuple[list[Problem], Path | None]:
    """Problems beyond the schema, and the ruleset file used (None if it could not be found)."""
    problems = check_param_objects(loaded)
    scenario = loaded.model
    try:
        ruleset_path = find_ruleset(scenario.ruleset, ruleset_search_dirs(loaded.path))
    except FileNotFoundError as exc:
        problems.append(_problem(loaded, ("ruleset",), str(exc)))
        return problems, None
    try:
        ruleset = load_ruleset(ruleset_path)
    except LoadError as exc:
        message = f"ruleset {scenario.ruleset!r} ({ruleset_path}) is invalid, see below"
        problems.append(_problem(loaded, ("ruleset",), message))
        problems.extend(exc.problems)
        return problems, ruleset_path
    if ruleset.id != scenario.ruleset:
        message = f"ruleset file {ruleset_path} declares id {ruleset.id!r}, not {scenario.ruleset!r}"
        problems.append(_problem(loaded, ("ruleset",), message))
    problems.extend(check_against_ruleset(loaded, ruleset))
    return problems, ruleset_path


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files named directly, plus the YAML files of named folders (recursively, sorted)."""
    files: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def _summary(loaded: Loaded[Scenario] | Loaded[Ruleset], ruleset_path: Path | None) -> str:
    model = loaded.model
    if isinstance(model, Scenario):
        return (
            f"{loaded.path}: ok: scenario {model.id!r}, {len(model.nations)} nations, "
            f"{len(model.sensors)} sensors, {len(model.objects)} objects, "
            f"{len(model.msel)} injects, {model.moves} moves; ruleset {model.ruleset!r} "
            f"({ruleset_path})"
        )
    return (
        f"{loaded.path}: ok: ruleset {model.id!r}, {len(model.sensor_models)} sensor models, "
        f"{len(model.effects)} effect rules"
    )


def validate_paths(paths: Sequence[str]) -> tuple[int, list[str]]:
    """Validate scenario and ruleset files; return (exit code, lines to print).

    Exit code 0 when every file is valid (and every scenario agrees with its ruleset), else 1.
    Never raises for a bad file: every problem becomes a `file:line:col: path: message` line.
    """
    if not paths:
        return 1, ["usage: wargame validate PATH... (scenario/ruleset YAML files or folders)"]
    lines: list[str] = []
    failed = False
    files = expand_paths(paths)
    if not files:
        return 1, [f"{', '.join(paths)}: no YAML files found"]
    for file in files:
        try:
            loaded = load_any_source(file)
        except LoadError as exc:
            failed = True
            lines.extend(str(p) for p in exc.problems)
            continue
        except Exception as exc:  # a loader bug must still not print a traceback
            failed = True
            lines.append(f"{file}: internal error while loading: {type(exc).__name__}: {exc}")
            continue
        ruleset_path: Path | None = None
        if isinstance(loaded.model, Scenario):
            scenario_loaded: Loaded[Scenario] = loaded
            problems, ruleset_path = check_scenario(scenario_loaded)
            if problems:
                failed = True
                lines.extend(str(p) for p in sort_problems(problems))
                continue
        lines.append(_summary(loaded, ruleset_path))
    return (1 if failed else 0), lines
