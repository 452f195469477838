"""`wargame cdm pc|convert|export`: CCSDS conjunction data messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wargame.cli.common import (
    FAILED,
    INVALID,
    NOT_FOUND,
    CliError,
    django_setup,
    examples,
    exercise_argument,
    fail,
    group,
    json_option,
    option,
    print_json,
    require_exercise,
)


@group(
    epilog=examples(
        "wargame cdm pc conjunction.cdm --hbr-m 20",
        "wargame cdm convert W-1-USA.cdm --to xml",
        "wargame cdm export EX W-3-1 --as team:USA --out w.cdm",
    )
)
def cdm() -> None:
    """Conjunction data messages (CCSDS CDM, KVN or NDM/XML)."""


@cdm.command(epilog=examples("wargame cdm pc conjunction.cdm --hbr-m 20", "wargame cdm pc data/*.cdm --json"))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@option(
    "--hbr-m",
    type=float,
    default=None,
    envvar="WARGAME_CDM_HBR_M",
    help="combined hard-body radius, m (default: the file's 'COMMENT HBR')",
)
@json_option
def pc(files: tuple[Path, ...], hbr_m: float | None, as_json: bool) -> int:
    """Print 'FILE<TAB>Pc' (Foster 2D) per CDM file; states in EME2000, GCRF, TEME or ITRF, any usual units.

    Exit 1 if any file cannot be read, has no HBR, or mixes frames (the others are still printed)."""
    from wargame.adjudication.cdm import foster_pc, parse_cdm

    failed = 0
    rows: list[dict[str, object]] = []
    for path in files:
        try:
            value = foster_pc(parse_cdm(path.read_text(encoding="utf-8")), hbr_m)
        except (OSError, ValueError, KeyError) as exc:
            if not as_json:
                click.echo(f"{path}\terror: {exc}", err=True)
            rows.append({"file": str(path), "error": str(exc)})
            failed += 1
            continue
        rows.append({"file": str(path), "pc": value})
        if not as_json:
            click.echo(f"{path}\t{value:.8e}")
    if as_json:
        print_json(rows)
    if failed:
        fail(f"{failed} of {len(files)} CDM file(s) could not be read", FAILED)
    return 0


@cdm.command(
    epilog=examples(
        "wargame cdm convert W-1-USA.cdm --to xml --out w.xml", "wargame cdm convert w.xml --to kvn"
    )
)
@click.argument("file", type=click.Path(path_type=Path))
@option(
    "--to",
    "form",
    type=click.Choice(["kvn", "xml"]),
    required=True,
    envvar="WARGAME_CDM_TO",
    help="the form to write",
)
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    envvar="WARGAME_CDM_OUT",
    help="file to write (default: stdout)",
)
def convert(file: Path, form: str, out: Path | None) -> int:
    """Rewrite a CDM (KVN or NDM/XML) in the other form, after checking its keywords, frames and units."""
    from wargame.adjudication.cdm import parse_cdm, write_cdm
    from wargame.adjudication.cdm_frames import inertial_pair
    from wargame.adjudication.cdm_xml import missing_keywords, write_cdm_xml

    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CliError(f"{file}: {exc.strerror}", NOT_FOUND) from exc
    try:
        message = parse_cdm(text)
        missing = missing_keywords(message)
        if missing:
            raise ValueError(f"missing mandatory keywords: {', '.join(missing)}")
        inertial_pair(message.keyed_header(), [o.keyed() for o in message.objects])
    except ValueError as exc:
        raise CliError(f"{file}: {exc}", INVALID) from exc
    written = write_cdm_xml(message) if form == "xml" else write_cdm(message)
    if out is None:
        sys.stdout.write(written)
    else:
        out.write_text(written, encoding="utf-8")
    return 0


@cdm.command(
    epilog=examples(
        "wargame cdm export EX W-3-1",
        "wargame cdm export EX W-3-1 --as team:USA --out w.cdm",
        "wargame cdm export EX W-3-1 --for JPN",
    )
)
@exercise_argument()
@click.argument("warning_id")
@option(
    "--as",
    "viewer",
    default="white_cell",
    envvar="WARGAME_CDM_VIEWER",
    help="the seat asking: white_cell, facilitator or team:XXX",
)
@option(
    "--for",
    "receiver",
    default=None,
    envvar="WARGAME_CDM_RECEIVER",
    help="control seats: the copy this nation received",
)
@option("--out", default=None, envvar="WARGAME_CDM_OUT", help="file to write (default: stdout)")
def export(exercise: str, warning_id: str, viewer: str, receiver: str | None, out: str | None) -> int:
    """A conjunction warning as a CCSDS CDM, as that seat would download it (GET /api/cdm)."""
    django_setup()
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.cdms import CdmRefused, cdm_for
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    require_exercise(service.store, exercise)
    try:
        document = cdm_for(service.state(exercise), viewer, warning_id, receiver)
    except CdmRefused as refused:
        raise CliError(refused.message, NOT_FOUND if refused.status == 404 else INVALID) from refused
    if out:
        Path(out).write_text(document.text, encoding="utf-8")
    else:
        sys.stdout.write(document.text)
    return 0
