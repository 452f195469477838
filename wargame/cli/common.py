"""What every `wargame` command shares: exit codes, one-line errors, --json, progress, env-var options."""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

OK, FAILED, USAGE, NOT_FOUND, INVALID, UNAVAILABLE = 0, 1, 2, 3, 4, 5
CODE_NAMES = {
    OK: "ok",
    FAILED: "failed",
    USAGE: "usage",
    NOT_FOUND: "not_found",
    INVALID: "invalid",
    UNAVAILABLE: "unavailable",
}
EXIT_CODES = """\b
Exit codes:
  0  ok
  1  the operation failed (e.g. verification found tampering)
  2  usage error (unknown command or option, bad option value)
  3  not found (unknown exercise, seat, scenario, viewer, file)
  4  refused or invalid input (bad scenario file, rejected command)
  5  service unavailable (database or Redis down)
Errors go to stderr as one line `error: <what> (<code>)`; with --json as JSON."""

Teller = Callable[[str], None]


class CliError(Exception):
    """A command's failure: its message, exit code and any detail lines (a file's problems)."""

    def __init__(self, message: str, code: int = FAILED, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message, self.code, self.details = message, code, list(details)


def fail(message: str, code: int = FAILED, details: Sequence[str] = ()) -> NoReturn:
    raise CliError(message, code, details)


def _class_names(exc: BaseException) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(exc).__mro__}


UNAVAILABLE_ERRORS = {
    "django.db.utils.OperationalError",
    "django.db.utils.InterfaceError",
    "redis.exceptions.ConnectionError",
    "redis.exceptions.TimeoutError",
}


def as_cli_error(exc: Exception) -> CliError:
    """The exit code and message of an exception a command did not turn into a CliError."""
    if isinstance(exc, CliError):
        return exc
    from wargame.scenario import LoadError

    if isinstance(exc, LoadError):
        lines = exc.lines()
        return CliError(f"invalid file: {len(lines)} problem(s)", INVALID, lines)
    if "no such table" in str(exc):
        return CliError(f"{exc}: the database has no tables yet (run `wargame migrate`)", FAILED)
    if _class_names(exc) & UNAVAILABLE_ERRORS or (
        isinstance(exc, OSError) and exc.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH)
    ):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return CliError(f"service unavailable: {first}", UNAVAILABLE)
    if isinstance(exc, FileNotFoundError):
        return CliError(str(exc), NOT_FOUND)
    text = " ".join(str(exc).split()) or type(exc).__name__
    return CliError(text, FAILED)


def report_error(error: CliError, as_json: bool) -> None:
    """The error on stderr: detail lines then `error: <what> (<code>)`, or one JSON object."""
    if as_json:
        document: dict[str, Any] = {
            "error": error.message,
            "code": error.code,
            "kind": CODE_NAMES[error.code],
        }
        if error.details:
            document["problems"] = error.details
        click.echo(json.dumps(document), err=True)
        return
    for line in error.details:
        click.echo(line, err=True)
    click.echo(f"error: {error.message} ({error.code})", err=True)


class WargameCommand(click.Command):
    """A command that returns its exit code and turns exceptions into the exit-code scheme."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("WARGAME_DEBUG") == "1":
                raise
            error = as_cli_error(exc)
            report_error(error, bool(ctx.params.get("as_json")))
            code = error.code
        code = int(code or 0)
        if code:
            ctx.exit(code)
        return code


class WargameGroup(click.Group):
    """A group whose commands and subgroups follow the exit-code scheme."""

    command_class = WargameCommand


WargameGroup.group_class = WargameGroup


def examples(*lines: str) -> str:
    """An epilog that click prints as written: `Examples:` and one command a line."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def option(*decls: str, envvar: str, help: str, **kwargs: Any) -> Callable[[Any], Any]:
    """A click option that shows its default and its environment variable in --help."""
    return click.option(*decls, envvar=envvar, show_envvar=True, show_default=True, help=help, **kwargs)


def exercise_argument(required: bool = True) -> Callable[[Any], Any]:
    return click.argument("exercise", envvar="WARGAME_EXERCISE", required=required)


json_option = option(
    "--json",
    "as_json",
    is_flag=True,
    envvar="WARGAME_JSON",
    help="print the result as JSON on stdout (errors as JSON on stderr)",
)
progress_option = option(
    "--progress",
    is_flag=True,
    envvar="WARGAME_PROGRESS",
    help="tell progress on stderr (the default when stderr is a terminal)",
)
quiet_option = option("--quiet", is_flag=True, envvar="WARGAME_QUIET", help="tell no progress")


def progress_teller(label: str, progress: bool, quiet: bool) -> Teller | None:
    """One stderr line per step (`label: step (elapsed s)`) when asked or on a terminal; None when quiet."""
    if quiet or not (progress or sys.stderr.isatty()):
        return None
    started = time.monotonic()

    def tell(message: str) -> None:
        click.echo(f"{label}: {message} ({time.monotonic() - started:.1f} s)", err=True)

    return tell


def tell(teller: Teller | None, message: str) -> None:
    if teller is not None:
        teller(message)


def print_json(document: Any) -> None:
    click.echo(json.dumps(document))


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell."""
    table = [list(header), *[list(row) for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.server.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def use_state_dir(data_dir: str | None) -> None:
    """Point WARGAME_STATE_DIR at `data_dir` (if given): the default SQLite database's folder."""
    if data_dir:
        os.environ["WARGAME_STATE_DIR"] = os.path.abspath(data_dir)


def require_exercise(store: Any, exercise_id: str) -> None:
    if store.read_last_seq(exercise_id) == 0:
        fail(f"no exercise {exercise_id!r}", NOT_FOUND)


def command(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], WargameCommand]:
    """`click.command` making a WargameCommand."""
    made: Callable[[Callable[..., Any]], WargameCommand] = click.command(name, cls=WargameCommand, **kwargs)
    return made


def group(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], WargameGroup]:
    """`click.group` making a WargameGroup."""
    made: Callable[[Callable[..., Any]], WargameGroup] = click.group(name, cls=WargameGroup, **kwargs)
    return made
