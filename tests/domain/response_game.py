"""A small exercise with the standard ruleset's `responses` section and spares (response tests)."""

from __future__ import annotations

from typing import Any

from tests.factories import ruleset_data, scenario_data
from wargame.domain.events import ExerciseCreated
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.resources import shipped_root
from wargame.scenario.loader import load_ruleset

STANDARD = load_ruleset(shipped_root() / "rulesets" / "standard.yaml")
RESPONSES = STANDARD.responses
assert RESPONSES is not None


def response_ruleset_data() -> dict[str, Any]:
    data = ruleset_data()
    data["capability"]["service_by_status"]["safe_mode"] = STANDARD.capability.service_by_status["safe_mode"]
    data["responses"] = RESPONSES.model_dump(mode="json")
    data["orders"]["attribution_levels"] = [*data["orders"]["attribution_levels"], "almost certain"]
    return data


def spare(spare_id: str, owner: str, lead: int) -> dict[str, Any]:
    sat = next(o for o in scenario_data()["objects"] if o["id"] == "usa-isr")
    return {**sat, "id": spare_id, "name": f"spare {spare_id}", "owner": owner, "lead_time_moves": lead}


def response_created() -> ExerciseCreated:
    data = scenario_data()
    data["spares"] = [spare("usa-spare", "USA", 1), spare("gbr-spare", "GBR", 2)]
    scenario = Scenario.model_validate(data)
    return ExerciseCreated(
        title=scenario.title,
        scenario=scenario,
        ruleset=Ruleset.model_validate(response_ruleset_data()),
        seed=scenario.seed,
    )
