"""Finding scenario and ruleset files by id or by path."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.scenario import find_ruleset, find_scenario

REPO = Path(__file__).resolve().parents[2]


def test_ids_resolve_to_the_shipped_files() -> None:
    assert find_scenario("tutorial") == REPO / "scenarios" / "tutorial.yaml"
    assert find_ruleset("classroom") == REPO / "rulesets" / "classroom.yaml"


def test_paths_are_taken_as_given(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\n", encoding="utf-8")
    assert find_scenario(path) == path
    assert find_ruleset(str(path)) == path


@pytest.mark.parametrize("bad", ["../etc/passwd", ".hidden", "", "nope"])
def test_unknown_or_unsafe_ids_are_refused(bad: str) -> None:
    with pytest.raises(FileNotFoundError):
        find_scenario(bad)
    with pytest.raises(FileNotFoundError):
        find_ruleset(bad)


def test_a_missing_yaml_path_names_the_kind(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no ruleset file"):
        find_ruleset(tmp_path / "absent.yaml")
