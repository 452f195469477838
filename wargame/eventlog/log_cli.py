"""`wargame exercise verify` and `wargame exercise export-log`: the log's integrity from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wargame.eventlog.export import CONTENT_TYPES, ExportHead, export_text
from wargame.eventlog.store import EventStore
from wargame.eventlog.verify import parse_head, verify_log

OpenStore = Callable[[], EventStore]
"""Opens the configured store (the `wargame` command passes the database's)."""


def add_log_commands(exercise_sub: Any, open_store: OpenStore) -> None:
    """Register `verify` and `export-log` under `wargame exercise`."""
    verify = exercise_sub.add_parser("verify", help="check an exercise's hash chain, blobs and snapshots")
    verify.add_argument("exercise")
    verify.add_argument(
        "--expect-head", default=None, metavar="SEQ:HASH",
        help="a head anchored earlier (printed by verify and every export): the log must still hold it",
    )
    verify.set_defaults(func=lambda args: cmd_verify(args, open_store))
    export = exercise_sub.add_parser(
        "export-log", help="write the raw log (every envelope with its hash and recipe) as JSONL or CSV"
    )
    export.add_argument("exercise")
    export.add_argument("--format", choices=sorted(CONTENT_TYPES), default="jsonl")
    export.add_argument("--out", default=None, help="a file (default: standard output)")
    export.set_defaults(func=lambda args: cmd_export_log(args, open_store))


def cmd_verify(args: argparse.Namespace, open_store: OpenStore) -> int:
    """Prints the report as JSON (its `head` is `SEQ:HASH`, to anchor); exit 1 on any problem."""
    try:
        expected = parse_head(args.expect_head) if args.expect_head else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = verify_log(open_store(), args.exercise, expect_head=expected)
    print(json.dumps(report.as_json()))
    return 1 if report.problems or not report.events else 0


def cmd_export_log(args: argparse.Namespace, open_store: OpenStore) -> int:
    """Streams the export to `--out` or standard output, then says on standard error how many
    events were written and the head to anchor (`SEQ:HASH`)."""
    store = open_store()
    if store.read_last_seq(args.exercise) == 0:
        print(f"error: no exercise {args.exercise!r}", file=sys.stderr)
        return 1
    head = ExportHead()
    chunks = export_text(store, args.exercise, args.format, head)
    if args.out:
        with Path(args.out).open("w", encoding="utf-8", newline="") as out:
            out.writelines(chunks)
    else:
        sys.stdout.writelines(chunks)
        sys.stdout.flush()
    for line in head.unreadable:
        print(f"warning: left out, unreadable: {line}", file=sys.stderr)
    print(f"exported {head.events} events of exercise {args.exercise}; head {head.head}", file=sys.stderr)
    return 1 if head.unreadable else 0
