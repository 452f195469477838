"""Argument parsers of `wargame loadtest`, `wargame fault` and `wargame fuzz`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]
FAULTS = ("kill-server", "restart-redis", "restart-all", "drop-db")


def add_loadtest_parser(sub: Any, handler: Handler) -> None:
    parser = sub.add_parser(
        "loadtest",
        help="play a scripted exercise with N clients on K servers and check every stream",
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--moves", type=int, default=4, help="at most the scenario's 4 moves")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres", default=None, help="server URL (a fresh database is made)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=handler)


def add_fault_parser(sub: Any, handler: Handler) -> None:
    parser = sub.add_parser("fault", help="break the topology mid-move, resume, and check nothing was lost")
    parser.add_argument("fault", choices=[*FAULTS, "all"])
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--redis-port", type=int, default=6390, help="own redis-server port")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=handler)


def add_fuzz_parser(sub: Any, handler: Handler) -> None:
    parser = sub.add_parser(
        "fuzz", help="send malformed, oversized and unauthorized frames to a local server"
    )
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=handler)
