"""The `wargame` command: demo, serve, exercise create, validate, aar export, schema, migrate."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.server.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int) -> int:
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(["-b", host, "-p", str(port), "wargame.server.asgi:application"])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("WARGAME_STATE_DIR", str(Path(args.data_dir).resolve()))
    os.environ.setdefault("WARGAME_PUBLIC_URL", f"http://127.0.0.1:{args.port}")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    _django_setup()
    _migrate()
    from wargame.server.exercises import create_exercise, format_links

    created = create_exercise(args.scenario)
    print(format_links(created, f"http://127.0.0.1:{args.port}"), flush=True)
    print(f"\nServing on http://127.0.0.1:{args.port}  (Ctrl-C to stop)", flush=True)
    return _serve("127.0.0.1", args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    _django_setup()
    if not args.no_migrate:
        _migrate()
    return _serve(args.host, args.port)


def cmd_exercise_create(args: argparse.Namespace) -> int:
    from wargame.scenario import LoadError

    _django_setup()
    _migrate()
    from django.conf import settings

    from wargame.server.exercises import create_exercise, format_links

    try:
        created = create_exercise(args.scenario, args.ruleset)
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(created.exercise_id)
    print(format_links(created, settings.WARGAME["PUBLIC_URL"]))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from wargame.scenario import validate_paths

    code, lines = validate_paths(args.paths)
    for line in lines:
        print(line)
    return code


def cmd_aar_export(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.aar import FORMATS, build_report
    from wargame.server.store import DjangoEventStore

    events = DjangoEventStore().read_after(args.exercise, 0)
    if not events:
        print(f"error: no exercise {args.exercise!r}", file=sys.stderr)
        return 1
    _, _, exporter = FORMATS[args.format]
    text = exporter(build_report(events, args.viewer))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from wargame.protocol.messages import protocol_schema_text
    from wargame.scenario import export_json_schemas

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = export_json_schemas(out)
    protocol_paths = [out / "protocol.schema.json", Path(args.frontend_schema)]
    for path in protocol_paths:
        path.write_text(protocol_schema_text(), encoding="utf-8")
    for path in [*written, *protocol_paths]:
        print(path)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _django_setup()
    _migrate()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wargame", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="create the tutorial exercise on SQLite and serve it")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--scenario", default="tutorial")
    demo.add_argument("--data-dir", default="var/demo")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve with settings from the environment")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true")
    serve.set_defaults(func=cmd_serve)

    exercise = sub.add_parser("exercise", help="manage exercises")
    exercise_sub = exercise.add_subparsers(dest="exercise_command", required=True)
    create = exercise_sub.add_parser("create", help="create an exercise and print its join links")
    create.add_argument("scenario", help="scenario id (e.g. tutorial) or path to a YAML file")
    create.add_argument(
        "--ruleset", default=None, help="ruleset id or path (default: the scenario's)"
    )
    create.set_defaults(func=cmd_exercise_create)

    validate = sub.add_parser("validate", help="check scenario and ruleset files")
    validate.add_argument("paths", nargs="+")
    validate.set_defaults(func=cmd_validate)

    aar = sub.add_parser("aar", help="after-action review")
    aar_sub = aar.add_subparsers(dest="aar_command", required=True)
    export = aar_sub.add_parser("export", help="export the AAR of an exercise")
    export.add_argument("exercise")
    export.add_argument("--format", choices=["json", "md"], default="md")
    export.add_argument(
        "--viewer", default="facilitator", help="facilitator, white_cell or team:XXX"
    )
    export.add_argument("--out", default=None)
    export.set_defaults(func=cmd_aar_export)

    schema = sub.add_parser(
        "schema", help="write the JSON Schemas of scenarios, rulesets and the protocol"
    )
    schema.add_argument("--out", default="docs/schemas")
    schema.add_argument("--frontend-schema", default="frontend/schema/protocol.json")
    schema.set_defaults(func=cmd_schema)

    migrate = sub.add_parser("migrate", help="create or upgrade the database tables")
    migrate.set_defaults(func=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the command line never shows a traceback unless asked to
        if os.environ.get("WARGAME_DEBUG") == "1":
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
