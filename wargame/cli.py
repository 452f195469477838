"""The `wargame` command: demo, serve, worker, exercise, seat, replay, validate, aar, schema, bench..."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wargame import resources


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.server.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int, proxy_headers: bool = False) -> int:
    """daphne with the project's options and graceful shutdown (server/serving.py)."""
    from wargame.server.serving import run_server

    return run_server(host, port, proxy_headers)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.data_dir:
        os.environ["WARGAME_STATE_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("WARGAME_PUBLIC_URL", f"http://127.0.0.1:{args.port}")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")  # servers log lifecycle lines
    _django_setup()
    _migrate()
    from wargame.server.exercises import create_exercise, format_links

    created = create_exercise(args.scenario)
    print(format_links(created, f"http://127.0.0.1:{args.port}"), flush=True)
    print(f"\nServing on http://127.0.0.1:{args.port}  (Ctrl-C to stop)", flush=True)
    return _serve("127.0.0.1", args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")
    _django_setup()
    if not args.no_migrate:
        _migrate()
    return _serve(args.host, args.port, args.proxy_headers)


def cmd_worker(args: argparse.Namespace) -> int:
    import socket

    os.environ["WARGAME_ADJUDICATION"] = "worker"
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")
    _django_setup()
    if not args.no_migrate:
        _migrate()
    from wargame.server.jobs import serve_metrics, work

    serve_metrics(args.metrics_port)
    worker_id = args.id or f"{socket.gethostname()}:{os.getpid()}"
    print(f"worker {worker_id} waiting for jobs", flush=True)
    ran = work(worker_id, max_jobs=args.max_jobs)
    print(f"worker {worker_id} ran {ran} jobs", flush=True)
    return 0


def cmd_seat_revoke(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.server.seats import SeatError, revoke_seat, revoke_seat_id, revoke_viewer

    if args.token:
        count = 1 if revoke_seat(args.token) else 0
    elif args.exercise and args.seat is not None and not args.viewer:
        try:
            count = revoke_seat_id(args.exercise, args.seat)
        except SeatError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    elif args.exercise and args.viewer and args.seat is None:
        count = revoke_viewer(args.exercise, args.viewer)
    else:
        print("error: give EXERCISE VIEWER, EXERCISE --seat SEAT_ID or --token TOKEN", file=sys.stderr)
        return 2
    print(f"revoked {count} seat(s); their open sockets are being closed")
    return 0 if count else 1


def _print_issued(issued: Any, exercise_id: str, as_json: bool) -> None:
    from django.conf import settings

    link = issued.link(settings.WARGAME["PUBLIC_URL"])
    if as_json:
        import json

        print(
            json.dumps(
                {
                    "exercise_id": exercise_id,
                    "seat_id": issued.seat_id,
                    "role": issued.role.value,
                    "nation": issued.nation,
                    "member": issued.member,
                    "label": issued.label,
                    "token": issued.token,
                    "link": link,
                }
            )
        )
        return
    print(f"seat {issued.seat_id}: {issued.label}, {issued.member} (keep the link secret)")
    print(link)


def cmd_seat_issue(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.server.seats import SeatError, issue_member_seat

    try:
        issued = issue_member_seat(args.exercise, args.role, args.nation, args.member)
    except SeatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _print_issued(issued, args.exercise, args.json)
    return 0


def cmd_seat_reissue(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.server.seats import SeatError, reissue_seat

    try:
        issued = reissue_seat(args.exercise, args.seat_id)
    except SeatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"revoked seat {args.seat_id}; its open sockets are being closed", file=sys.stderr)
    _print_issued(issued, args.exercise, args.json)
    return 0


def cmd_seat_list(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.server.seats import SeatError, list_seats

    try:
        seats = list_seats(args.exercise)
    except SeatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rows = [
        {
            "id": s.seat_id,
            "role": s.role,
            "nation": s.nation,
            "member": s.member,
            "label": s.label,
            "revoked": s.revoked,
            "created": s.created.isoformat(),
        }
        for s in seats
    ]
    if args.json:
        import json

        print(json.dumps(rows))
        return 0
    header = ["id", "role", "nation", "member", "label", "revoked", "created (UTC)"]
    table: list[list[str]] = [header] + [
        [str(s.seat_id), s.role, s.nation or "-", s.member or "-", s.label,
         "yes" if s.revoked else "no", s.created.strftime("%Y-%m-%d %H:%M:%S")]
        for s in seats
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    return 0


def cmd_inject_schedule(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.server.jobs import schedule_inject

    job = schedule_inject(args.exercise, args.inject, args.delay)
    print(f"job {job}: a worker releases {args.inject} in {args.delay:g} s")
    return 0


def cmd_bench_fanout(args: argparse.Namespace) -> int:
    from wargame.ops.bench import run_fanout_bench

    return run_fanout_bench(args.clients, args.rounds, args.json)


def cmd_bench_scale(args: argparse.Namespace) -> int:
    from wargame.ops.scale import run_scale_command

    return run_scale_command(args.scenario, args.moves, args.joiners, args.postgres, args.json)


def cmd_bench_adjudication(args: argparse.Namespace) -> int:
    from wargame.bench.adjudication import main as bench_main

    return bench_main(list(args.rest))


def cmd_warmup(args: argparse.Namespace) -> int:
    from wargame.ops.warmup import main as warmup_main

    return warmup_main()


def cmd_cdm(args: argparse.Namespace) -> int:
    from wargame.adjudication.cdm_cli import main as cdm_main

    if args.rest[:1] == ["export"]:
        return cdm_export(list(args.rest[1:]))
    if args.rest[:1] == ["convert"]:
        from wargame.adjudication.cdm_cli import convert

        return convert(list(args.rest[1:]))
    if args.rest[:1] != ["pc"]:
        print("usage: wargame cdm pc FILE... [--hbr-m X] | cdm export EXERCISE WARNING_ID | "
              "cdm convert FILE --to kvn|xml", file=sys.stderr)
        return 2
    return cdm_main(list(args.rest[1:]))


def cdm_export(argv: list[str]) -> int:
    """`wargame cdm export EXERCISE WARNING_ID [--as VIEWER] [--for NATION] [--out FILE]`: the
    CDM of a conjunction warning as that seat would download it (GET /api/cdm)."""
    parser = argparse.ArgumentParser(prog="wargame cdm export", description=cdm_export.__doc__)
    parser.add_argument("exercise")
    parser.add_argument("warning_id")
    parser.add_argument("--as", dest="viewer", default="white_cell", help="white_cell, facilitator, team:XXX")
    parser.add_argument("--for", dest="receiver", default=None, help="control: the copy this nation received")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    _django_setup()
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.cdms import CdmRefused, cdm_for
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    if service.store.read_last_seq(args.exercise) == 0:
        print(f"error: no exercise {args.exercise!r}", file=sys.stderr)
        return 1
    try:
        document = cdm_for(service.state(args.exercise), args.viewer, args.warning_id, args.receiver)
    except CdmRefused as refused:
        print(f"error: {refused.message}", file=sys.stderr)
        return 1
    if args.out:
        Path(args.out).write_text(document.text, encoding="utf-8")
    else:
        sys.stdout.write(document.text)
    return 0


def cmd_msel(args: argparse.Namespace) -> int:
    from wargame.scenario.cli import msel_main

    return msel_main(list(args.rest))


def cmd_catalog(args: argparse.Namespace) -> int:
    from wargame.scenario.cli import catalog_main

    return catalog_main(list(args.rest))


def _delegate(sub: Any, name: str, help_text: str, func: Any) -> None:
    """A subcommand whose arguments are parsed by the module that implements it."""
    parser = sub.add_parser(name, help=help_text, add_help=False)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(func=func)


def cmd_loadtest(args: argparse.Namespace) -> int:
    from wargame.ops.loadtest import run_loadtest_command

    return run_loadtest_command(args)


def cmd_fault(args: argparse.Namespace) -> int:
    from wargame.ops.faults import run_fault_command

    return run_fault_command(args)


def cmd_fuzz(args: argparse.Namespace) -> int:
    from wargame.ops.fuzz import run_fuzz_command

    return run_fuzz_command(args)


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
    if args.json:
        import json

        seats = [
            {"label": s.label, "role": s.role.value, "nation": s.nation, "token": s.token}
            for s in created.seats
        ]
        print(json.dumps({"exercise_id": created.exercise_id, "seats": seats}))
        return 0
    print(created.exercise_id)
    print(format_links(created, settings.WARGAME["PUBLIC_URL"]))
    return 0


def _django_store() -> Any:
    """The database's event store (for commands that take the store they work on)."""
    _django_setup()
    from wargame.server.store import DjangoEventStore

    return DjangoEventStore()


def cmd_validate(args: argparse.Namespace) -> int:
    from wargame.scenario import validate_paths

    code, lines = validate_paths(args.paths)
    for line in lines:
        print(line)
    return code


def cmd_aar_export(args: argparse.Namespace) -> int:
    _django_setup()
    import time

    from wargame.aar import FORMATS, build_report
    from wargame.aar.progress import reporting_to
    from wargame.eventlog.replay import catalog_reader
    from wargame.server.store import DjangoEventStore

    if args.format not in FORMATS:
        print(f"error: --format must be one of {', '.join(FORMATS)}, not {args.format!r}", file=sys.stderr)
        return 1
    store = DjangoEventStore()
    if store.read_last_seq(args.exercise) == 0:
        print(f"error: no exercise {args.exercise!r}", file=sys.stderr)
        return 1
    _, _, exporter = FORMATS[args.format]
    started = time.monotonic()

    def tell(message: str) -> None:
        print(f"aar export: {message} ({time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)

    with reporting_to(tell if args.progress or sys.stderr.isatty() else None):
        events = store.iter_after(args.exercise, 0)
        exported = exporter(build_report(events, args.viewer, catalogs=catalog_reader(store)))
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    if args.out:
        Path(args.out).write_bytes(data)
    elif isinstance(exported, str):
        sys.stdout.write(exported)
    elif sys.stdout.isatty():
        print(f"error: {args.format} is a binary document; write it to a file with --out", file=sys.stderr)
        return 1
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return 0


def cmd_aar_sharing_value(args: argparse.Namespace) -> int:
    _django_setup()
    from wargame.ops.sharing_value import main as sharing_value_main

    return sharing_value_main(list(args.rest))


def cmd_schema(args: argparse.Namespace) -> int:
    from wargame.protocol.asyncapi import asyncapi_text
    from wargame.protocol.messages import protocol_schema_text
    from wargame.scenario import export_json_schemas

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = export_json_schemas(out)
    frontend = args.frontend_schema or (
        str(Path("frontend/schema/protocol.json")) if Path("frontend/schema").is_dir() else None
    )
    protocol_paths = [out / "protocol.schema.json", *([Path(frontend)] if frontend else [])]
    for path in protocol_paths:
        path.write_text(protocol_schema_text(), encoding="utf-8")
    asyncapi = out / "asyncapi.json"
    asyncapi.write_text(asyncapi_text(), encoding="utf-8")
    protocol_paths.append(asyncapi)
    from wargame.protocol.openapi import openapi_text

    (out / "openapi.json").write_text(openapi_text(), encoding="utf-8")
    protocol_paths.append(out / "openapi.json")
    for path in [*written, *protocol_paths]:
        print(path)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _django_setup()
    _migrate()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wargame", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {resources.version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="create the tutorial exercise on SQLite and serve it")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--scenario", default="tutorial")
    demo.add_argument(
        "--data-dir", default=None,
        help="where the demo's SQLite database goes (default: $WARGAME_STATE_DIR, else var/ here; "
        "the same place `wargame aar export` and the other commands read)",
    )
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve with settings from the environment")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true")
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-For from the proxy")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run adjudication jobs and scheduled injects (PostgreSQL)")
    worker.add_argument("--id", default=None, help="name in the job table (default host:pid)")
    worker.add_argument("--max-jobs", type=int, default=None, help="stop after this many jobs")
    worker.add_argument("--no-migrate", action="store_true")
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=int(os.environ.get("WARGAME_METRICS_PORT", "0")),
        help="serve Prometheus metrics on this port (env WARGAME_METRICS_PORT; 0: none)",
    )
    worker.set_defaults(func=cmd_worker)

    seat = sub.add_parser("seat", help="manage seats (join links)")
    seat_sub = seat.add_subparsers(dest="seat_command", required=True)
    revoke = seat_sub.add_parser("revoke", help="revoke seats and close their open sockets")
    revoke.add_argument("exercise", nargs="?", help="exercise id")
    revoke.add_argument("viewer", nargs="?", help="team:USA, white_cell, facilitator, observer")
    revoke.add_argument("--seat", type=int, default=None, help="revoke only this seat (id from `seat list`)")
    revoke.add_argument("--token", default=None, help="revoke the one seat of this join token")
    revoke.set_defaults(func=cmd_seat_revoke)
    issue = seat_sub.add_parser("issue", help="issue a join link to a named member of a team or cell")
    issue.add_argument("exercise", help="exercise id")
    issue.add_argument("--role", required=True, help="player, white_cell, facilitator, evaluator or observer")
    issue.add_argument("--nation", default=None, help="the team's nation (player seats)")
    issue.add_argument("--member", required=True, help="the member's name, as the log records it")
    issue.add_argument("--json", action="store_true", help="print the seat and its token as JSON")
    issue.set_defaults(func=cmd_seat_issue)
    listing = seat_sub.add_parser("list", help="list an exercise's seats (no tokens: they are stored hashed)")
    listing.add_argument("exercise", help="exercise id")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_seat_list)
    reissue = seat_sub.add_parser("reissue", help="revoke a link and issue a new one for the same member")
    reissue.add_argument("exercise", help="exercise id")
    reissue.add_argument("seat_id", type=int, help="seat id (from `seat list`)")
    reissue.add_argument("--json", action="store_true", help="print the new seat and its token as JSON")
    reissue.set_defaults(func=cmd_seat_reissue)

    inject = sub.add_parser("inject", help="MSEL injects")
    inject_sub = inject.add_subparsers(dest="inject_command", required=True)
    schedule = inject_sub.add_parser("schedule", help="have a worker release an inject later")
    schedule.add_argument("exercise")
    schedule.add_argument("inject")
    schedule.add_argument("--in", dest="delay", type=float, default=0.0, help="seconds from now")
    schedule.set_defaults(func=cmd_inject_schedule)

    bench = sub.add_parser("bench", help="benchmarks (fan-out, scale, adjudication)")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    fanout = bench_sub.add_parser(
        "fanout", help="1 KB event to N sockets: this server vs a bare websockets server"
    )
    fanout.add_argument("--clients", type=int, default=500)
    fanout.add_argument("--rounds", type=int, default=40)
    fanout.add_argument("--json", action="store_true")
    fanout.set_defaults(func=cmd_bench_fanout)
    scale = bench_sub.add_parser(
        "scale", help="a shipped scenario at full size: headless core vs a real server with every seat"
    )
    scale.add_argument("--scenario", default="global-sentinel")
    scale.add_argument("--moves", type=int, default=8)
    scale.add_argument("--joiners", type=int, default=200, help="pages opened at once after the last move")
    scale.add_argument("--postgres", default=None, help="PostgreSQL URL: the production topology")
    scale.add_argument("--json", action="store_true")
    scale.set_defaults(func=cmd_bench_scale)
    _delegate(
        bench_sub, "adjudication", "a move over a 30,000-object catalog vs its floors", cmd_bench_adjudication
    )
    warmup = sub.add_parser("warmup", help="compile the adjudication kernels into numba's cache")
    warmup.set_defaults(func=cmd_warmup)
    _delegate(sub, "cdm", "conjunction data messages: `cdm pc FILE...`, `cdm export EX WARNING`", cmd_cdm)
    _delegate(sub, "msel", "MSEL spreadsheets: `msel export|import SCENARIO FILE.csv|.xlsx`", cmd_msel)
    _delegate(sub, "catalog", "catalogs: `catalog import SOURCE --out F` or `catalog generate`", cmd_catalog)

    from wargame.eventlog.log_cli import add_log_commands
    from wargame.ops.cliargs import add_fault_parser, add_fuzz_parser, add_loadtest_parser
    from wargame.replay_cli import add_replay_parser

    add_loadtest_parser(sub, cmd_loadtest)
    add_fault_parser(sub, cmd_fault)
    add_fuzz_parser(sub, cmd_fuzz)
    add_replay_parser(sub)

    exercise = sub.add_parser("exercise", help="manage exercises")
    exercise_sub = exercise.add_subparsers(dest="exercise_command", required=True)
    create = exercise_sub.add_parser("create", help="create an exercise and print its join links")
    create.add_argument("scenario", help="scenario id (e.g. tutorial) or path to a YAML file")
    create.add_argument("--ruleset", default=None, help="ruleset id or path (default: the scenario's)")
    create.add_argument("--json", action="store_true", help="print the id and tokens as JSON")
    create.set_defaults(func=cmd_exercise_create)
    add_log_commands(exercise_sub, _django_store)  # verify, export-log

    validate = sub.add_parser("validate", help="check scenario and ruleset files")
    validate.add_argument("paths", nargs="+")
    validate.set_defaults(func=cmd_validate)

    aar = sub.add_parser("aar", help="after-action review")
    aar_sub = aar.add_subparsers(dest="aar_command", required=True)
    export = aar_sub.add_parser("export", help="export the AAR of an exercise")
    export.add_argument("exercise")
    export.add_argument(
        "--format", default="md",
        help="json, md, html, docx (the HSEEP AAR/IP) or xlsx (its improvement plan); binary ones need --out",
    )
    export.add_argument(
        "--viewer", default="facilitator", help="facilitator, evaluator, white_cell or team:XXX"
    )
    export.add_argument("--out", default=None)
    export.add_argument("--progress", action="store_true",
                        help="tell progress on stderr (the default when stderr is a terminal)")
    export.set_defaults(func=cmd_aar_export)
    aar_sub.add_parser(
        "sharing-value", add_help=False,
        help="the value of sharing: re-adjudicate under other sharing (see `aar sharing-value -h`)",
    )

    schema = sub.add_parser("schema", help="write the JSON Schemas of scenarios, rulesets and the protocol")
    schema.add_argument("--out", default="docs/schemas", help="folder for the JSON Schemas")
    schema.add_argument(
        "--frontend-schema", default=None,
        help="also write the protocol schema here (default: frontend/schema/protocol.json in a checkout)",
    )
    schema.set_defaults(func=cmd_schema)

    migrate = sub.add_parser("migrate", help="create or upgrade the database tables")
    migrate.set_defaults(func=cmd_migrate)
    return parser


DELEGATED: dict[tuple[str, ...], Any] = {
    ("bench", "adjudication"): cmd_bench_adjudication,
    ("cdm",): cmd_cdm,
    ("aar", "sharing-value"): cmd_aar_sharing_value,
    ("msel",): cmd_msel,
    ("catalog",): cmd_catalog,
}
"""Commands whose own parser takes every argument after their name (argparse's REMAINDER
refuses a first argument that looks like an option, such as `bench adjudication --json`)."""


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    words = list(sys.argv[1:] if argv is None else argv)
    for prefix, func in DELEGATED.items():
        if tuple(words[: len(prefix)]) == prefix:
            return argparse.Namespace(func=func, rest=words[len(prefix) :])
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
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
