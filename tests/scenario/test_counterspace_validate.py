"""`wargame validate` on reach by regime and red-cell inventories."""

from __future__ import annotations

from pathlib import Path

import yaml

from wargame.scenario import load_scenario, validate_paths

REPO = Path(__file__).resolve().parents[2]
SCHRIEVER = REPO / "scenarios" / "schriever-escalation.yaml"


def _variant(tmp_path: Path, change: object) -> tuple[int, list[str]]:
    data = yaml.safe_load(SCHRIEVER.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "scenarios" / "variant.yaml"
    path.parent.mkdir()
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "rulesets" / "standard.yaml").write_text(
        (REPO / "rulesets" / "standard.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return validate_paths([str(path)])


def _inject(data: dict, inject_id: str) -> dict:  # type: ignore[type-arg]
    return next(i for i in data["msel"] if i["id"] == inject_id)


def test_the_shipped_red_cell_is_played_with_an_inventory() -> None:
    scenario = load_scenario(SCHRIEVER)
    red = scenario.nation("RED")
    assert red is not None and red.side == "red" and red.played
    weapons = {w.id: w for w in red.counterspace}
    assert weapons["red-da-asat"].reach.regimes == ("LEO",) and weapons["red-da-asat"].magazine == 2
    assert weapons["red-leo-kv"].parent == "red-coorbital-1"
    assert validate_paths([str(SCHRIEVER)])[0] == 0


def test_validate_reports_a_da_asat_line_against_geo(tmp_path: Path) -> None:
    code, lines = _variant(tmp_path, lambda d: _inject(d, "sw-019").update(target="usa-wgs-09"))
    assert code == 1
    assert any(
        "inject 'sw-019': 'usa-wgs-09' is in GEO, out of reach: effects.direct_ascent_asat in ruleset "
        "'standard' reaches LEO only" in line
        for line in lines
    ), lines


def test_validate_reports_a_weapon_beyond_its_rules_reach(tmp_path: Path) -> None:
    def widen(data: dict) -> None:  # type: ignore[type-arg]
        red = next(n for n in data["nations"] if n["id"] == "RED")
        red["counterspace"][0]["reach"] = {"regimes": ["LEO", "GEO"]}

    code, lines = _variant(tmp_path, widen)
    assert code == 1
    assert any("weapon 'red-da-asat': reach.regimes ['GEO'] are beyond" in line for line in lines), lines


def test_a_weapon_parent_must_be_the_nations_own(tmp_path: Path) -> None:
    def steal(data: dict) -> None:  # type: ignore[type-arg]
        red = next(n for n in data["nations"] if n["id"] == "RED")
        red["counterspace"][1]["parent"] = "usa-isr-2"

    code, lines = _variant(tmp_path, steal)
    assert code == 1
    assert any(
        "weapon 'red-leo-kv': parent 'usa-isr-2' is not a space object of RED" in line for line in lines
    )
