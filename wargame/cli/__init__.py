"""The `wargame` command: one click group over the command groups of this package."""

from __future__ import annotations

from collections.abc import Sequence

import click

from wargame import resources
from wargame.cli import (
    aar,
    cdm,
    exercise,
    exercise_bundle,
    exercise_play,
    files,
    operator,
    seat,
    serving,
    tools,
)
from wargame.cli.common import EXIT_CODES, WargameGroup, django_setup, migrate


@click.group(
    cls=WargameGroup,
    epilog=EXIT_CODES + "\n\n" + "\b\nExamples:\n  wargame demo\n"
    "  wargame exercise create tutorial --json\n  wargame exercise advance EX --to-end\n"
    "  wargame aar export EX --format md\n  wargame COMMAND --help",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
)
@click.version_option(resources.version(), "--version", prog_name="wargame", message="%(prog)s %(version)s")
def cli() -> None:
    """Allied space crisis wargame server: serve, play and look back at exercises.

    Every option can also be set by the environment variable its help names."""


for made in [
    *serving.COMMANDS,
    exercise.exercise,
    seat.seat,
    *aar.COMMANDS,
    *files.COMMANDS,
    cdm.cdm,
    operator.operator,
    *tools.COMMANDS,
]:
    cli.add_command(made)
for made in [*exercise_play.COMMANDS, *exercise_bundle.COMMANDS]:
    exercise.exercise.add_command(made)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (the scheme in `wargame --help`)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name="wargame", standalone_mode=False
        )
    except click.exceptions.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("", err=True)
        return 130
    return int(result) if isinstance(result, int) else 0


__all__ = ["cli", "django_setup", "main", "migrate"]
