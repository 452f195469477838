"""docker-compose.yml's topology without Docker: two `wargame serve --proxy-headers` processes, a
`wargame worker`, the real PostgreSQL (a fresh database) and Redis (REDIS_URL's database, a
prefix of its own), and nginx running deploy/nginx.conf with the compose names swapped for local
ports. The public host is a real name (wargame.test, not in DNS: requests send it as Host).

Checked through the proxy: readiness and liveness, the compose health checks as written, the
admin login with its CSRF check, a websocket hello and a command run by the worker, and a server
drained by SIGTERM whose socket comes back through the proxy on the other server.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from wargame.ops.topology import create_database, drop_database, free_port, kill, spawn, wait_until
from wargame.protocol.messages import CLOSE_SERVER_RESTART, PROTOCOL_VERSION, SUBPROTOCOL

REPO = Path(__file__).resolve().parents[2]
HOST = "wargame.test"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
    ),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="needs nginx (apt-get install nginx-light)"),
]


def adapted_nginx_conf(web: list[int], listen: int, workdir: Path) -> str:
    """deploy/nginx.conf with the compose service names and port swapped for local ones."""
    text = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    swaps = {
        "server web1:8000 ": f"server 127.0.0.1:{web[0]} ",
        "server web2:8000 ": f"server 127.0.0.1:{web[1]} ",
        "listen 80;": f"listen 127.0.0.1:{listen};",
        "worker_processes auto;": "worker_processes 1;",
        "http {": "http {\n"
        + "".join(
            f"  {kind}_temp_path {workdir / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
    }
    for old, new in swaps.items():
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@dataclass
class Deployment:
    workdir: Path
    env: dict[str, str]
    web: list[int]
    proxy: int
    metrics: int
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def public(self) -> str:
        return f"{HOST}:{self.proxy}"

    def wargame(self, *args: str, extra: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "wargame.cli", *args],
            env={**self.env, **(extra or {})}, capture_output=True, text=True, timeout=300, check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def start(self, name: str, args: list[str], extra: dict[str, str] | None = None) -> None:
        log = (self.workdir / f"{name}.log").open("ab")
        self.procs[name] = spawn(args, {**self.env, **(extra or {})}, log)

    def request(
        self, method: str, path: str, port: int | None = None, host: str | None = None, **kw: Any
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", port or self.proxy, timeout=15)
        headers = {"Host": host or self.public, **kw.pop("headers", {})}
        conn.request(method, path, headers=headers, **kw)
        return conn.getresponse()

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")


def ready(deployment: Deployment, port: int) -> bool:
    return deployment.request("GET", "/api/health/ready", port=port).status == 200


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    workdir = tmp_path_factory.mktemp("deploy")
    database = create_database(os.environ["DATABASE_URL"])
    web, proxy = [free_port(), free_port()], free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": database,
        "REDIS_URL": os.environ["REDIS_URL"],
        "WARGAME_LAYER_PREFIX": f"ops{uuid.uuid4().hex[:6]}",
        "WARGAME_ALLOWED_HOSTS": HOST,
        "WARGAME_PUBLIC_URL": f"http://{HOST}:{proxy}",
        "WARGAME_SECRET_KEY": "test-only-" + uuid.uuid4().hex,
        "WARGAME_PRODUCTION": "1",
        "WARGAME_ADJUDICATION": "worker",
        "WARGAME_STATE_DIR": str(workdir),
        "WARGAME_DRAIN_SECONDS": "1",
    }
    deployment = Deployment(workdir, env, web, proxy, free_port())
    try:
        deployment.wargame("migrate")
        for n, port in enumerate(web, start=1):  # as docker-compose.yml's web1 and web2
            args = ["serve", "--no-migrate", "--proxy-headers", "--host", "127.0.0.1", "--port", str(port)]
            deployment.start(f"web{n}", [sys.executable, "-m", "wargame.cli", *args])
        deployment.start(
            "worker",
            [sys.executable, "-m", "wargame.cli", "worker", "--no-migrate"],
            {
                "WARGAME_WORKER_HEARTBEAT": str(workdir / "worker-alive"),
                "WARGAME_METRICS_PORT": str(deployment.metrics),
            },
        )
        conf = workdir / "nginx.conf"
        conf.write_text(adapted_nginx_conf(web, proxy, workdir), encoding="utf-8")
        for port in web:
            wait_until(lambda p=port: ready(deployment, p), 90, f"server {port}")
        nginx = shutil.which("nginx")
        assert nginx is not None
        directives = f"daemon off; pid {workdir / 'nginx.pid'};"
        errors = str(workdir / "nginx-error.log")
        run_nginx = [nginx, "-p", str(workdir), "-c", str(conf), "-e", errors, "-g", directives]
        deployment.start("nginx", run_nginx)
        wait_until(lambda: ready(deployment, proxy), 30, "nginx")
        yield deployment
    finally:
        nginx_master = deployment.procs.pop("nginx", None)
        if nginx_master is not None:  # SIGTERM: its workers go too (SIGKILL would orphan them)
            nginx_master.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                nginx_master.wait(10)
            kill(nginx_master)
        for proc in deployment.procs.values():
            kill(proc)
        drop_database(database)


def test_health_through_the_proxy_and_metrics_kept_inside(deployment: Deployment) -> None:
    reply = deployment.request("GET", "/api/health/ready")
    body = json.loads(reply.read())
    assert reply.status == 200 and body["status"] == "ok", body
    assert body["checks"]["database"]["ok"] and body["checks"]["channel_layer"]["ok"]
    assert deployment.request("GET", "/api/health/live").status == 200
    assert deployment.request("GET", "/api/health").status == 200
    assert deployment.request("GET", "/metrics").status == 404  # not through the proxy
    inside = deployment.request("GET", "/metrics", port=deployment.web[0], host="127.0.0.1")
    assert inside.status == 200 and b"wargame_connected_seats" in inside.read()
    other = deployment.request("GET", "/api/log", host="somewhere.else")
    assert other.status == 400  # the public paths still check WARGAME_ALLOWED_HOSTS


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


def test_the_compose_health_checks_pass_with_a_real_host_name(deployment: Deployment) -> None:
    services = compose()["services"]
    web = compose()["x-web"]["healthcheck"]["test"]
    assert web[:2] == ["CMD", "python"]
    here = f"127.0.0.1:{deployment.web[1]}"
    probe = [sys.executable, *[a.replace("127.0.0.1:8000", here) for a in web[2:]]]
    assert probe != [sys.executable, *web[2:]], "the web health check no longer calls 127.0.0.1:8000"
    assert subprocess.run(probe, env=deployment.env, timeout=30, check=False).returncode == 0
    kind, command = services["proxy"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL" and "http://127.0.0.1/" in command
    proxy_probe = command.replace("http://127.0.0.1/", f"http://127.0.0.1:{deployment.proxy}/")
    assert subprocess.run(proxy_probe, shell=True, timeout=30, check=False).returncode == 0
    worker = services["worker"]["healthcheck"]["test"]
    beat = str(deployment.workdir / "worker-alive")
    worker_probe = [sys.executable, *[a.replace("/tmp/worker-alive", beat) for a in worker[2:]]]
    assert subprocess.run(worker_probe, timeout=30, check=False).returncode == 0


def cookies(reply: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in reply.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def test_admin_login_through_the_proxy_passes_csrf(deployment: Deployment) -> None:
    user = ["createsuperuser", "--noinput", "--username", "ops", "--email", "ops@example.org"]
    settings = {"DJANGO_SETTINGS_MODULE": "wargame.server.settings", "DJANGO_SUPERUSER_PASSWORD": "ops-pw-1"}
    made = subprocess.run(
        [sys.executable, "-m", "django", *user],  # as docs/operations.md says
        env={**deployment.env, **settings}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert made.returncode == 0, made.stderr
    page = deployment.request("GET", "/admin/login/?next=/admin/")
    html = page.read().decode()
    assert page.status == 200
    jar = cookies(page)
    [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    origin = f"http://{deployment.public}"
    fields = {"csrfmiddlewaretoken": token, "username": "ops", "password": "ops-pw-1", "next": "/admin/"}
    form = urlencode(fields)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={jar['csrftoken']}",
        "Origin": origin,
        "Referer": f"{origin}/admin/login/",
    }
    # What `proxy_set_header Host $host` did: the port dropped, so the Origin no longer matched.
    portless = deployment.request("POST", "/admin/login/", host=HOST, body=form, headers=headers)
    assert portless.status == 403 and b"CSRF" in portless.read()
    login = deployment.request("POST", "/admin/login/", body=form, headers=headers)
    assert login.status == 302 and login.headers["Location"] == "/admin/", login.read()[:500]
    session = cookies(login)["sessionid"]
    home = deployment.request("GET", "/admin/", headers={"Cookie": f"sessionid={session}"})
    home_html = home.read().decode()
    assert home.status == 200 and "Site administration" in home_html
    sheet = re.findall(r'href="(/static/django/admin/css/base\.css)"', home_html)[0]
    css = deployment.request("GET", sheet)
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css") and len(css.read()) > 1000


async def open_socket(deployment: Deployment, seat_token: str) -> ClientConnection:
    """A websocket to the public URL, through the proxy (its host name is not in DNS)."""
    return await connect(
        f"ws://{deployment.public}/ws/exercise/",
        host="127.0.0.1",
        port=deployment.proxy,
        subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(f"token.{seat_token}")],
        origin=Origin(f"http://{deployment.public}"),
        max_size=2**24,
    )


async def hello(ws: ClientConnection) -> dict[str, Any]:
    welcome: dict[str, Any] = json.loads(await ws.recv())
    assert welcome["type"] == "welcome", welcome
    await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": None}))
    return welcome


async def until(ws: ClientConnection, kinds: tuple[str, ...]) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 120))
        if message["type"] in kinds:
            return message


async def play_through_the_proxy(deployment: Deployment, tokens: dict[str, str]) -> dict[str, Any]:
    white = await open_socket(deployment, tokens["white_cell"])
    welcome = await hello(white)
    assert (await until(white, ("snapshot",)))["part"] == 1
    command = {"type": "command", "command_id": "start-1", "command": {"type": "start_exercise"}}
    await white.send(json.dumps(command))
    answer = await until(white, ("ack", "rejected"))
    observer = await open_socket(deployment, tokens["observer"])
    await hello(observer)
    await until(observer, ("snapshot",))
    await white.close()
    # SIGTERM the server holding the observer's socket.
    ending = asyncio.create_task(until(observer, ("error",)))
    served = [name for name in ("web1", "web2") if "viewer=observer" in deployment.log(name)]
    deployment.procs[served[0]].send_signal(signal.SIGTERM)
    error = await ending
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(observer.recv(), 30)
    back = await open_socket(deployment, tokens["observer"])  # the proxy sends it to the other
    again = await hello(back)
    await until(back, ("snapshot",))
    await back.close()
    return {
        "welcome": welcome, "answer": answer, "error": error, "close": observer.close_code,
        "again": again, "stopped": served[0],
    }


def test_a_websocket_through_the_proxy_plays_and_survives_a_drain(deployment: Deployment) -> None:
    created = json.loads(deployment.wargame("exercise", "create", "tutorial", "--json"))
    tokens = {(s["nation"] and f"team:{s['nation']}") or s["role"]: s["token"] for s in created["seats"]}
    seen = asyncio.run(play_through_the_proxy(deployment, tokens))
    assert seen["welcome"]["exercise_id"] == created["exercise_id"]
    assert seen["answer"]["type"] == "ack", seen["answer"]  # run by the worker
    assert seen["error"]["code"] == "server_restart" and seen["close"] == CLOSE_SERVER_RESTART
    assert seen["again"]["viewer"] == "observer"
    stopped = deployment.procs[seen["stopped"]]
    assert stopped.wait(30) == 0
    assert 'message="job done"' in deployment.log("worker") and "status=accepted" in deployment.log("worker")
    scraped = deployment.request("GET", "/metrics", port=deployment.metrics, host="127.0.0.1")
    assert b'wargame_commands_total{outcome="accepted",type="start_exercise"} 1.0' in scraped.read()
