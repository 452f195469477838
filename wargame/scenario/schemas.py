"""Export the JSON Schemas of scenario and ruleset files, for editor autocompletion."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "scenario.schema.json": Scenario,
    "ruleset.schema.json": Ruleset,
}
"""File name of each exported schema. YAML files point at them with a first-line comment:
`# yaml-language-server: $schema=../docs/schemas/scenario.schema.json`."""


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The validation-mode JSON Schema of a model, with the draft it follows."""
    schema = model.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def export_json_schemas(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write scenario.schema.json and ruleset.schema.json into `out_dir`; return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, model in SCHEMA_FILES.items():
        target = folder / name
        text = json.dumps(json_schema(model), indent=2, sort_keys=False) + "\n"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
