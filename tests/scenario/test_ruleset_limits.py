"""Ruleset values the core cannot honour are refused with the field's path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from wargame.domain.ruleset_model import Ruleset

STANDARD = Path(__file__).resolve().parents[2] / "rulesets" / "standard.yaml"


def test_delayed_sharing_of_more_than_one_move_is_refused() -> None:
    data = yaml.safe_load(STANDARD.read_text())
    assert Ruleset.model_validate(data).sharing.delayed_moves == 1
    data["sharing"]["delayed_moves"] = 2
    with pytest.raises(ValidationError) as caught:
        Ruleset.model_validate(data)
    assert "sharing.delayed_moves" in str(caught.value)
