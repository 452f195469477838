"""The JSON Schemas shipped in docs/schemas/ are the ones the models generate today."""

from __future__ import annotations

from pathlib import Path

from wargame.scenario.schemas import export_json_schemas

REPO = Path(__file__).resolve().parents[2]


def test_shipped_scenario_and_ruleset_schemas_match_the_models(tmp_path: Path) -> None:
    for generated in export_json_schemas(tmp_path):
        shipped = REPO / "docs" / "schemas" / generated.name
        assert shipped.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
            f"{shipped.relative_to(REPO)} is stale: run `wargame schema --out docs/schemas`"
        )
