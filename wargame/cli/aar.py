"""`wargame aar export|sharing-value` and `wargame replay`: looking back at an exercise."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from wargame.cli.common import (
    INVALID,
    NOT_FOUND,
    USAGE,
    CliError,
    command,
    django_setup,
    examples,
    exercise_argument,
    fail,
    group,
    json_option,
    option,
    progress_option,
    progress_teller,
    quiet_option,
    require_exercise,
    use_state_dir,
)

AAR_FORMATS = ["json", "md", "html", "docx", "xlsx"]


def _checked_viewer(store: Any, exercise_id: str, viewer: str) -> None:
    """Exit 3 unless `viewer` is a seat of the exercise."""
    from wargame.domain.events import ExerciseCreated
    from wargame.eventlog.replay_view import UnknownViewer, check_viewer

    first = next(iter(store.iter_after(exercise_id, 0)), None)
    if first is None or not isinstance(first.body, ExerciseCreated):
        fail(f"exercise {exercise_id!r} has no exercise_created event", NOT_FOUND)
    try:
        check_viewer(viewer, first.body.scenario)
    except UnknownViewer as exc:
        raise CliError(str(exc), NOT_FOUND) from exc


@group(epilog=examples("wargame aar export EX --format md", "wargame aar sharing-value EX --recorded"))
def aar() -> None:
    """The after-action review."""


@aar.command(
    epilog=examples(
        "wargame aar export EX --format md > aar.md",
        "wargame aar export EX --format docx --out aar-ip.docx",
        "wargame aar export EX --format html --viewer team:USA --out usa.html",
    )
)
@exercise_argument()
@option(
    "--format",
    "fmt",
    type=click.Choice(AAR_FORMATS),
    default="md",
    envvar="WARGAME_AAR_FORMAT",
    help="json, md, html, docx (the HSEEP AAR/IP) or xlsx (its improvement plan); binary ones need --out",
)
@option(
    "--viewer",
    default="facilitator",
    envvar="WARGAME_AAR_VIEWER",
    help="facilitator, evaluator, white_cell, observer or team:XXX",
)
@option("--out", default=None, envvar="WARGAME_AAR_OUT", help="file to write (default: standard output)")
@progress_option
@quiet_option
def export(exercise: str, fmt: str, viewer: str, out: str | None, progress: bool, quiet: bool) -> int:
    """Export the after-action review of an exercise, as one seat may see it."""
    django_setup()
    from wargame.aar import FORMATS, build_report
    from wargame.aar.progress import reporting_to
    from wargame.eventlog.replay import catalog_reader
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    require_exercise(store, exercise)
    _checked_viewer(store, exercise, viewer)
    if out is None and fmt in ("docx", "xlsx") and sys.stdout.isatty():
        fail(f"{fmt} is a binary document; write it to a file with --out", USAGE)
    _, _, exporter = FORMATS[fmt]
    with reporting_to(progress_teller("aar export", progress, quiet)):
        events = store.iter_after(exercise, 0)
        exported = exporter(build_report(events, viewer, catalogs=catalog_reader(store)))
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    if out:
        Path(out).write_bytes(data)
    elif isinstance(exported, str):
        sys.stdout.write(exported)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _variant(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Any]:
    from wargame.ops.sharing_value import parse_variant

    try:
        return [parse_variant(value) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@aar.command(
    "sharing-value",
    epilog=examples(
        "wargame aar sharing-value EX",
        "wargame aar sharing-value EX --variant withhold:USA --variant open:JPN --json",
        "wargame aar sharing-value EX --record",
        "wargame aar sharing-value EX --recorded --json",
    ),
)
@exercise_argument()
@option(
    "--variant",
    "variants",
    multiple=True,
    callback=_variant,
    envvar="WARGAME_SHARING_VARIANTS",
    help="all_full, none, no_review, withhold:NATION, open:NATION (repeat; default: all_full, none, "
    "no_review; the variable: separated by spaces)",
)
@option(
    "--no-per-release",
    is_flag=True,
    envvar="WARGAME_SHARING_NO_PER_RELEASE",
    help="skip each nation withholding and each release removed alone",
)
@option(
    "--record",
    is_flag=True,
    envvar="WARGAME_SHARING_RECORD",
    help="record the analysis in the exercise's log (as the facilitator)",
)
@option(
    "--recorded", is_flag=True, envvar="WARGAME_SHARING_RECORDED", help="print the latest recorded analysis"
)
@json_option
def sharing_value(
    exercise: str, variants: list[Any], no_per_release: bool, record: bool, recorded: bool, as_json: bool
) -> int:
    """The value of sharing: the exercise re-adjudicated under other sharing, per nation and move."""
    if record and recorded:
        fail("--record and --recorded exclude each other", USAGE)
    django_setup()
    from wargame.ops.sharing_value import sharing_value as run

    mode = "record" if record else "recorded" if recorded else "compute"
    return run(exercise, variants, not no_per_release, mode, as_json)


@command(
    epilog=examples(
        "wargame replay EX --viewer team:USA --at 120",
        "wargame replay EX --viewer white_cell --at 300 --picture --out at300.json",
        "wargame replay EX --viewer observer --at 12 --db postgres://u@db/wargame",
    )
)
@exercise_argument()
@option(
    "--viewer",
    required=True,
    envvar="WARGAME_REPLAY_VIEWER",
    help="team:USA, white_cell, facilitator, evaluator or observer",
)
@option(
    "--at",
    "at_seq",
    required=True,
    type=int,
    envvar="WARGAME_REPLAY_AT",
    help="the global seq to stop after (1 to the last)",
)
@option(
    "--picture",
    is_flag=True,
    envvar="WARGAME_REPLAY_PICTURE",
    help="add the seat's picture at that point as rows (a team's own; the truth for control seats)",
)
@option(
    "--db",
    default=None,
    envvar="DATABASE_URL",
    help="database URL (default: the SQLite database in --data-dir)",
)
@option(
    "--data-dir",
    default=None,
    envvar="WARGAME_STATE_DIR",
    help="folder of the default SQLite database (as `wargame demo --data-dir`; default var/)",
)
@option(
    "--out", default=None, envvar="WARGAME_REPLAY_OUT", help="write the JSON here instead of standard output"
)
def replay(
    exercise: str,
    viewer: str,
    at_seq: int,
    picture: bool,
    db: str | None,
    data_dir: str | None,
    out: str | None,
) -> int:
    """A seat's view at any seq of an exercise, exactly as it was sent, as JSON."""
    if db:
        os.environ["DATABASE_URL"] = db
    use_state_dir(data_dir)
    django_setup()
    from wargame.adjudication.picture_resource import decode_rows
    from wargame.eventlog.replay_view import ReplayError, UnknownExercise, UnknownViewer
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService
    from wargame.services.pictures import PictureResources, seat_picture
    from wargame.services.replays import replay_document

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    try:
        document = replay_document(service, exercise, viewer, at_seq)
    except (UnknownExercise, UnknownViewer) as exc:
        raise CliError(str(exc), NOT_FOUND) from exc
    except ReplayError as exc:
        raise CliError(str(exc), INVALID) from exc
    if picture:
        state = service.state_at(exercise, at_seq)
        resource = seat_picture(PictureResources(service), state, viewer)
        rows: dict[str, Any] | None = None
        if resource is not None:
            header, decoded = decode_rows(resource.data)
            rows = {"header": header, "rows": decoded}
        document = {**document, "picture": rows}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


COMMANDS = [aar, replay]
