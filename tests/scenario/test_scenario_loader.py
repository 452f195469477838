"""load_any dispatch, ruleset lookup (folders and WARGAME_DATA_DIR) and JSON Schema export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.scenario import (
    DATA_DIR_ENV,
    LoadError,
    default_ruleset_dirs,
    default_scenario_dirs,
    export_json_schemas,
    find_ruleset,
    load_any,
    load_scenario,
    validate_paths,
)


def test_load_any_decides_by_top_level_key(repo: Path, tmp_path: Path) -> None:
    assert isinstance(load_any(repo / "scenarios" / "tutorial.yaml"), Scenario)
    assert isinstance(load_any(repo / "rulesets" / "standard.yaml"), Ruleset)
    # Content beats folder: a ruleset copied anywhere is still a ruleset.
    copy = tmp_path / "scenarios" / "rules.yaml"
    copy.parent.mkdir()
    shutil.copy(repo / "rulesets" / "standard.yaml", copy)
    assert isinstance(load_any(copy), Ruleset)


def test_load_any_falls_back_to_the_folder(tmp_path: Path) -> None:
    (tmp_path / "rulesets").mkdir()
    path = tmp_path / "rulesets" / "thin.yaml"
    path.write_text("id: thin\ntitle: Thin\n")
    with pytest.raises(LoadError) as info:
        load_any(path)
    assert {p.path for p in info.value.problems} >= {"sensor_models", "effects", "escalation"}
    assert all(p.message == "Field required" for p in info.value.problems)


def test_load_any_says_when_it_cannot_tell(tmp_path: Path) -> None:
    path = tmp_path / "mystery.yaml"
    path.write_text("id: x\ntitle: y\n")
    with pytest.raises(LoadError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert "cannot tell whether this is a scenario or a ruleset" in problem.message


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read file: No such file or directory"):
        load_scenario(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(LoadError, match="not UTF-8"):
        load_scenario(latin)
    with pytest.raises(LoadError, match="cannot read file"):
        load_scenario(tmp_path)


def test_top_level_list_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(LoadError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (1, "")
    assert "dictionary" in problem.message


def test_default_dirs_are_the_repository_folders(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert default_scenario_dirs() == [repo / "scenarios"]
    assert default_ruleset_dirs() == [repo / "rulesets"]
    assert find_ruleset("standard") == repo / "rulesets" / "standard.yaml"
    assert find_ruleset("classroom") == repo / "rulesets" / "classroom.yaml"


def test_data_dir_env_is_searched_first(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rulesets").mkdir()
    shutil.copy(repo / "rulesets" / "standard.yaml", tmp_path / "rulesets" / "standard.yml")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert default_ruleset_dirs() == [tmp_path / "rulesets", repo / "rulesets"]
    assert find_ruleset("standard") == tmp_path / "rulesets" / "standard.yml"


def test_find_ruleset_by_declared_id_and_failures(repo: Path, tmp_path: Path) -> None:
    shutil.copy(repo / "rulesets" / "classroom.yaml", tmp_path / "lesson-rules.yaml")
    (tmp_path / "broken.yaml").write_text("a: [\n")
    assert find_ruleset("classroom", [tmp_path]) == tmp_path / "lesson-rules.yaml"
    with pytest.raises(FileNotFoundError, match="ruleset 'nope' not found"):
        find_ruleset("nope", [tmp_path])
    with pytest.raises(FileNotFoundError, match="invalid ruleset id"):
        find_ruleset("../etc/passwd", [tmp_path])


def test_scenario_finds_a_ruleset_beside_it(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rulesets").mkdir()
    text = (repo / "scenarios" / "tutorial.yaml").read_text()
    (tmp_path / "scenarios" / "t.yaml").write_text(text.replace("ruleset: standard", "ruleset: local"))
    rules = (repo / "rulesets" / "classroom.yaml").read_text().replace("id: classroom", "id: local")
    (tmp_path / "rulesets" / "local.yaml").write_text(rules)
    code, lines = validate_paths([str(tmp_path / "scenarios" / "t.yaml")])
    assert code == 0, lines
    assert str(tmp_path / "rulesets" / "local.yaml") in lines[0]


def test_ruleset_id_mismatch_is_reported(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rulesets").mkdir()
    shutil.copy(repo / "scenarios" / "tutorial.yaml", tmp_path / "scenarios" / "t.yaml")
    shutil.copy(repo / "rulesets" / "classroom.yaml", tmp_path / "rulesets" / "standard.yaml")
    code, lines = validate_paths([str(tmp_path / "scenarios" / "t.yaml")])
    assert code == 1
    assert len(lines) == 1 and "declares id 'classroom', not 'standard'" in lines[0]


def test_validate_paths_edge_cases(tmp_path: Path) -> None:
    assert validate_paths([])[0] == 1
    code, lines = validate_paths([str(tmp_path)])
    assert code == 1 and "no YAML files found" in lines[0]


def test_export_json_schemas(tmp_path: Path) -> None:
    written = export_json_schemas(tmp_path / "schemas")
    assert [p.name for p in written] == ["scenario.schema.json", "ruleset.schema.json"]
    scenario = json.loads(written[0].read_text())
    ruleset = json.loads(written[1].read_text())
    assert scenario["title"] == "Scenario"
    assert ruleset["title"] == "Ruleset"
    assert scenario["$schema"].startswith("https://json-schema.org/")
    assert {"nations", "msel", "start_time"} <= set(scenario["properties"])
    assert {"sensor_models", "effects", "escalation"} <= set(ruleset["properties"])
    assert scenario["additionalProperties"] is False
    assert set(scenario["required"]) >= {"id", "title", "start_time", "nations"}
