"""`wargame aar sharing-value`: the tables computed on the spot, recorded in the log, or read back."""

from __future__ import annotations

import json

import pytest

from tests.aar.tutorial_game import EXERCISE, play
from wargame.cli import main
from wargame.cli.common import CliError
from wargame.ops.sharing_value import parse_variant, sharing_value


def test_computed_recorded_and_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    service = play()
    seq = service.state(EXERCISE).last_seq
    assert sharing_value(EXERCISE, [parse_variant("none")], per_release=False, service=service) == 0
    out, err = capsys.readouterr()
    assert "## Value of sharing" in out
    assert "as played reproduces the recorded adjudication exactly: yes" in out
    assert "| nobody shares | GBR | -1 | -32 |" in out
    assert "[9/9] nobody shares: move 4" in err
    assert service.state(EXERCISE).last_seq == seq  # computed, not recorded

    with pytest.raises(CliError) as missing:
        sharing_value(EXERCISE, [], mode="recorded", service=service)
    assert missing.value.code == 3 and "has no recorded sharing analysis" in missing.value.message

    variants = [parse_variant("withhold:USA")]
    assert sharing_value(EXERCISE, variants, False, "record", as_json=True, service=service) == 0
    recorded = json.loads(capsys.readouterr().out)
    assert [v["key"] for v in recorded["variants"]] == ["as_played", "withhold:USA"]
    types = [e.body.type for e in service.store.read_after(EXERCISE, seq)]
    assert types[0] == "sharing_analysis_requested" and types[-1] == "sharing_analysis_completed"
    assert sharing_value(EXERCISE, [], mode="recorded", as_json=True, service=service) == 0
    assert json.loads(capsys.readouterr().out) == recorded


def test_bad_variants_and_exercises_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aar", "sharing-value", "x", "--variant", "everyone"]) == 2
    assert "'everyone': a variant is one of as_played, all_full, none" in capsys.readouterr().err
    assert main(["aar", "sharing-value", "x", "--variant", "withhold"]) == 2
    assert "a withhold variant needs nation" in capsys.readouterr().err
    service = play()
    with pytest.raises(CliError) as missing:
        sharing_value("nope", [], service=service)
    assert missing.value.code == 3 and "no exercise 'nope'" in missing.value.message


def test_the_wargame_command_hands_every_argument_over() -> None:
    import click

    from wargame.cli import cli

    aar = cli.commands["aar"]
    assert isinstance(aar, click.Group)
    ctx = aar.commands["sharing-value"].make_context(
        "sharing-value", ["EX-1", "--variant", "open:JPN", "--json", "--no-per-release"]
    )
    assert ctx.params["exercise"] == "EX-1" and ctx.params["as_json"] and ctx.params["no_per_release"]
    assert [(v.kind, v.nation) for v in ctx.params["variants"]] == [("open", "JPN")]
