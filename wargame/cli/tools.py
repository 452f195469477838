"""`wargame bench`, `warmup`, `loadtest`, `fault`, `fuzz`, `inject schedule`: measuring and operating."""

from __future__ import annotations

import json

import click

from wargame.cli.common import command as make_command
from wargame.cli.common import (
    django_setup,
    examples,
    exercise_argument,
    group,
    json_option,
    option,
    print_json,
    progress_option,
    progress_teller,
    quiet_option,
)


@group(
    epilog=examples(
        "wargame bench adjudication --json",
        "wargame bench fanout --clients 500",
        "wargame bench scale --moves 2",
    )
)
def bench() -> None:
    """Benchmarks (docs/benchmarks.md)."""


@bench.command(
    epilog=examples("wargame bench fanout", "wargame bench fanout --clients 200 --rounds 10 --json")
)
@option(
    "--clients", type=int, default=500, envvar="WARGAME_BENCH_CLIENTS", help="sockets receiving each event"
)
@option("--rounds", type=int, default=40, envvar="WARGAME_BENCH_ROUNDS", help="events sent")
@json_option
def fanout(clients: int, rounds: int, as_json: bool) -> int:
    """A 1 KB event to N sockets: this server against a bare websockets server."""
    from wargame.ops.bench import run_fanout_bench

    return run_fanout_bench(clients, rounds, as_json)


@bench.command(
    epilog=examples(
        "wargame bench scale",
        "wargame bench scale --scenario regional-sentinel --moves 2 "
        "--postgres postgres://postgres@127.0.0.1:5432/postgres --json",
    )
)
@option("--scenario", default="global-sentinel", envvar="WARGAME_BENCH_SCENARIO", help="a shipped scenario")
@option("--moves", type=int, default=8, envvar="WARGAME_BENCH_MOVES", help="moves to play")
@option(
    "--joiners",
    type=int,
    default=200,
    envvar="WARGAME_BENCH_JOINERS",
    help="pages opened at once after the last move",
)
@option(
    "--postgres",
    default=None,
    envvar="WARGAME_BENCH_POSTGRES",
    help="PostgreSQL server URL: the production topology (default: SQLite)",
)
@json_option
def scale(scenario: str, moves: int, joiners: int, postgres: str | None, as_json: bool) -> int:
    """A shipped scenario at full size: the headless core against a real server with every seat."""
    from wargame.ops.scale import run_scale_command

    return run_scale_command(scenario, moves, joiners, postgres, as_json)


@bench.command(
    epilog=examples(
        "wargame bench adjudication", "wargame bench adjudication --objects 400 --hours 2 --repeats 1 --json"
    )
)
@option("--objects", type=int, default=30000, envvar="WARGAME_BENCH_OBJECTS", help="catalog objects")
@option("--sensors", type=int, default=60, envvar="WARGAME_BENCH_SENSORS", help="sensors")
@option("--assets", type=int, default=200, envvar="WARGAME_BENCH_ASSETS", help="allied assets")
@option(
    "--step-min", type=float, default=15.0, envvar="WARGAME_BENCH_STEP_MIN", help="ephemeris step, minutes"
)
@option("--hours", type=float, default=24.0, envvar="WARGAME_BENCH_HOURS", help="span of a move, hours")
@option(
    "--repeats", type=int, default=3, envvar="WARGAME_BENCH_REPEATS", help="timed runs (the median is kept)"
)
@option("--seed", type=int, default=1, envvar="WARGAME_BENCH_SEED", help="seed of the synthetic catalog")
@json_option
def adjudication(
    objects: int,
    sensors: int,
    assets: int,
    step_min: float,
    hours: float,
    repeats: int,
    seed: int,
    as_json: bool,
) -> int:
    """A move over a synthetic catalog against the floors of the same run (kernels vs baselines)."""
    from wargame.bench.adjudication import run

    result = run(objects, sensors, assets, step_min, hours, repeats, seed)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:26s} {value}")
    return 0


@make_command(epilog=examples("wargame warmup", "wargame warmup --json --quiet"))
@json_option
@progress_option
@quiet_option
def warmup(as_json: bool, progress: bool, quiet: bool) -> int:
    """Compile the adjudication kernels into numba's cache (about 15 s once; install does it)."""
    from wargame.ops.warmup import warm_up

    seconds = warm_up(progress_teller("warmup", progress, quiet))
    if as_json:
        print_json(seconds)
    else:
        click.echo("kernels ready: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()))
    return 0


@make_command(
    epilog=examples(
        "wargame loadtest --clients 1000 --servers 2 --moves 4 --json",
        "wargame loadtest --clients 100 --postgres postgres://postgres@127.0.0.1:5432/postgres",
    )
)
@option("--clients", type=int, default=1000, envvar="WARGAME_LOAD_CLIENTS", help="websocket clients")
@option("--servers", type=int, default=2, envvar="WARGAME_LOAD_SERVERS", help="server processes")
@option("--moves", type=int, default=4, envvar="WARGAME_LOAD_MOVES", help="at most the scenario's 4 moves")
@option("--workers", type=int, default=1, envvar="WARGAME_LOAD_WORKERS", help="`wargame worker` processes")
@option(
    "--postgres",
    default=None,
    envvar="WARGAME_LOAD_POSTGRES",
    help="PostgreSQL server URL (a fresh database is made; default: SQLite)",
)
@json_option
def loadtest(
    clients: int, servers: int, moves: int, workers: int, postgres: str | None, as_json: bool
) -> int:
    """Play a scripted exercise with N clients on K servers and check every stream (exit 1 on a loss)."""
    from wargame.ops.loadtest import run_loadtest_command

    return run_loadtest_command(clients, servers, moves, workers, postgres, as_json)


@make_command(epilog=examples("wargame fault all", "wargame fault kill-server --clients 60 --json"))
@click.argument(
    "fault_name",
    metavar="FAULT",
    type=click.Choice(["kill-server", "restart-redis", "restart-all", "drop-db", "all"]),
)
@option("--clients", type=int, default=60, envvar="WARGAME_FAULT_CLIENTS", help="websocket clients")
@option(
    "--redis-port", type=int, default=6390, envvar="WARGAME_FAULT_REDIS_PORT", help="own redis-server port"
)
@option(
    "--postgres",
    default=None,
    envvar="WARGAME_FAULT_POSTGRES",
    help="PostgreSQL server URL (a fresh database is made; default: SQLite)",
)
@json_option
def fault(fault_name: str, clients: int, redis_port: int, postgres: str | None, as_json: bool) -> int:
    """Break the topology mid-move, resume, and check nothing was lost (exit 1 if anything was)."""
    from wargame.ops.faults import run_fault_command

    return run_fault_command(fault_name, clients, redis_port, postgres, as_json)


@make_command(epilog=examples("wargame fuzz", "wargame fuzz --frames 10000 --seed 7 --json"))
@option("--frames", type=int, default=100_000, envvar="WARGAME_FUZZ_FRAMES", help="frames to send")
@option("--seed", type=int, default=1, envvar="WARGAME_FUZZ_SEED", help="seed of the frames")
@option(
    "--connections", type=int, default=8, envvar="WARGAME_FUZZ_CONNECTIONS", help="sockets sending at once"
)
@json_option
def fuzz(frames: int, seed: int, connections: int, as_json: bool) -> int:
    """Send malformed, oversized and unauthorized frames to a local server (exit 1 on a crash or change)."""
    from wargame.ops.fuzz import run_fuzz_command

    return run_fuzz_command(frames, connections, seed, as_json)


@group(epilog=examples("wargame inject schedule EX inj-004 --in 600"))
def inject() -> None:
    """MSEL injects."""


@inject.command(epilog=examples("wargame inject schedule EX inj-004 --in 600"))
@exercise_argument()
@click.argument("inject_id", metavar="INJECT")
@option("--in", "delay", type=float, default=0.0, envvar="WARGAME_INJECT_DELAY", help="seconds from now")
@json_option
def schedule(exercise: str, inject_id: str, delay: float, as_json: bool) -> int:
    """Have a `wargame worker` release an inject later, as the white cell."""
    django_setup()
    from wargame.server.jobs import schedule_inject

    job = schedule_inject(exercise, inject_id, delay)
    if as_json:
        print_json({"job": job, "exercise_id": exercise, "inject": inject_id, "delay_s": delay})
    else:
        click.echo(f"job {job}: a worker releases {inject_id} in {delay:g} s")
    return 0


COMMANDS = [bench, warmup, loadtest, fault, fuzz, inject]
