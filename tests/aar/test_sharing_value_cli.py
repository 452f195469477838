"""`wargame aar sharing-value`: the tables computed on the spot, recorded in the log, or read back."""

from __future__ import annotations

import json

import pytest

from tests.aar.tutorial_game import EXERCISE, play
from wargame.ops.sharing_value import main


def test_computed_recorded_and_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    service = play()
    seq = service.state(EXERCISE).last_seq
    assert main([EXERCISE, "--variant", "none", "--no-per-release"], service) == 0
    out, err = capsys.readouterr()
    assert "## Value of sharing" in out
    assert "as played reproduces the recorded adjudication exactly: yes" in out
    assert "| nobody shares | GBR | -1 | -32 |" in out
    assert "[9/9] nobody shares: move 4" in err
    assert service.state(EXERCISE).last_seq == seq  # computed, not recorded

    assert main([EXERCISE, "--recorded"], service) == 1
    assert "has no recorded sharing analysis" in capsys.readouterr().err

    record = [EXERCISE, "--variant", "withhold:USA", "--no-per-release", "--record", "--json"]
    assert main(record, service) == 0
    recorded = json.loads(capsys.readouterr().out)
    assert [v["key"] for v in recorded["variants"]] == ["as_played", "withhold:USA"]
    types = [e.body.type for e in service.store.read_after(EXERCISE, seq)]
    assert types[0] == "sharing_analysis_requested" and types[-1] == "sharing_analysis_completed"
    assert main([EXERCISE, "--recorded", "--json"], service) == 0
    assert json.loads(capsys.readouterr().out) == recorded


def test_bad_variants_and_exercises_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["x", "--variant", "everyone"])
    assert exit_.value.code == 2
    assert "'everyone': a variant is one of as_played, all_full, none" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["x", "--variant", "withhold"])
    assert "a withhold variant needs nation" in capsys.readouterr().err
    service = play()
    assert main(["nope"], service) == 1
    assert "no exercise 'nope'" in capsys.readouterr().err


def test_the_wargame_command_hands_every_argument_over() -> None:
    from wargame.cli import _parse, cmd_aar_sharing_value

    args = _parse(["aar", "sharing-value", "EX-1", "--variant", "open:JPN", "--json"])
    assert args.func is cmd_aar_sharing_value and args.rest == ["EX-1", "--variant", "open:JPN", "--json"]
