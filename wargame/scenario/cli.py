"""Entry points for `wargame msel export|import` and `wargame catalog import|generate`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import yaml

from wargame.domain.scenario_model import CatalogFile, Inject
from wargame.scenario.catalogs import FORMATS, format_of, read_catalog, records_to_objects, write_catalog
from wargame.scenario.loader import load_scenario, load_scenario_source
from wargame.scenario.msel_columns import parse_mapping
from wargame.scenario.msel_io import MselLoadError, read_msel, write_msel
from wargame.scenario.problems import LoadError
from wargame.scenario.synthetic import MAX_COUNT, generate_catalog


def msel_yaml(injects: Sequence[Inject]) -> str:
    """The `msel:` block of a scenario file holding these injects (defaults left out)."""
    items = []
    for inject in injects:
        data = inject.model_dump(mode="json", exclude_defaults=True)
        items.append({"id": inject.id, **{k: v for k, v in data.items() if k != "id"}})
    return yaml.safe_dump({"msel": items}, sort_keys=False, allow_unicode=True, width=100)


def replace_msel(scenario_path: Path, injects: Sequence[Inject]) -> str:
    """The scenario file's text with its top-level `msel:` block replaced (the rest kept as is)."""
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


def _print_problems(error: LoadError) -> int:
    for line in error.lines():
        print(line, file=sys.stderr)
    return 1


def msel_main(argv: Sequence[str]) -> int:
    """`msel export SCENARIO OUT.csv|OUT.xlsx` or `msel import SCENARIO IN.csv|IN.xlsx [--map H=F] [--out F]`.

    Import reads any usual layout (HSEEP headers, banner rows, ; or tab delimiters, Excel dates),
    prints its mapping report, validates every row against the scenario, then writes the
    scenario with its MSEL replaced (to --out, or in place), only if the result loads cleanly.
    Exit 0, or 1 with `file:row:column: <column>: message` lines on stderr.
    """
    parser = argparse.ArgumentParser(
        prog="wargame msel", description=msel_main.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: wargame msel import scenarios/tutorial.yaml plan.xlsx "
               "--map 'Synopsis=text' --map 'POC=ignore' --check",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    export = sub.add_parser("export", help="write the MSEL of a scenario as CSV or XLSX")
    export.add_argument("scenario", help="scenario YAML file")
    export.add_argument("out", help="file to write: .xlsx (drop-down lists, dates) or .csv")
    imp = sub.add_parser("import", help="replace the MSEL of a scenario from CSV or XLSX")
    imp.add_argument("scenario", help="scenario YAML file")
    imp.add_argument("spreadsheet", help=".csv/.tsv/.txt (any delimiter, UTF-8 or Windows-1252) or .xlsx")
    imp.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                     help="read COLUMN as inject FIELD (or 'ignore'); repeatable")
    imp.add_argument("--out", help="scenario file to write (default: the scenario itself)")
    imp.add_argument("--check", action="store_true", help="report and validate only; write nothing")
    args = parser.parse_args(list(argv))
    try:
        scenario_path = Path(args.scenario)
        scenario = load_scenario(scenario_path)
        if args.action == "export":
            count = write_msel(scenario, args.out)
            print(f"{args.out}: {count} injects written")
            return 0
        try:
            result = read_msel(args.spreadsheet, scenario, parse_mapping(args.map))
        except MselLoadError as exc:
            if exc.report is not None:
                print("\n".join(exc.report.lines()))
            raise
        print("\n".join(result.report.lines()))
        if args.check:
            print(f"{args.spreadsheet}: {len(result.injects)} injects valid against {scenario.id}")
            return 0
        text = replace_msel(scenario_path, result.injects)
        target = Path(args.out) if args.out else scenario_path
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
        print(f"{target}: MSEL replaced by {len(result.injects)} injects from {args.spreadsheet}")
        return 0
    except LoadError as exc:
        return _print_problems(exc)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def catalog_main(argv: Sequence[str]) -> int:
    """`catalog import IN --out OUT [--strict]` or `catalog generate --count N --seed S --out OUT`.

    import reads TLE (Alpha-5 numbers too) or OMM (KVN, NDM/XML, CelesTrak JSON or CSV; the
    format is told from the content) and writes the good element sets in the format of OUT's
    suffix (.tle, .csv, .xml, .json, .kvn), listing each bad record (index, name, reason) on
    stderr. Exit 1 when nothing could be read, or with --strict when any record is bad.
    generate writes a synthetic background catalog. A scenario uses either file with
    `background_catalog: [{file: catalogs/NAME}]`.
    """
    parser = argparse.ArgumentParser(
        prog="wargame catalog", description=catalog_main.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: wargame catalog import active.json --out scenarios/catalogs/active.tle",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    imp = sub.add_parser("import", help="check and convert a TLE/OMM file")
    imp.add_argument("source", help="TLE, or OMM as KVN, XML, JSON or CSV")
    imp.add_argument("--format", choices=list(FORMATS), default=None,
                     help="the source's format (default: told from its content)")
    imp.add_argument("--out", required=True, help="file to write; its suffix picks the format")
    imp.add_argument("--strict", action="store_true", help="fail (exit 1) if any record is bad")
    gen = sub.add_parser("generate", help="write a seeded synthetic background catalog")
    gen.add_argument("--count", type=int, required=True)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--epoch", required=True, help="ISO 8601 UTC, e.g. 2027-03-01T00:00:00Z")
    gen.add_argument("--prefix", default="bg")
    gen.add_argument("--out", required=True)
    args = parser.parse_args(list(argv))
    try:
        if args.action == "generate":
            if not 1 <= args.count <= MAX_COUNT:
                print(f"error: --count must be between 1 and {MAX_COUNT}", file=sys.stderr)
                return 1
            epoch = datetime.fromisoformat(args.epoch.replace("Z", "+00:00"))
            if epoch.tzinfo is None:
                print("error: --epoch needs a timezone (for example Z)", file=sys.stderr)
                return 1
            objects = generate_catalog(args.count, args.seed, epoch, args.prefix)
        else:
            format_of(args.out)  # refuse an unknown output suffix before reading
            records, problems = read_catalog(args.source, args.format)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print(f"{args.source}: {len(records)} element sets read, {len(problems)} bad records "
                      "left out", file=sys.stderr)
            if not records or (problems and args.strict):
                why = "no element set could be read" if not records else "--strict: bad records"
                print(f"error: {args.source}: {why}; nothing written", file=sys.stderr)
                return 1
            objects = records_to_objects(records, CatalogFile(file=args.source))
        count = write_catalog(objects, args.out)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.out}: {count} objects written")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m wargame.scenario.cli msel ...` or `... catalog ...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["msel"]:
        return msel_main(args[1:])
    if args[:1] == ["catalog"]:
        return catalog_main(args[1:])
    print("usage: python -m wargame.scenario.cli msel|catalog ...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
