"""`wargame demo`, `serve`, `worker` and `migrate`: the long-running processes and the tables."""

from __future__ import annotations

import os

import click

from wargame.cli.common import command, django_setup, examples, migrate, option, use_state_dir

no_migrate_option = option(
    "--no-migrate",
    is_flag=True,
    envvar="WARGAME_NO_MIGRATE",
    help="do not create or upgrade the database tables first",
)
port_option = option("--port", type=int, default=8000, envvar="WARGAME_PORT", help="TCP port to serve on")


def _serve(host: str, port: int, proxy_headers: bool = False) -> int:
    """daphne with the project's options and graceful shutdown (server/serving.py)."""
    from wargame.server.serving import run_server

    return run_server(host, port, proxy_headers)


@command(epilog=examples("wargame demo", "wargame demo --port 8080 --scenario regional-sentinel"))
@port_option
@option(
    "--scenario",
    default="tutorial",
    envvar="WARGAME_DEMO_SCENARIO",
    help="scenario id or YAML file of the exercise the demo creates",
)
@option(
    "--data-dir",
    default=None,
    envvar="WARGAME_STATE_DIR",
    help="where the demo's SQLite database goes (default: var/ here; the same place "
    "`wargame aar export` and the other commands read)",
)
def demo(port: int, scenario: str, data_dir: str | None) -> int:
    """Create an exercise on SQLite with the in-memory layer and serve it on 127.0.0.1."""
    use_state_dir(data_dir)
    os.environ.setdefault("WARGAME_PUBLIC_URL", f"http://127.0.0.1:{port}")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")  # servers log lifecycle lines
    django_setup()
    migrate()
    from wargame.server.exercises import create_exercise, format_links

    created = create_exercise(scenario)
    click.echo(format_links(created, f"http://127.0.0.1:{port}"))
    click.echo(f"\nServing on http://127.0.0.1:{port}  (Ctrl-C to stop)")
    return _serve("127.0.0.1", port)


@command(
    epilog=examples(
        "DATABASE_URL=postgres://u@db/wargame REDIS_URL=redis://cache:6379/0 wargame serve --host 0.0.0.0",
        "wargame serve --no-migrate --proxy-headers --port 8000",
    )
)
@option("--host", default="127.0.0.1", envvar="WARGAME_HOST", help="address to listen on")
@port_option
@no_migrate_option
@option(
    "--proxy-headers",
    is_flag=True,
    envvar="WARGAME_PROXY_HEADERS",
    help="trust X-Forwarded-For from the proxy",
)
def serve(host: str, port: int, no_migrate: bool, proxy_headers: bool) -> int:
    """Serve with the settings of the environment (DATABASE_URL, REDIS_URL...)."""
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")
    django_setup()
    if not no_migrate:
        migrate()
    return _serve(host, port, proxy_headers)


@command(epilog=examples("wargame worker", "wargame worker --no-migrate --metrics-port 9101 --id w1"))
@option(
    "--id",
    "worker_id",
    default=None,
    envvar="WARGAME_WORKER_ID",
    help="name in the job table (default host:pid)",
)
@option(
    "--max-jobs",
    type=int,
    default=None,
    envvar="WARGAME_WORKER_MAX_JOBS",
    help="stop after this many jobs (default: run until stopped)",
)
@no_migrate_option
@option(
    "--metrics-port",
    type=int,
    default=0,
    envvar="WARGAME_METRICS_PORT",
    help="serve Prometheus metrics on this port (0: none)",
)
def worker(worker_id: str | None, max_jobs: int | None, no_migrate: bool, metrics_port: int) -> int:
    """Run adjudication jobs and scheduled injects (PostgreSQL)."""
    import socket

    os.environ["WARGAME_ADJUDICATION"] = "worker"
    os.environ.setdefault("WARGAME_LOG_LEVEL", "INFO")
    django_setup()
    if not no_migrate:
        migrate()
    from wargame.server.jobs import serve_metrics, work

    serve_metrics(metrics_port)
    name = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    click.echo(f"worker {name} waiting for jobs")
    ran = work(name, max_jobs=max_jobs)
    click.echo(f"worker {name} ran {ran} jobs")
    return 0


@command(
    "migrate", epilog=examples("wargame migrate", "DATABASE_URL=postgres://u@db/wargame wargame migrate")
)
def migrate_command() -> int:
    """Create or upgrade the database tables."""
    django_setup()
    migrate()
    return 0


COMMANDS = [demo, serve, worker, migrate_command]
