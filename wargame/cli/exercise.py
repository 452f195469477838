"""`wargame exercise create|list|verify|export-log`: making, listing and checking exercises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from wargame.cli.common import (
    FAILED,
    USAGE,
    django_setup,
    examples,
    exercise_argument,
    fail,
    group,
    json_option,
    migrate,
    option,
    print_json,
    print_table,
    progress_option,
    progress_teller,
    quiet_option,
    require_exercise,
    tell,
)

PHASE_OF_EVENT = {
    "exercise_started": "running",
    "exercise_paused": "paused",
    "exercise_resumed": "running",
    "exercise_ended": "ended",
}
"""The phase an exercise is in after each event that changes it (none of them: setup)."""


@group(
    epilog=examples(
        "wargame exercise create tutorial", "wargame exercise list", "wargame exercise advance EX --to-end"
    )
)
def exercise() -> None:
    """Create, list, play and check exercises."""


def _store() -> Any:
    django_setup()
    from wargame.server.store import DjangoEventStore

    return DjangoEventStore()


@exercise.command(
    epilog=examples(
        "wargame exercise create tutorial",
        "wargame exercise create global-sentinel --progress --json",
        "wargame exercise create my-scenario.yaml --ruleset standard",
    )
)
@click.argument("scenario", envvar="WARGAME_SCENARIO")
@option(
    "--ruleset", default=None, envvar="WARGAME_RULESET", help="ruleset id or path (default: the scenario's)"
)
@json_option
@progress_option
@quiet_option
def create(scenario: str, ruleset: str | None, as_json: bool, progress: bool, quiet: bool) -> int:
    """Create an exercise from SCENARIO (an id such as tutorial, or a YAML file); print its id and links."""
    teller = progress_teller("exercise create", progress, quiet)
    tell(teller, "opening the database")
    django_setup()
    migrate()
    from django.conf import settings

    from wargame.server.exercises import create_exercise, format_links

    created = create_exercise(scenario, ruleset, tell=teller)
    tell(teller, f"done: exercise {created.exercise_id}")
    if as_json:
        seats = [
            {"label": s.label, "role": s.role.value, "nation": s.nation, "token": s.token}
            for s in created.seats
        ]
        print_json({"exercise_id": created.exercise_id, "seats": seats})
        return 0
    click.echo(created.exercise_id)
    click.echo(format_links(created, settings.WARGAME["PUBLIC_URL"]))
    return 0


def exercise_rows() -> list[dict[str, Any]]:
    """Every exercise, oldest first: id, scenario, title, phase, move, created, last_seq."""
    from wargame.server.models import EventRecord, Exercise

    rows = []
    for row in Exercise.objects.order_by("created_at", "id"):
        events = EventRecord.objects.filter(exercise_id=row.id)
        changed = events.filter(type__in=list(PHASE_OF_EVENT)).order_by("-seq").values_list("type", flat=True)
        last = events.order_by("-seq").values_list("move", flat=True).first()
        phase_event = changed.first()
        rows.append(
            {
                "id": row.id,
                "scenario": row.scenario_id,
                "title": row.title,
                "phase": PHASE_OF_EVENT[phase_event] if phase_event else "setup",
                "move": int(last or 0),
                "created": row.created_at.isoformat(),
                "last_seq": row.last_seq,
            }
        )
    return rows


@exercise.command("list", epilog=examples("wargame exercise list", "wargame exercise list --json"))
@json_option
def list_command(as_json: bool) -> int:
    """List the exercises: id, scenario, phase, move, created, last_seq."""
    django_setup()
    rows = exercise_rows()
    if as_json:
        print_json(rows)
        return 0
    header = ["id", "scenario", "phase", "move", "created (UTC)", "last_seq"]
    print_table(
        header,
        [
            [
                r["id"],
                r["scenario"],
                r["phase"],
                str(r["move"]),
                r["created"][:19].replace("T", " "),
                str(r["last_seq"]),
            ]
            for r in rows
        ],
    )
    return 0


@exercise.command(
    epilog=examples("wargame exercise verify EX", "wargame exercise verify EX --expect-head 412:9f2c...")
)
@exercise_argument()
@option(
    "--expect-head",
    default=None,
    metavar="SEQ:HASH",
    envvar="WARGAME_EXPECT_HEAD",
    help="a head anchored earlier (printed by verify and every export): the log must still hold it",
)
@json_option
def verify(exercise: str, expect_head: str | None, as_json: bool) -> int:
    """Check an exercise's hash chain, blobs and snapshots; print the report as JSON (exit 1 on a problem)."""
    from wargame.eventlog.verify import parse_head, verify_log

    try:
        expected = parse_head(expect_head) if expect_head else None
    except ValueError as exc:
        fail(f"--expect-head: {exc}", USAGE)
    store = _store()
    require_exercise(store, exercise)
    report = verify_log(store, exercise, expect_head=expected)
    click.echo(json.dumps(report.as_json()))
    if report.problems:
        fail(f"exercise {exercise}: {len(report.problems)} problem(s) in its log", FAILED)
    return 0


@exercise.command(
    "export-log",
    epilog=examples(
        "wargame exercise export-log EX --out ex.jsonl",
        "wargame exercise export-log EX --format csv > ex.csv",
    ),
)
@exercise_argument()
@option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    default="jsonl",
    envvar="WARGAME_LOG_EXPORT_FORMAT",
    help="JSON lines (every envelope's exact text) or CSV",
)
@option("--out", default=None, envvar="WARGAME_LOG_EXPORT_OUT", help="a file (default: standard output)")
def export_log(exercise: str, fmt: str, out: str | None) -> int:
    """Write the raw log (every envelope with its hash and recipe); the count and head go to stderr."""
    import sys

    from wargame.eventlog.export import ExportHead, export_text

    store = _store()
    require_exercise(store, exercise)
    head = ExportHead()
    chunks = export_text(store, exercise, fmt, head)
    if out:
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunks)
    else:
        sys.stdout.writelines(chunks)
        sys.stdout.flush()
    for line in head.unreadable:
        click.echo(f"warning: left out, unreadable: {line}", err=True)
    click.echo(f"exported {head.events} events of exercise {exercise}; head {head.head}", err=True)
    if head.unreadable:
        fail(f"{len(head.unreadable)} unreadable event(s) left out", FAILED)
    return 0
