"""Broken files report every problem with the right line and message, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.scenario import LoadError, load_any, load_ruleset, load_scenario, validate_paths

# file -> [(line, field path, message substring)], in the order they are reported.
EXPECTED: dict[str, list[tuple[int, str, str]]] = {
    "syntax_error.yaml": [(10, "", "YAML syntax error: expected ',' or ']'")],
    "unknown_field.yaml": [(9, "nations[0].colour", "unknown field")],
    "wrong_type.yaml": [(5, "moves", "valid integer")],
    "latitude_out_of_range.yaml": [(14, "sensors[0].lat_deg", "less than or equal to 90")],
    "unknown_sensor_owner.yaml": [(18, "sensors[1].owner", "unknown owner nation 'FRA'")],
    "duplicate_id.yaml": [(16, "objects[1].id", "duplicate object id 'sat-1'")],
    "inject_after_last_move.yaml": [(17, "msel[1].move", "move 5 is after the last move 2")],
    "move_length_zero.yaml": [(4, "move_length_hours", "greater than 0")],
    "duplicate_key.yaml": [(9, "nations[0].name", "duplicate key 'name' (first defined at line 8)")],
    "three_errors.yaml": [
        (3, "start_time", "timezone"),
        (9, "nations[0].side", "'blue', 'red' or 'commercial'"),
        (14, "objects[0].orbit", "inside the atmosphere"),
    ],
    "unknown_persona.yaml": [(14, "msel[0].persona", "inject 'inj-1': unknown persona 'p-nasa'")],
    "condition_unknown_inject.yaml": [
        (14, "msel[1].condition", "condition names unknown inject 'inj-9'")
    ],
    "condition_two_keys.yaml": [
        (15, "msel[0].condition.all_of[0]", "(found after_inject, escalation_at_least)")
    ],
    "contingency_timed.yaml": [(12, "msel[0].trigger", "must be 'manual', not 'time'")],
    "rel_without_nations.yaml": [(10, "msel[0]", "a 'REL' marking needs the named nations")],
    "missing_catalog_file.yaml": [
        (10, "background_catalog[1].file", "nowhere.tle: cannot read file")
    ],
    "catalog_too_big.yaml": [(9, "background_catalog[0].count", "less than or equal to 100000")],
    "omm_bad_elements.yaml": [
        (15, "objects[0].orbit.ECCENTRICITY", "less than 1 (got 1.2)"),
        (16, "objects[0].orbit.INCLINATION", "less than or equal to 180 (got 190.0)"),
    ],
    "bad_ruleset.yaml": [
        (3, "time_step_minutes", "greater than 0"),
        (11, "sensor_models.radar.type", "(got 'sonar')"),
        (18, "effects.telekinesis", "invalid key"),
    ],
    "bad_params.yaml": [
        (15, "msel[0].params.range_km", "params.range_km: Input should be a valid number, unable to parse "
         "string as a number (got 'five')"),
        (19, "msel[1].params.g_level", "params.g_level: not a parameter of space_weather injects"),
        (23, "msel[2].params.site_lat_deg", "params.site_lat_deg: Input should be less than or equal to 90"),
        (27, "msel[3].params", "params.secondary: Field required"),
        (28, "msel[3].params.miss_km", "params.miss_km: Input should be greater than or equal to 0"),
    ],
    "irreversible_effects.yaml": [
        (21, "effects.co_orbital.duration_moves", "duration_moves must be null when reversible is false"),
        (28, "effects.direct_ascent_asat.reversible", "reversible must be false when status is destroyed"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_line_path_and_message(broken: Path, name: str) -> None:
    path = broken / name
    with pytest.raises(LoadError) as info:
        load_any(path)
    problems = info.value.problems
    assert [(p.line, p.path) for p in problems] == [(line, fp) for line, fp, _ in EXPECTED[name]]
    for problem, (_, _, substring) in zip(problems, EXPECTED[name], strict=True):
        assert substring in problem.message
        assert problem.file == str(path)
        assert problem.col >= 1
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}: ")


def test_all_errors_reported_in_one_pass(broken: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_scenario(broken / "three_errors.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{broken / 'three_errors.yaml'}:") for line in lines)


def test_duplicate_key_and_schema_errors_come_together(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(
        "id: x\ntitle: t\ntitle: t2\nstart_time: 2027-03-01T00:00:00Z\n"
        "move_length_hours: -1\nmoves: 1\nnations: [{id: USA, name: US}]\n"
    )
    with pytest.raises(LoadError) as info:
        load_scenario(path)
    assert [(p.line, p.path) for p in info.value.problems] == [
        (3, "title"),
        (5, "move_length_hours"),
    ]


def test_cross_reference_problems_are_split_and_located(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(
        """id: refs
title: refs
start_time: 2027-03-01T00:00:00Z
move_length_hours: 6
moves: 1
nations:
  - {id: USA, name: US, played: false}
msel:
  - id: inj-1
    title: one
    type: message
    offset_hours: 7
    recipients: [USA, XYZ]
    objectives: [nope]
"""
    )
    with pytest.raises(LoadError) as info:
        load_scenario(path)
    located = [(p.line, p.path, p.message) for p in info.value.problems]
    assert located == [
        (1, "", "no nation is played by a team"),
        (9, "msel[0]", "inject 'inj-1': NOFORN goes to one nation only, not to USA, XYZ"),
        (
            12,
            "msel[0].offset_hours",
            "inject 'inj-1': offset_hours 7.0 is not inside a move of 6.0 h",
        ),
        (13, "msel[0].recipients[1]", "inject 'inj-1': unknown recipient 'XYZ'"),
        (14, "msel[0].objectives[0]", "inject 'inj-1': unknown objective 'nope'"),
    ]


def test_ruleset_validator_message_points_at_named_field(tmp_path: Path, repo: Path) -> None:
    text = (repo / "rulesets" / "standard.yaml").read_text()
    text = text.replace("    destroyed: 0.0 ", "    # removed ")
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(LoadError) as info:
        load_ruleset(path)
    (problem,) = info.value.problems
    assert problem.path == "capability.service_by_status"
    assert "lacks ['destroyed']" in problem.message
    assert text.splitlines()[problem.line - 1].strip().startswith("service_by_status:")


@pytest.mark.parametrize(
    ("name", "line", "substring"),
    [
        (
            "unknown_sensor_model.yaml",
            14,
            "sensor model 'magic_radar' is not in ruleset 'standard'",
        ),
        ("missing_ruleset.yaml", 3, "ruleset 'no-such-rules' not found"),
        (
            "sensor_target_not_allowed.yaml",
            28,
            "inject 'inj-2': a direct_ascent_asat inject cannot target sensor 'usa-fence': "
            "effects.direct_ascent_asat.targets in ruleset 'standard' allows objects only",
        ),
    ],
)
def test_validate_checks_the_ruleset_reference(broken: Path, name: str, line: int, substring: str) -> None:
    code, lines = validate_paths([str(broken / name)])
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{broken / name}:{line}:")
    assert substring in lines[0]


def test_validate_flags_inject_without_effect_rule_and_unknown_protection(tmp_path: Path, repo: Path) -> None:
    rules = (repo / "rulesets" / "standard.yaml").read_text()
    start = rules.index("  laser_dazzle:")
    end = rules.index("  laser_damage:")
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "rulesets" / "standard.yaml").write_text(rules[:start] + rules[end:])
    scenario = (repo / "scenarios" / "tutorial.yaml").read_text()
    scenario = scenario.replace("protections: [encrypted_link]\n", "protections: [cloak]\n", 1)
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "tutorial.yaml"
    path.write_text(scenario)
    code, lines = validate_paths([str(path)])
    assert code == 1
    assert len(lines) == 2
    assert "protection 'cloak' is not used by any effect rule" in lines[0]
    assert "objects[9].protections[0]" in lines[0]
    assert "inject type 'laser_dazzle' has no effect rule in ruleset 'standard'" in lines[1]
    assert ": msel[5].type: " in lines[1]


def test_validate_reports_every_broken_file_and_exits_1(broken: Path) -> None:
    code, lines = validate_paths([str(broken)])
    assert code == 1
    files = {line.split(":", 1)[0] for line in lines}
    assert files == {str(p) for p in broken.glob("*.yaml")}
    assert not any("Traceback" in line for line in lines)


def test_command_line_never_prints_a_traceback(broken: Path, repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wargame.scenario", "validate", str(broken), "/no/such/file.yaml"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert "/no/such/file.yaml: cannot read file: No such file or directory" in result.stdout
    assert len(result.stdout.splitlines()) >= len(list(broken.glob("*.yaml")))


_TUTORIAL_LINES = (
    (Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml").read_text().splitlines()
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["delete", "cut", "dup", "colon"])),
        min_size=1,
        max_size=4,
    )
)
def test_mangled_tutorial_only_ever_raises_load_error(edits: list[tuple[int, str]]) -> None:
    lines = list(_TUTORIAL_LINES)
    for position, operation in edits:
        index = position % len(lines)
        if operation == "delete":
            del lines[index]
        elif operation == "cut":
            lines[index] = lines[index][: position % (len(lines[index]) + 1)]
        elif operation == "dup":
            lines.insert(index, lines[(index * 7) % len(lines)])
        else:
            lines[index] = lines[index].replace(":", ": x", 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenarios" / "mangled.yaml"
        path.parent.mkdir()
        path.write_text("\n".join(lines))
        try:
            load_scenario(path)
        except LoadError as exc:
            assert exc.problems
            assert all(p.line >= 1 and p.col >= 1 for p in exc.problems)
        code, output = validate_paths([str(path)])
        assert code in (0, 1) and output
        assert not any("internal error" in line for line in output)


def test_validate_checks_params_and_the_objects_they_name(tmp_path: Path, repo: Path) -> None:
    tutorial = (repo / "scenarios" / "tutorial.yaml").read_text()
    approach = "params: {approacher: red-inspector-1, range_km: 5.0}"
    conjunction = "params: {secondary: deb-c1408-f02, miss_km: 0.15, tca_offset_hours: 4}"
    assert approach in tutorial and conjunction in tutorial
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "tutorial.yaml"
    path.write_text(tutorial.replace(approach, "params: {approacher: red-inspector-1, range_km: five}"))
    code, lines = validate_paths([str(path)])
    number = next(i for i, t in enumerate(tutorial.splitlines(), 1) if approach in t)
    column = tutorial.splitlines()[number - 1].index("range_km") + 1
    assert (code, lines) == (1, [
        f"{path}:{number}:{column}: msel[3].params.range_km: params.range_km: Input should be a valid "
        "number, unable to parse string as a number (got 'five')"
    ])
    # Valid params that name no object of the scenario, or the target itself.
    path.write_text(
        tutorial.replace(approach, "params: {approacher: jpn-kirameki-1, range_km: 5.0}")
        .replace(conjunction, "params: {secondary: deb-nowhere, miss_km: 0.15}")
    )
    code, lines = validate_paths([str(path)])
    first = next(i for i, t in enumerate(tutorial.splitlines(), 1) if conjunction in t)
    assert code == 1 and [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:{first}:{tutorial.splitlines()[first - 1].index('secondary') + 1}",
        f"{path}:{number}:{tutorial.splitlines()[number - 1].index('approacher') + 1}",
    ]
    assert lines[0].endswith("msel[1].params.secondary: inject 'inj-002': params.secondary names unknown "
                             "object 'deb-nowhere'")
    assert lines[1].endswith("msel[3].params.approacher: inject 'inj-004': params.approacher "
                             "'jpn-kirameki-1' is the target itself")
