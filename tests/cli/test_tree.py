"""Every `wargame` command and option is documented: help, default, environment variable, examples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wargame import resources
from wargame.cli import cli, main

REPO = Path(__file__).resolve().parents[2]


def walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(cli))


def test_the_tree_holds_every_command_the_docs_name() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    expected = {
        "demo",
        "serve",
        "worker",
        "migrate",
        "validate",
        "schema",
        "replay",
        "warmup",
        "loadtest",
        "fault",
        "fuzz",
        "exercise create",
        "exercise list",
        "exercise start",
        "exercise advance",
        "exercise pause",
        "exercise resume",
        "exercise verify",
        "exercise export-log",
        "seat issue",
        "seat list",
        "seat reissue",
        "seat revoke",
        "aar export",
        "aar sharing-value",
        "msel export",
        "msel import",
        "catalog import",
        "catalog generate",
        "cdm pc",
        "cdm convert",
        "cdm export",
        "bench adjudication",
        "bench fanout",
        "bench scale",
        "inject schedule",
    }
    assert expected <= names, sorted(expected - names)


def test_every_option_has_help_an_environment_variable_and_shows_its_default() -> None:
    missing = []
    for path, command in COMMANDS:
        for param in command.params:
            if not isinstance(param, click.Option) or param.name in ("help", "version"):
                continue
            where = f"wargame {' '.join(path)} {param.opts[0]}"
            if not param.help:
                missing.append(f"{where}: no help")
            if not param.envvar or not param.show_envvar:
                missing.append(f"{where}: no environment variable shown")
            if not param.show_default:
                missing.append(f"{where}: default not shown")
    assert missing == []


def test_every_command_and_group_has_examples() -> None:
    lacking = [
        " ".join(path) or "wargame"
        for path, command in COMMANDS
        if "Examples:" not in (command.epilog or "") or "wargame " not in (command.epilog or "")
    ]
    assert lacking == []


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "wargame")
def test_help_exits_0_and_shows_examples_and_variables(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="wargame")
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.output
    flat = " ".join(result.output.split())
    assert result.output.startswith(f"Usage: wargame {' '.join(path)}".rstrip())
    command = dict(COMMANDS)[path]
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(param.envvar, str):
            assert f"env var: {param.envvar}" in flat, param.envvar


def test_the_exit_codes_are_documented_in_help_and_in_operations() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="wargame")
    lines = {" ".join(line.split()) for line in result.output.splitlines()}
    operations = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    for code, meaning in [
        (0, "ok"),
        (1, "the operation failed"),
        (2, "usage error"),
        (3, "not found"),
        (4, "refused or invalid input"),
        (5, "service unavailable"),
    ]:
        assert any(line.startswith(f"{code} {meaning}") for line in lines), code
        assert re.search(rf"^\| {code} \| {meaning}", operations, re.MULTILINE), code


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"wargame {resources.version()}\n"


def test_an_environment_variable_sets_an_option(tmp_path: Path) -> None:
    out = tmp_path / "bg.tle"
    env = {
        "WARGAME_CATALOG_COUNT": "4",
        "WARGAME_CATALOG_EPOCH": "2027-03-01T00:00:00Z",
        "WARGAME_CATALOG_OUT": str(out),
    }
    result = CliRunner().invoke(cli, ["catalog", "generate"], env=env, prog_name="wargame")
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}: 4 objects written\n"
    assert len([line for line in out.read_text().splitlines() if line.startswith("1 ")]) == 4


def test_the_command_line_starts_without_the_heavy_stack() -> None:
    """`wargame --help` stays quick: no numba, numpy or Django until a command needs them."""
    import subprocess
    import sys

    probe = "import sys, wargame.cli; print(sorted({'numba', 'numpy', 'django'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
