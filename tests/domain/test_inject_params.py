"""Each inject type's params model: what it takes, what it refuses, and the table in the docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from annotated_types import Ge, Gt, Le
from pydantic.fields import FieldInfo

from wargame.domain.common import InjectType
from wargame.domain.inject_params import (
    PARAMS_MODELS,
    CloseApproachParams,
    ConjunctionParams,
    EffectParams,
    InjectParams,
    InvalidParams,
    NoParams,
    NuclearParams,
    OrbitalWeaponParams,
    RfEmitterParams,
    SpaceWeatherParams,
    check_params,
    named_objects,
    recorded_params,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))

VALID: dict[type[InjectParams], dict[str, Any]] = {
    NoParams: {},
    EffectParams: {"duration_moves": 2},
    CloseApproachParams: {"approacher": "red-inspector-1", "range_km": 5.0},
    ConjunctionParams: {"secondary": "deb-1", "miss_km": 0.15, "tca_offset_hours": 4},
    OrbitalWeaponParams: {"approacher": "red-kv-1"},
    RfEmitterParams: {"site_lat_deg": 38.0, "site_lon_deg": 121.5},
    NuclearParams: {"burst_lat_deg": 10.0, "burst_lon_deg": 120.0, "burst_altitude_km": 400.0},
    SpaceWeatherParams: {"severity": "G4", "duration_moves": 1},
}
"""A full, valid params mapping of each model."""

BAD_VALUES: dict[type[InjectParams], list[tuple[str, Any, str]]] = {
    CloseApproachParams: [
        ("range_km", "five", "valid number"),
        ("range_km", -5.0, "greater than 0"),
        ("range_km", 0, "greater than 0"),
        ("range_km", True, "not true or false"),
        ("range_km", float("inf"), "finite number"),
        ("approacher", 7, "valid string"),
        ("approacher", "", "at least 1 character"),
    ],
    ConjunctionParams: [
        ("miss_km", "close", "valid number"),
        ("miss_km", -0.1, "greater than or equal to 0"),
        ("tca_offset_hours", -1, "greater than or equal to 0"),
        ("tca_offset_hours", float("nan"), "finite number"),
        ("secondary", ["deb-1"], "valid string"),
    ],
    OrbitalWeaponParams: [("approacher", 3.5, "valid string")],
    EffectParams: [
        ("duration_moves", -1, "greater than or equal to 0"),
        ("duration_moves", 1.5, "valid integer"),
    ],
    SpaceWeatherParams: [("severity", "G6", "'G1', 'G2', 'G3', 'G4' or 'G5'"), ("severity", 4, "'G1'")],
    RfEmitterParams: [
        ("site_lat_deg", 95.0, "less than or equal to 90"),
        ("site_lat_deg", "north", "valid number"),
        ("site_lon_deg", -200.0, "greater than or equal to -180"),
    ],
    NuclearParams: [
        ("burst_altitude_km", -1.0, "greater than 0"),
        ("burst_lat_deg", 91.0, "less than or equal to 90"),
    ],
}


def _shipped_params() -> list[tuple[str, str, InjectType, dict[str, Any]]]:
    found = []
    for path in SHIPPED:
        for inject in yaml.safe_load(path.read_text(encoding="utf-8"))["msel"]:
            found.append((path.name, inject["id"], InjectType(inject["type"]), inject.get("params") or {}))
    return found


def test_every_inject_type_has_a_params_model() -> None:
    assert set(PARAMS_MODELS) == set(InjectType)
    assert set(PARAMS_MODELS.values()) == set(VALID)


@pytest.mark.parametrize(("file", "inject_id", "inject_type", "params"), _shipped_params())
def test_the_shipped_scenarios_params_are_valid(
    file: str, inject_id: str, inject_type: InjectType, params: dict[str, Any]
) -> None:
    checked = check_params(inject_type, params)
    assert not isinstance(checked, InvalidParams), (file, inject_id, checked)
    assert checked.model_dump(exclude_unset=True) == pytest.approx(params)


def test_the_shipped_scenarios_use_the_params_the_core_reads() -> None:
    used = {(t, tuple(sorted(p))) for _, _, t, p in _shipped_params() if p}
    assert (InjectType.CLOSE_APPROACH, ("approacher", "range_km")) in used
    assert (InjectType.CONJUNCTION, ("miss_km", "secondary", "tca_offset_hours")) in used


@pytest.mark.parametrize("inject_type", list(InjectType))
def test_each_type_accepts_its_params_and_refuses_unknown_keys(inject_type: InjectType) -> None:
    model = PARAMS_MODELS[inject_type]
    good = VALID[model]
    checked = check_params(inject_type, good)
    assert isinstance(checked, model) and checked.model_dump(exclude_unset=True) == good
    refused = check_params(inject_type, {**good, "duration_hours": 5})
    assert isinstance(refused, InvalidParams)
    takes = ", ".join(model.model_fields) or "none"
    assert refused.problems == (
        f"params.duration_hours: not a parameter of {inject_type.value} injects (they take {takes})",
    )


@pytest.mark.parametrize(
    "inject_type", [t for t, m in PARAMS_MODELS.items() if m is NoParams]
)
def test_types_without_params_accept_only_an_empty_mapping(inject_type: InjectType) -> None:
    assert check_params(inject_type, {}) == NoParams()
    for params in ({"g_level": 3}, {"band": "X"}, {"site_lat_deg": 38.0, "site_lon_deg": 121.5}):
        problems = check_params(inject_type, params)
        assert isinstance(problems, InvalidParams) and len(problems.problems) == len(params)
        assert all("(they take none)" in p for p in problems.problems)


@pytest.mark.parametrize(
    ("model", "field", "value", "message"),
    [(m, f, v, msg) for m, cases in BAD_VALUES.items() for f, v, msg in cases],
)
def test_wrong_types_and_out_of_range_values_are_refused_with_the_field(
    model: type[InjectParams], field: str, value: Any, message: str
) -> None:
    inject_type = next(t for t, m in PARAMS_MODELS.items() if m is model)
    refused = check_params(inject_type, {**VALID[model], field: value})
    assert isinstance(refused, InvalidParams)
    (problem,) = refused.problems
    assert problem.startswith(f"params.{field}: ") and message in problem


def test_required_params_and_the_jammer_site_as_a_point() -> None:
    missing = check_params(InjectType.CLOSE_APPROACH, {})
    assert isinstance(missing, InvalidParams)
    assert missing.problems == ("params.approacher: Field required", "params.range_km: Field required")
    half = check_params(InjectType.SPOOFING, {"site_lat_deg": 38.0})
    assert isinstance(half, InvalidParams)
    assert half.problems == (
        "params: site_lat_deg and site_lon_deg are given together (got only site_lat_deg)",
    )
    site = check_params(InjectType.UPLINK_JAMMING, {"site_lat_deg": "38", "site_lon_deg": 121.5})
    assert isinstance(site, RfEmitterParams) and site.site() == (38.0, 121.5)
    assert check_params(InjectType.DOWNLINK_JAMMING, {}) == RfEmitterParams()
    assert RfEmitterParams().site() is None


def test_recorded_params_drop_unknown_keys_but_not_bad_values() -> None:
    recorded = recorded_params(InjectType.UPLINK_JAMMING, {"band": "X", "duration_hours": 5})
    assert recorded == RfEmitterParams()
    bad = recorded_params(InjectType.CLOSE_APPROACH, {"approacher": "a", "range_km": "five", "band": "X"})
    assert isinstance(bad, InvalidParams)
    assert bad.reason == (
        "params.range_km: Input should be a valid number, unable to parse string as a number (got 'five')"
    )
    assert named_objects(InjectType.CLOSE_APPROACH, {"approacher": "a", "range_km": "five"}) == ()
    assert named_objects(InjectType.CONJUNCTION, {"secondary": "deb-1", "miss_km": 1}) == ("deb-1",)
    assert named_objects(InjectType.CO_ORBITAL, {}) == ()
    assert named_objects(InjectType.CO_ORBITAL, {"approacher": "red-kv-1"}) == ("red-kv-1",)


# The table of docs/authoring.md, rendered from the models.

TABLE_START = "<!-- inject-params table: generated from wargame/domain/inject_params.py -->"
TABLE_END = "<!-- end of inject-params table -->"
UNITS = {"_km": "km", "_hours": "h", "_deg": "degrees"}


def _kind(model: type[InjectParams], name: str, field: FieldInfo) -> str:
    if name in model.OBJECT_FIELDS:
        return "object id"
    low = next((f"> {m.gt:g}" for m in field.metadata if isinstance(m, Gt)), None)
    low = low or next((f"{m.ge:g}" for m in field.metadata if isinstance(m, Ge)), None)
    high = next((f"{m.le:g}" for m in field.metadata if isinstance(m, Le)), None)
    if low and high:
        return f"number, {low} to {high}"
    if low and low.startswith(">"):
        return f"number {low}"
    return f"number, {low} or more" if low else "number"


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    return "none" if field.default is None else f"{field.default:g}"


def render_table() -> str:
    rows = ["| inject type | parameter | type | unit | default | meaning |", "|---|---|---|---|---|---|"]
    for model in dict.fromkeys(PARAMS_MODELS.values()):
        types = ", ".join(f"`{t.value}`" for t, m in PARAMS_MODELS.items() if m is model)
        if not model.model_fields:
            rows.append(f"| {types} | none | | | | `params: {{}}` or no `params` |")
            continue
        for name, field in model.model_fields.items():
            unit = next((u for suffix, u in UNITS.items() if name.endswith(suffix)), "")
            meaning = " ".join((field.description or "").split())
            cells = [types, f"`{name}`", _kind(model, name, field), unit, _default(field), meaning]
            rows.append(f"| {' | '.join(cells)} |")
            types = ""
    return "\n".join(rows)


def test_the_authoring_guide_lists_each_types_params() -> None:
    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    found = re.search(re.escape(TABLE_START) + r"\n(.*?)\n" + re.escape(TABLE_END), text, re.DOTALL)
    assert found, f"docs/authoring.md has no block between {TABLE_START!r} and {TABLE_END!r}"
    expected = render_table()
    assert found.group(1) == expected, "docs/authoring.md is stale; the table should read:\n" + expected
