"""The `wargame` command wires every tool: exit codes and outputs of the pure subcommands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from wargame.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_validate_ships_clean_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(REPO / "scenarios"), str(REPO / "rulesets")]) == 0
    assert "tutorial" in capsys.readouterr().out


def test_cdm_pc_prints_one_probability_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((REPO / "tests" / "adjudication" / "data" / "cdm").glob("*.cdm"))
    assert main(["cdm", "pc", *map(str, files)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(files) == 11
    assert all(0.0 <= float(line.split("\t")[1]) <= 1.0 for line in lines)
    assert main(["cdm", "pc", *map(str, files), "/no/such.cdm", "--json"]) == 1
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert [f"{row['pc']:.8e}" for row in rows[:-1]] == [line.split("\t")[1] for line in lines]
    assert rows[-1]["file"] == "/no/such.cdm" and "No such file" in rows[-1]["error"]
    assert json.loads(err)["code"] == 1


def test_cdm_needs_the_pc_verb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cdm", "nope"]) == 2
    assert "No such command 'nope'" in capsys.readouterr().err


def test_msel_export_writes_every_inject(tmp_path: Path) -> None:
    out = tmp_path / "msel.csv"
    assert main(["msel", "export", str(REPO / "scenarios" / "tutorial.yaml"), str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Inject ID"] for row in rows][:2] == ["inj-001", "inj-002"] and len(rows) == 9


def test_catalog_generate(tmp_path: Path) -> None:
    out = tmp_path / "bg.tle"
    argv = ["catalog", "generate", "--count", "7", "--seed", "3", "--epoch", "2027-03-01T00:00:00Z"]
    assert main([*argv, "--out", str(out)]) == 0
    assert len([line for line in out.read_text().splitlines() if line.startswith("1 ")]) == 7


def test_warmup_runs_every_kernel_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["warmup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("kernels ready: ")
    assert [part.split()[0] for part in out.removeprefix("kernels ready: ").split(", ")] == [
        "ephemeris", "access", "screening",
    ]


def test_bench_adjudication_takes_options_and_prints_the_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    argv = ["bench", "adjudication", "--json", "--objects", "400", "--sensors", "12", "--assets", "20",
            "--hours", "2", "--repeats", "1"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("access_vs_floor", "turn_vs_propagation", "peak_rss_mb", "mc1000_vs_single"):
        assert result[key] > 0.0, key
    assert result["n_obj"] == 400 and result["n_sensors"] == 12
