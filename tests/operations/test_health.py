"""Liveness and readiness: the database and the channel layer each checked with a time limit,
503 naming what failed (PostgreSQL or Redis down: a closed port), any Host for the probes."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from channels_redis.core import RedisChannelLayer
from django.db.utils import ConnectionHandler
from django.test import AsyncClient

from wargame.ops.topology import free_port, kill, spawn, wait_until
from wargame.server import lifecycle
from wargame.server.health import check_channel_layer, check_database, readiness

REPO = Path(__file__).resolve().parents[2]


def postgres_at(port: int) -> ConnectionHandler:
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "NAME": "wargame_ops",
                "USER": "postgres",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung database or Redis)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


async def ok(timeout_s: float) -> dict[str, Any]:
    return {"ok": True, "seconds": 0.0}


async def test_readiness_fails_when_postgresql_is_down(django_db_blocker: Any) -> None:
    database = partial(check_database, handler=postgres_at(free_port()))
    with django_db_blocker.unblock():  # this handler's database is not the test database
        status, body = await readiness(2.0, database=database, layer=ok)
    assert status == 503 and body["status"] == "unavailable" and body["failed"] == ["database"]
    error = body["checks"]["database"]["error"]
    assert error.startswith("OperationalError") and "refused" in error
    assert body["checks"]["channel_layer"]["ok"] is True


async def test_readiness_fails_when_redis_is_down() -> None:
    layer = RedisChannelLayer(hosts=[f"redis://127.0.0.1:{free_port()}/10"])
    status, body = await readiness(2.0, database=ok, layer=partial(check_channel_layer, layer=layer))
    assert status == 503 and body["failed"] == ["channel_layer"]
    assert "ConnectionError" in body["checks"]["channel_layer"]["error"]


async def test_a_server_that_does_not_answer_fails_within_the_time_limit(django_db_blocker: Any) -> None:
    with silent_server() as port, django_db_blocker.unblock():
        layer = RedisChannelLayer(hosts=[f"redis://127.0.0.1:{port}/10"])
        assert await check_channel_layer(0.5, layer=layer) == {
            "ok": False,
            "error": "no round trip within 0.5 s",
        }
        assert await check_database(0.5, handler=postgres_at(port)) == {
            "ok": False,
            "error": "no answer within 0.5 s",
        }


async def test_draining_is_not_ready() -> None:
    lifecycle.state.draining = True
    try:
        status, body = await readiness(1.0, database=ok, layer=ok)
        live = await AsyncClient().get("/api/health/live")
    finally:
        lifecycle.state.draining = False
    assert (status, body["status"], body["failed"]) == (503, "draining", ["draining"])
    assert live.status_code == 200 and live.json() == {"status": "ok", "draining": True}


@pytest.mark.integration
async def test_ready_on_the_configured_database_and_layer_from_any_host(transactional_db: None) -> None:
    client = AsyncClient()
    for path in ("/api/health/ready", "/api/health"):
        reply = await client.get(path, headers={"Host": "10.1.2.3:8000"})  # a pod's address
        assert reply.status_code == 200, reply.content
        body = reply.json()
        assert body["status"] == "ok" and body["failed"] == []
        assert body["checks"]["database"]["ok"] and body["checks"]["channel_layer"]["ok"]
    live = await client.get("/api/health/live", headers={"Host": "10.1.2.3:8000"})
    assert live.status_code == 200 and live.json()["status"] == "ok"
    other = await client.get("/api/log", headers={"Host": "10.1.2.3:8000"})
    assert other.status_code == 400  # every other path still checks WARGAME_ALLOWED_HOSTS


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_served_process_with_postgresql_and_redis_down(tmp_path: Path) -> None:
    """`wargame serve` as deployed (a real host name allowed), its database and Redis on closed
    ports: live answers 200, ready and /api/health 503 naming both."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "WARGAME_STATE_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/wargame_ops",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/10",
        "WARGAME_ALLOWED_HOSTS": "wargame.example.org",
        "WARGAME_PRODUCTION": "1",
        "WARGAME_SECRET_KEY": "test-only-secret",
    }
    log = (tmp_path / "serve.log").open("wb")
    server = spawn(
        [sys.executable, "-m", "wargame.cli", "serve", "--no-migrate", "--port", str(port)], env, log
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: get(f"{base}/api/health/live")[0] == 200, 60, "the server")
        for path in ("/api/health/ready", "/api/health"):
            status, body = get(base + path)
            assert status == 503 and body["failed"] == ["database", "channel_layer"], body
            assert "refused" in body["checks"]["database"]["error"]
    finally:
        kill(server)
        log.close()
    lines = (tmp_path / "serve.log").read_text()
    assert 'message="not ready"' in lines and "level=WARNING" in lines
