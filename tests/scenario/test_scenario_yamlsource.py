"""The YAML reader: values, 1-based positions, duplicate keys, aliases and error positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.scenario.problems import LoadError, Problem, format_field_path
from wargame.scenario.yamlsource import parse_yaml


def test_values_and_positions() -> None:
    parsed = parse_yaml("a: 1\nb:\n  - x: 2.5\n    y: [true, null]\n  - z\n", "f.yaml")
    assert parsed.data == {"a": 1, "b": [{"x": 2.5, "y": [True, None]}, "z"]}
    marks = parsed.source.marks
    assert marks[("a",)] == (1, 1)
    assert marks[("b",)] == (2, 1)
    assert marks[("b", 0)] == (3, 5)
    assert marks[("b", 0, "y")] == (4, 5)
    assert marks[("b", 0, "y", 1)] == (4, 15)
    assert marks[("b", 1)] == (5, 5)
    assert parsed.problems == []


def test_timestamps_stay_text_for_pydantic() -> None:
    parsed = parse_yaml("t: 2027-03-01T00:00:00Z\nd: 2027-03-01\n", "f.yaml")
    assert parsed.data == {"t": "2027-03-01T00:00:00Z", "d": "2027-03-01"}


def test_nearest_skips_steps_not_in_the_document() -> None:
    parsed = parse_yaml("objects:\n  - orbit:\n      kind: keplerian\n", "f.yaml")
    path, where = parsed.source.nearest(("objects", 0, "orbit", "keplerian", "epoch"))
    assert path == ("objects", 0, "orbit")
    assert where == (2, 5)
    assert parsed.source.nearest(("nothing",)) == ((), (1, 1))


def test_duplicate_keys_are_problems_and_the_first_value_wins() -> None:
    parsed = parse_yaml("a: 1\nb: {c: 1, c: 2}\na: 3\n", "f.yaml")
    assert parsed.data == {"a": 1, "b": {"c": 1}}
    assert [(p.line, p.col, p.path) for p in parsed.problems] == [(2, 11, "b.c"), (3, 1, "a")]
    assert all("duplicate key" in p.message for p in parsed.problems)


def test_anchors_aliases_and_merge_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\nlist: [*b]\n"
    parsed = parse_yaml(text, "f.yaml")
    assert parsed.data["item"] == {"y": 3, "x": 1}
    assert parsed.data["list"] == [{"x": 1, "y": 2}]
    assert parsed.source.marks[("item", "y")] == (4, 3)
    assert parsed.source.marks[("item", "x")] == (1, 11)


def test_recursive_alias_is_a_problem_not_a_hang() -> None:
    parsed = parse_yaml("a: &a [*a]\n", "f.yaml")
    assert [p.message for p in parsed.problems] == ["recursive alias is not allowed"]


def test_complex_key_is_a_problem() -> None:
    parsed = parse_yaml("? [1, 2]\n: x\n", "f.yaml")
    assert parsed.problems[0].message.startswith("a mapping key must be a plain scalar")


@pytest.mark.parametrize(
    ("text", "line", "col", "substring"),
    [
        ("a: [1,\nb: 2\n", 3, 1, "expected ',' or ']'"),
        ("a: 1\n b: 2\n", 2, 3, "mapping values are not allowed here"),
        ("a: 1\nb: \x07\n", 2, 4, "special characters are not allowed"),
        ("--- 1\n--- 2\n", 2, 1, "expected a single document"),
        ("a: !!python/object:os.system x\n", 1, 4, "could not determine a constructor"),
        ("", 1, 1, "no YAML document"),
        ("# only a comment\n", 1, 1, "no YAML document"),
    ],
)
def test_yaml_errors_have_positions(text: str, line: int, col: int, substring: str) -> None:
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "f.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (line, col)
    assert substring in problem.message
    assert "\n" not in str(problem)


def test_problem_and_path_formatting() -> None:
    assert format_field_path(("objects", 3, "orbit", "kind")) == "objects[3].orbit.kind"
    assert format_field_path(()) == ""
    assert str(Problem("f.yaml", 2, 5, "a.b", "bad")) == "f.yaml:2:5: a.b: bad"
    assert str(Problem("f.yaml", 2, 5, "", "bad")) == "f.yaml:2:5: bad"
    assert str(Problem("f.yaml", 0, 0, "", "cannot read")) == "f.yaml: cannot read"
    error = LoadError([Problem("f", 1, 1, "", "x"), Problem("f", 2, 1, "", "y")])
    assert str(error) == "f:1:1: x\nf:2:1: y"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_but_load_error(text: str) -> None:
    try:
        parsed = parse_yaml(text, "f.yaml")
    except LoadError as exc:
        assert exc.problems
        assert all(p.line >= 1 and p.col >= 1 for p in exc.problems)
    else:
        assert all(p.line >= 1 for p in parsed.problems)
