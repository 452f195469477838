"""The scaled-out topology as local processes: own Redis, a fresh PostgreSQL database, servers, workers.

Used by the load test, the fault scripts and the scale-out test. Everything listens on
127.0.0.1 only. The Redis is a separate `redis-server` on its own port (never the shared one),
and the database is created for the run and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
LOAD_SOCKETS_PER_SEAT = 10_000
"""The per-seat socket cap (and frames per second per seat) of the topology's servers."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Any, timeout_s: float, what: str, every_s: float = 0.1) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(every_s)
    raise TimeoutError(f"timed out after {timeout_s:g}s waiting for {what}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_database(base_url: str) -> str:
    """A new empty PostgreSQL database next to `base_url`'s; returns its URL."""
    import psycopg

    name = f"wargame_ops_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_with_database(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _with_database(base_url, name)


def drop_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_connections(url: str) -> int:
    """Kill every backend connected to the database (the 'drop the DB connection' fault)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


@dataclass
class Topology:
    """Processes of one run; `close()` stops them and drops the database."""

    database_url: str
    redis_port: int | None
    workdir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    servers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    redis: subprocess.Popen[bytes] | None = None
    own_database: bool = True
    layer_prefix: str = field(default_factory=lambda: f"wg{uuid.uuid4().hex[:6]}")

    @property
    def redis_url(self) -> str | None:
        return f"redis://127.0.0.1:{self.redis_port}/0" if self.redis_port else None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            WARGAME_STATE_DIR=str(self.workdir),
            WARGAME_ALLOWED_HOSTS="127.0.0.1,localhost",
            WARGAME_ADJUDICATION="worker",
            WARGAME_LAYER_PREFIX=self.layer_prefix,
            WARGAME_LOG_LEVEL=env.get("WARGAME_LOG_LEVEL", "ERROR"),
            # Each simulated browser window is a socket, hundreds of them per seat, and they all
            # reconnect and say hello at once after a fault: lift the per-seat cap and rate.
            WARGAME_MAX_SOCKETS_PER_SEAT=str(LOAD_SOCKETS_PER_SEAT),
            WARGAME_RATE_PER_SECOND=str(LOAD_SOCKETS_PER_SEAT),
            WARGAME_RATE_BURST=str(LOAD_SOCKETS_PER_SEAT * 10),
        )
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        else:
            env.pop("REDIS_URL", None)
        env.update(self.extra_env)
        return env

    def wargame(self, *args: str, timeout_s: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "wargame.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"wargame {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / log_name).open("ab")
        return spawn(args, self.env(), log)

    def start_redis(self) -> None:
        assert self.redis_port is not None
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.redis = self._spawn(
            [
                binary,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            "redis.log",
        )
        wait_until(lambda: _redis_ping(self.redis_port or 0), 10, "redis")

    def stop_redis(self) -> None:
        if self.redis is not None:
            kill(self.redis)
            self.redis = None

    def start_server(self, port: int | None = None) -> int:
        port = port or free_port()
        self.servers[port] = self._spawn(
            [sys.executable, "-m", "wargame.cli", "serve", "--no-migrate", "--port", str(port)],
            f"server-{port}.log",
        )
        wait_until(lambda: health(port), 30, f"server on {port}")
        return port

    def kill_server(self, port: int) -> None:
        kill(self.servers.pop(port))

    def start_worker(self) -> None:
        self.workers.append(
            self._spawn(
                [sys.executable, "-m", "wargame.cli", "worker", "--no-migrate"],
                f"worker-{len(self.workers)}.log",
            )
        )

    def kill_workers(self) -> None:
        for proc in self.workers:
            kill(proc)
        self.workers.clear()

    def urls(self) -> list[str]:
        return [f"ws://127.0.0.1:{p}/ws/exercise/" for p in self.servers]

    def create_exercise(self, scenario: str = "tutorial") -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.wargame("exercise", "create", scenario, "--json"))
        return data

    def close(self) -> None:
        for port in list(self.servers):
            self.kill_server(port)
        self.kill_workers()
        self.stop_redis()
        if self.own_database:
            with contextlib.suppress(Exception):
                drop_database(self.database_url)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _die_with_parent() -> None:
    """Linux: the child gets SIGKILL when the tool that started it dies (no orphans)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(args: list[str], env: dict[str, str], log: Any = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so `finally` blocks stop processes and drop databases."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL and reap (the processes here are ours; nothing else is touched)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def health(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as reply:
        return bool(reply.status == 200)


def _redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


def start_topology(
    servers: int,
    workers: int = 1,
    postgres_url: str | None = None,
    redis_port: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Topology:
    """A fresh database, an own Redis, `servers` daphne processes and `workers` workers."""
    exit_on_sigterm()
    base = postgres_url or os.environ.get("WARGAME_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    topo = Topology(
        database_url=create_database(base),
        redis_port=redis_port or free_port(),
        workdir=Path(tempfile.mkdtemp(prefix="wargame-ops-")),
        extra_env=extra_env or {},
    )
    try:
        topo.start_redis()
        topo.wargame("migrate")
        for _ in range(servers):
            topo.start_server()
        for _ in range(workers):
            topo.start_worker()
    except BaseException:
        topo.close()
        raise
    return topo
