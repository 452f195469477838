"""Ruleset values the core cannot honour are refused with the field's path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.ruleset_model import FILE_CONTEXT, Ruleset

STANDARD = Path(__file__).resolve().parents[2] / "rulesets" / "standard.yaml"


def test_delayed_sharing_of_more_than_one_move_is_refused() -> None:
    data = yaml.safe_load(STANDARD.read_text())
    assert Ruleset.model_validate(data).sharing.delayed_moves == 1
    data["sharing"]["delayed_moves"] = 2
    with pytest.raises(ValidationError) as caught:
        Ruleset.model_validate(data)
    assert "sharing.delayed_moves" in str(caught.value)


@pytest.mark.parametrize("name", ["standard", "classroom"])
def test_shipped_irreversible_effects_last_for_good(name: str) -> None:
    data = yaml.safe_load((STANDARD.parent / f"{name}.yaml").read_text())
    effects = Ruleset.model_validate(data).effects
    irreversible = {kind.value for kind, rule in effects.items() if not rule.reversible}
    assert {"direct_ascent_asat", "co_orbital", "laser_damage", "nuclear_detonation"} <= irreversible
    assert all(effects[k].duration_moves is None for k in effects if k.value in irreversible)
    assert effects[InjectType.CYBER_SEIZURE].reversible  # the white cell may return control
    assert all(not r.reversible for r in effects.values() if r.status is AssetStatus.DESTROYED)


def test_effect_reversibility_is_checked_with_the_field_named() -> None:
    data = yaml.safe_load(STANDARD.read_text())
    data["effects"]["co_orbital"]["duration_moves"] = 3
    data["effects"]["nuclear_detonation"]["reversible"] = True
    with pytest.raises(ValidationError) as caught:
        Ruleset.model_validate(data, context=FILE_CONTEXT)
    errors = {".".join(map(str, e["loc"])): e["msg"] for e in caught.value.errors()}
    assert "duration_moves must be null when reversible is false" in errors["effects.co_orbital"]
    assert "not 3" in errors["effects.co_orbital"]
    assert "reversible must be false when status is destroyed" in errors["effects.nuclear_detonation"]
    # A ruleset recorded in a log before the rule existed still loads.
    assert Ruleset.model_validate(data).effects[InjectType.CO_ORBITAL].duration_moves == 3


def test_keys_added_later_are_required_in_files_but_old_logs_load() -> None:
    data = yaml.safe_load(STANDARD.read_text())
    for key in ("manoeuvre_drift_factor", "precise_sigma_km"):
        del data["custody"][key]
    with pytest.raises(ValidationError) as caught:
        Ruleset.model_validate(data, context=FILE_CONTEXT)
    (error,) = caught.value.errors()
    assert error["loc"] == ("custody",)
    assert "manoeuvre_drift_factor and precise_sigma_km required" in error["msg"]
    recorded = Ruleset.model_validate(data)  # as in an exercise_created event of an older log
    assert (recorded.custody.manoeuvre_drift_factor, recorded.custody.precise_sigma_km) == (0.0, None)


def test_precise_sigma_must_be_within_custody() -> None:
    from tests.factories import ruleset_data

    data = ruleset_data()
    data["custody"] = {**data["custody"], "precise_sigma_km": 30.0}
    with pytest.raises(ValidationError, match=r"precise_sigma_km \(30.0\) must not exceed custody_max"):
        Ruleset.model_validate(data)
