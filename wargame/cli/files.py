"""`wargame validate`, `schema`, `msel export|import` and `catalog import|generate`: files, no database."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click
import yaml

from wargame.cli.common import (
    INVALID,
    NOT_FOUND,
    command,
    examples,
    fail,
    group,
    json_option,
    option,
    print_json,
)

if TYPE_CHECKING:
    from wargame.domain.scenario_model import Inject
    from wargame.scenario.catalogs import CatalogFormat


@command(epilog=examples("wargame validate scenarios rulesets", "wargame validate my-scenario.yaml --json"))
@click.argument("paths", nargs=-1, required=True)
@json_option
def validate(paths: tuple[str, ...], as_json: bool) -> int:
    """Check scenario and ruleset files (PATHS: files or folders); problems as file:line:col: message."""
    from wargame.scenario import validate_paths
    from wargame.scenario.validate import expand_paths

    missing = [path for path in paths if not Path(path).exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}", NOT_FOUND)
    if not expand_paths(list(paths)):
        fail(f"{', '.join(paths)}: no YAML files found", NOT_FOUND)
    code, lines = validate_paths(list(paths))
    if as_json:
        print_json({"valid": code == 0, "lines": lines})
    else:
        for line in lines:
            click.echo(line)
    if code:
        fail("invalid scenario or ruleset files", INVALID)
    return 0


@command(
    epilog=examples(
        "wargame schema", "wargame schema --out /tmp/schemas --frontend-schema /tmp/protocol.json"
    )
)
@option("--out", default="docs/schemas", envvar="WARGAME_SCHEMA_OUT", help="folder for the JSON Schemas")
@option(
    "--frontend-schema",
    default=None,
    envvar="WARGAME_FRONTEND_SCHEMA",
    help="also write the protocol schema here (default: frontend/schema/protocol.json in a checkout)",
)
def schema(out: str, frontend_schema: str | None) -> int:
    """Write the JSON Schemas of scenarios, rulesets and the protocol; its AsyncAPI and OpenAPI documents."""
    from wargame.protocol.asyncapi import asyncapi_text
    from wargame.protocol.messages import protocol_schema_text
    from wargame.protocol.openapi import openapi_text
    from wargame.scenario import export_json_schemas

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = export_json_schemas(folder)
    frontend = frontend_schema or (
        str(Path("frontend/schema/protocol.json")) if Path("frontend/schema").is_dir() else None
    )
    protocol_paths = [folder / "protocol.schema.json", *([Path(frontend)] if frontend else [])]
    for path in protocol_paths:
        path.write_text(protocol_schema_text(), encoding="utf-8")
    asyncapi = folder / "asyncapi.json"
    asyncapi.write_text(asyncapi_text(), encoding="utf-8")
    protocol_paths.append(asyncapi)
    openapi = folder / "openapi.json"
    openapi.write_text(openapi_text(), encoding="utf-8")
    protocol_paths.append(openapi)
    for path in [*written, *protocol_paths]:
        click.echo(str(path))
    return 0


def msel_yaml(injects: Sequence[Inject]) -> str:
    """The `msel:` block of a scenario file holding these injects (defaults left out)."""
    items = []
    for inject in injects:
        data = inject.model_dump(mode="json", exclude_defaults=True)
        items.append({"id": inject.id, **{k: v for k, v in data.items() if k != "id"}})
    return yaml.safe_dump({"msel": items}, sort_keys=False, allow_unicode=True, width=100)


def replace_msel(scenario_path: Path, injects: Sequence[Inject]) -> str:
    """The scenario file's text with its top-level `msel:` block replaced (the rest kept as is)."""
    from wargame.scenario.loader import load_scenario_source

    text = scenario_path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    loaded = load_scenario_source(scenario_path)
    start = loaded.source.position(("msel",))
    if start is None:
        return text.rstrip("\n") + "\n\n" + msel_yaml(injects)
    first = start[0] - 1
    end = next(
        (i for i in range(first + 1, len(lines)) if lines[i][:1].isalpha() or lines[i][:1] == "_"),
        len(lines),
    )
    return "".join(lines[:first]) + msel_yaml(injects) + "".join(lines[end:])


@group(
    epilog=examples(
        "wargame msel export scenarios/tutorial.yaml msel.xlsx",
        "wargame msel import scenarios/tutorial.yaml plan.xlsx --map 'Synopsis=text' --check",
    )
)
def msel() -> None:
    """MSEL spreadsheets (CSV or XLSX, HSEEP layouts) to and from a scenario."""


@msel.command("export", epilog=examples("wargame msel export scenarios/tutorial.yaml msel.csv"))
@click.argument("scenario")
@click.argument("out")
def msel_export(scenario: str, out: str) -> int:
    """Write the MSEL of SCENARIO (a YAML file) to OUT: .xlsx (drop-down lists, dates) or .csv."""
    from wargame.scenario.loader import load_scenario
    from wargame.scenario.msel_io import write_msel

    count = write_msel(load_scenario(Path(scenario)), out)
    click.echo(f"{out}: {count} injects written")
    return 0


@msel.command(
    "import",
    epilog=examples(
        "wargame msel import scenarios/tutorial.yaml plan.xlsx --check",
        "wargame msel import my.yaml plan.csv --map 'Details=params' --out my-new.yaml",
    ),
)
@click.argument("scenario")
@click.argument("spreadsheet")
@option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    envvar="WARGAME_MSEL_MAP",
    help="read COLUMN as inject FIELD (or 'ignore'); repeatable (the variable: separated by spaces)",
)
@option(
    "--out",
    default=None,
    envvar="WARGAME_MSEL_OUT",
    help="scenario file to write (default: the scenario itself)",
)
@option("--check", is_flag=True, envvar="WARGAME_MSEL_CHECK", help="report and validate only; write nothing")
def msel_import(
    scenario: str, spreadsheet: str, mapping: tuple[str, ...], out: str | None, check: bool
) -> int:
    """Replace the MSEL of SCENARIO from SPREADSHEET (.csv/.tsv/.txt in any delimiter, or .xlsx).

    Prints the mapping report, validates every row against the scenario, then writes the
    scenario with its MSEL replaced, only if the result loads cleanly (exit 4 otherwise)."""
    from wargame.scenario.loader import load_scenario
    from wargame.scenario.msel_columns import parse_mapping
    from wargame.scenario.msel_io import MselLoadError, read_msel
    from wargame.scenario.problems import LoadError

    scenario_path = Path(scenario)
    loaded = load_scenario(scenario_path)
    try:
        result = read_msel(spreadsheet, loaded, parse_mapping(list(mapping)))
    except MselLoadError as exc:
        if exc.report is not None:
            click.echo("\n".join(exc.report.lines()))
        raise
    except ValueError as exc:
        fail(str(exc), INVALID)
    click.echo("\n".join(result.report.lines()))
    if check:
        click.echo(f"{spreadsheet}: {len(result.injects)} injects valid against {loaded.id}")
        return 0
    text = replace_msel(scenario_path, result.injects)
    target = Path(out) if out else scenario_path
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", dir=target.resolve().parent, delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
    try:
        load_scenario(handle.name)
    except LoadError:
        os.unlink(handle.name)
        raise
    os.replace(handle.name, target)
    click.echo(f"{target}: MSEL replaced by {len(result.injects)} injects from {spreadsheet}")
    return 0


@group(
    epilog=examples(
        "wargame catalog import active.json --out scenarios/catalogs/active.tle",
        "wargame catalog generate --count 5000 --seed 3 --epoch 2027-03-01T00:00:00Z --out bg.tle",
    )
)
def catalog() -> None:
    """Space object catalogs: TLE (Alpha-5 too) and OMM (KVN, XML, JSON, CSV); synthetic ones.

    A scenario uses either file with `background_catalog: [{file: catalogs/NAME}]`."""


@catalog.command(
    "import",
    epilog=examples(
        "wargame catalog import active.json --out active.tle",
        "wargame catalog import gp.xml --out gp.csv --strict",
    ),
)
@click.argument("source")
@option(
    "--format",
    "fmt",
    default=None,
    envvar="WARGAME_CATALOG_FORMAT",
    help="the source's format: tle, omm_kvn, omm_xml, omm_json or omm_csv (default: told from its content)",
)
@option(
    "--out", required=True, envvar="WARGAME_CATALOG_OUT", help="file to write; its suffix picks the format"
)
@option("--strict", is_flag=True, envvar="WARGAME_CATALOG_STRICT", help="fail (exit 4) if any record is bad")
def catalog_import(source: str, fmt: str | None, out: str, strict: bool) -> int:
    """Check and convert a TLE/OMM file: the good element sets written, each bad record on stderr."""
    from wargame.domain.scenario_model import CatalogFile
    from wargame.scenario.catalogs import FORMATS, format_of, read_catalog, records_to_objects, write_catalog

    if fmt is not None and fmt not in FORMATS:
        raise click.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        format_of(out)  # refuse an unknown output suffix before reading
    except ValueError as exc:
        fail(str(exc), INVALID)
    records, problems = read_catalog(source, cast("CatalogFormat | None", fmt))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(
            f"{source}: {len(records)} element sets read, {len(problems)} bad records left out", err=True
        )
    if not records or (problems and strict):
        why = "no element set could be read" if not records else "--strict: bad records"
        fail(f"{source}: {why}; nothing written", INVALID)
    count = write_catalog(records_to_objects(records, CatalogFile(file=source)), out)
    click.echo(f"{out}: {count} objects written")
    return 0


def _epoch(ctx: click.Context, param: click.Parameter, value: str) -> datetime:
    try:
        epoch = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if epoch.tzinfo is None:
        raise click.BadParameter("needs a timezone (for example Z)")
    return epoch


@catalog.command(
    "generate",
    epilog=examples(
        "wargame catalog generate --count 5000 --epoch 2027-03-01T00:00:00Z --out bg.tle",
    ),
)
@option("--count", type=int, required=True, envvar="WARGAME_CATALOG_COUNT", help="how many objects")
@option(
    "--seed",
    type=int,
    default=1,
    envvar="WARGAME_CATALOG_SEED",
    help="random seed: the same seed, the same file",
)
@option(
    "--epoch",
    required=True,
    callback=_epoch,
    envvar="WARGAME_CATALOG_EPOCH",
    help="ISO 8601 UTC, e.g. 2027-03-01T00:00:00Z",
)
@option("--prefix", default="bg", envvar="WARGAME_CATALOG_PREFIX", help="prefix of the objects' ids")
@option(
    "--out", required=True, envvar="WARGAME_CATALOG_OUT", help="file to write; its suffix picks the format"
)
def catalog_generate(count: int, seed: int, epoch: datetime, prefix: str, out: str) -> int:
    """Write a seeded synthetic background catalog."""
    from wargame.scenario.catalogs import write_catalog
    from wargame.scenario.synthetic import MAX_COUNT, generate_catalog

    if not 1 <= count <= MAX_COUNT:
        raise click.BadParameter(f"must be between 1 and {MAX_COUNT}", param_hint="--count")
    written = write_catalog(generate_catalog(count, seed, epoch, prefix), out)
    click.echo(f"{out}: {written} objects written")
    return 0


COMMANDS = [validate, schema, msel, catalog]
