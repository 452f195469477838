"""`wargame exercise export|import`: an exercise as one verifiable bundle, and back into a database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from wargame.cli.common import (
    FAILED,
    INVALID,
    NOT_FOUND,
    command,
    django_setup,
    examples,
    exercise_argument,
    fail,
    json_option,
    migrate,
    option,
    print_json,
    progress_option,
    progress_teller,
    quiet_option,
    tell,
)

FAILED_CHECKS = frozenset(
    {
        "blob_missing",
        "blob_tampered",
        "bundle_member_missing",
        "bundle_member_unlisted",
        "log_tampered",
        "snapshot_missing",
        "snapshot_tampered",
        "snapshot_unrecorded",
    }
)
"""Bundle errors that mean a check failed (exit 1); the others are refused input (4) or not found (3)."""


def _exit_code(code: str) -> int:
    if code in ("no_exercise", "bundle_missing"):
        return NOT_FOUND
    return FAILED if code in FAILED_CHECKS else INVALID


def _counter(teller: Any, verb: str) -> Any:
    if teller is None:
        return None

    def progress(done: int, total: int) -> None:
        teller(f"{verb} {done} of {total} events")

    return progress


def _finish(summary: Any, as_json: bool, what: str) -> int:
    document = summary.as_json()
    if as_json:
        print_json(document)
        return 0
    click.echo(
        f"{what} exercise {summary.exercise_id}: {summary.events} events, head {summary.head}"
        + (f" (bundle head {summary.source_head})" if summary.source_head != summary.head else "")
    )
    for link in document.get("links", []):
        click.echo(f"  {link}")
    return 0


@command(
    "export",
    epilog=examples(
        "wargame exercise export EX --out ex.zip",
        "wargame exercise export EX --out ex.zip --json --quiet",
    ),
)
@exercise_argument()
@option("--out", required=True, envvar="WARGAME_BUNDLE_OUT", help="the zip file to write")
@json_option
@progress_option
@quiet_option
def export_command(exercise: str, out: str, as_json: bool, progress: bool, quiet: bool) -> int:
    """Write EXERCISE as one zip bundle: manifest, log, scenario, ruleset, blobs, snapshots and seats
    (token hashes only), every member hashed in the manifest (docs/operations.md)."""
    teller = progress_teller("exercise export", progress, quiet)
    django_setup()
    from wargame.eventlog.bundle_format import BundleError
    from wargame.server.bundles import export_bundle

    tell(teller, f"writing {out}")
    try:
        summary = export_bundle(exercise, Path(out), progress=_counter(teller, "wrote"))
    except BundleError as exc:
        fail(f"{exc.message} ({exc.code})", _exit_code(exc.code))
    return _finish(summary, as_json, "exported")


@command(
    "import",
    epilog=examples(
        "wargame exercise import ex.zip",
        "wargame exercise import ex.zip --as rehearsal-2 --json",
        "DATABASE_URL=postgres://wargame@db/wargame wargame exercise import ex.zip",
    ),
)
@click.argument("bundle", envvar="WARGAME_BUNDLE")
@option(
    "--as",
    "as_id",
    default=None,
    envvar="WARGAME_IMPORT_AS",
    help="a new exercise id (the log is sealed again and every seat gets a new link; default: the same id)",
)
@json_option
@progress_option
@quiet_option
def import_command(bundle: str, as_id: str | None, as_json: bool, progress: bool, quiet: bool) -> int:
    """Check BUNDLE (every member's hash, the chain and its head) and import it into this
    database (DATABASE_URL) in one transaction; nothing is written if any check fails."""
    teller = progress_teller("exercise import", progress, quiet)
    path = Path(bundle)
    if not path.is_file():
        fail(f"no bundle file {bundle}", NOT_FOUND)
    django_setup()
    migrate()
    from wargame.eventlog.bundle_format import BundleError
    from wargame.server.bundles import import_bundle

    tell(teller, f"reading {bundle}")
    try:
        summary = import_bundle(path, as_id=as_id, progress=_counter(teller, "imported"))
    except BundleError as exc:
        fail(f"{exc.message} ({exc.code})", _exit_code(exc.code))
    return _finish(summary, as_json, "imported")


COMMANDS = [export_command, import_command]
