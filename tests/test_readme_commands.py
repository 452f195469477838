"""Every shell command of README.md, run for real in a temporary folder: the ```sh blocks (and
the commands their comments give), and the inline `wargame ...`, `make ...` and `pip ...`
commands of its prose. A command this file does not know how to run fails the test, so a new
README command gets a runner here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
JOIN_LINK = re.compile(r"^\s+(.+?)\s+(http://\S+/play/#seat=\S+)$")
SEATS = 7
"""The tutorial's join links: three teams, white cell, facilitator, evaluator, observer."""
COMMANDISH = re.compile(r"^(?:\.venv/bin/)?(?:python -m )?(?:wargame|make|pip) ")

EXCLUDED = {
    "make test": "it is the command running this test (scripts/test.sh runs the whole suite)",
}
MENTIONS = {
    "wargame seat issue": "names the command; its arguments are in the Commands list",
    "wargame aar export": "names the command (`wargame aar export`...); run in full below",
    "wargame replay": "names the command in the documentation list; run in full above it",
    "wargame worker": "names the docker-compose topology's worker process (PostgreSQL, served forever)",
}
"""Inline spans that name a command rather than give one to run."""


def readme_commands(text: str) -> list[str]:
    """The commands of the ```sh blocks (a line's command and any `or: ...` / `with: ...`
    command its comment gives), then the inline command spans of the prose, in order."""
    commands: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            command, _, comment = line.partition(" #")
            if command.strip():
                commands.append(command.strip())
            for given in re.findall(r"(?:or|with): ([^;(]+)", comment):
                commands.append(given.strip())
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    for span in re.findall(r"`([^`\n]+)`", prose):
        span = span.rstrip(".").strip()
        if COMMANDISH.match(span) or span in EXCLUDED:
            commands.append(span)
    return list(dict.fromkeys(commands))


def test_the_readme_gives_the_commands_this_file_runs() -> None:
    """A guard that the extraction reads the README at all (the quick start's two commands)."""
    commands = readme_commands(README.read_text())
    assert commands[:2] == ["make demo", "make test"]
    assert "wargame --version" in commands and "python -m wargame demo" in commands


@dataclass
class Workspace:
    root: Path
    env: dict[str, str]
    wargame: list[str] = field(default_factory=lambda: [sys.executable, "-m", "wargame"])
    """This checkout's `wargame` (what .venv/bin/wargame is when the tests run from .venv)."""
    exercise_id: str = ""
    wheel_venv: Path | None = None

    def wheel_env(self) -> dict[str, str]:
        """The environment of the installed wheel's commands: not this checkout on PYTHONPATH."""
        return {k: v for k, v in self.env.items() if k != "PYTHONPATH"}

    def run(self, args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 600) -> str:
        done = subprocess.run(
            args, cwd=cwd or self.root, env=env or self.env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def exercise(self) -> str:
        """The id of a tutorial exercise in the workspace's state folder (created once)."""
        if not self.exercise_id:
            out = self.run([*self.wargame, "exercise", "create", "tutorial"])
            self.exercise_id = out.splitlines()[0].strip()
            assert re.fullmatch(r"[0-9a-f]{12}", self.exercise_id), out
        return self.exercise_id


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_and_check(ws: Workspace, args: list[str], port: int, cwd: Path | None = None,
                    env: dict[str, str] | None = None, timeout_s: float = 900) -> None:
    """Start a command that serves forever; check it prints every seat's join link and serves
    the page, then stop it (its process group: `make` and the server under it)."""
    process = subprocess.Popen(
        args, cwd=cwd or ws.root, env=env or ws.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                pytest.fail(f"{args} exited {process.returncode} before serving:\n{''.join(lines)}")
            lines.append(line)
            if line.startswith("Serving on"):
                break
        links = [m.group(2) for m in map(JOIN_LINK.match, lines) if m]
        assert len(links) == SEATS and all(f":{port}/play/#seat=" in link for link in links), lines
        page = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert '<div id="app">' in page, f"no page on port {port}:\n{''.join(lines)}"
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def run_make_demo(ws: Workspace) -> None:
    if not (REPO / ".venv" / "bin" / "wargame").exists():
        pytest.skip("make demo installs into this checkout's .venv: run `make install` first")
    port = free_port()
    serve_and_check(ws, ["make", "-C", str(REPO), "demo"], port, env={**ws.env, "WARGAME_PORT": str(port)})


def run_python_m_demo(ws: Workspace) -> None:
    port = free_port()
    serve_and_check(ws, [*ws.wargame, "demo", "--port", str(port)], port)


def run_pip_wheel(ws: Workspace) -> None:
    # `-w dist .` in the checkout; here the wheel goes to the workspace rather than the checkout.
    dist = str(ws.root / "dist")
    ws.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, str(REPO)])
    assert len(list((ws.root / "dist").glob("space_crisis_wargame-*.whl"))) == 1


def run_pip_install(ws: Workspace) -> None:
    """Into a fresh venv that sees this venv's packages (so nothing is downloaded), the wheel on top."""
    if not list((ws.root / "dist").glob("*.whl")):
        run_pip_wheel(ws)
    venv = ws.root / "venv"
    ws.run([sys.executable, "-m", "venv", str(venv)])
    site = next(venv.glob("lib/python*/site-packages"))
    deps = sysconfig.get_path("purelib")
    (site / "_readme_test_deps.pth").write_text(f"import site; site.addsitedir({deps!r})\n")
    wheels = [str(p) for p in (ws.root / "dist").glob("space_crisis_wargame-*.whl")]  # the shell's glob
    ws.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *wheels], cwd=ws.root / "dist",
           env=ws.wheel_env())
    where = ws.run([str(venv / "bin" / "python"), "-c", "import wargame; print(wargame.__file__)"],
                   cwd=ws.root / "dist", env=ws.wheel_env()).strip()
    assert where.startswith(str(venv)), f"wargame imported from {where}, not the installed wheel"
    ws.wheel_venv = venv


def _wheel_venv(ws: Workspace) -> Path:
    if ws.wheel_venv is None:
        run_pip_install(ws)
    assert ws.wheel_venv is not None
    return ws.wheel_venv


def run_wheel_demo(ws: Workspace) -> None:
    """From an empty folder, state in ./var (no WARGAME_STATE_DIR), as the README says."""
    venv = _wheel_venv(ws)
    empty = ws.root / "empty"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in ws.wheel_env().items() if k != "WARGAME_STATE_DIR"}
    port = free_port()
    wargame = str(venv / "bin" / "wargame")
    serve_and_check(ws, [wargame, "demo", "--port", str(port)], port, cwd=empty, env=env)
    assert list((empty / "var").iterdir()), "wargame demo keeps its state in ./var"


def run_wheel_version(ws: Workspace) -> None:
    out = ws.run([str(_wheel_venv(ws) / "bin" / "wargame"), "--version"], env=ws.wheel_env())
    assert re.search(r"\b0\.\d+\.\d+\b", out), out


def run_aar_md(ws: Workspace) -> None:
    out = ws.run([*ws.wargame, "aar", "export", ws.exercise(), "--format", "md"])
    assert "# After-action review: Tutorial" in out and ws.exercise() in out, out[:500]


def run_aar_docx(ws: Workspace) -> None:
    ws.run([*ws.wargame, "aar", "export", ws.exercise(), "--format", "docx", "--out", "aar-ip.docx"])
    assert (ws.root / "aar-ip.docx").read_bytes()[:2] == b"PK"


def run_replay(ws: Workspace) -> None:
    import json

    out = ws.run([*ws.wargame, "replay", ws.exercise(), "--viewer", "team:USA", "--at", "1"])
    assert json.loads(out)["viewer"] == "team:USA", out[:500]


def run_schema(ws: Workspace) -> None:
    # `wargame schema` writes into the checkout's docs/schemas; here into the workspace.
    ws.run([*ws.wargame, "schema", "--out", str(ws.root / "schemas")])
    assert (ws.root / "schemas" / "protocol.schema.json").is_file()


RUNNERS: dict[str, Callable[[Workspace], None]] = {
    "make demo": run_make_demo,
    "pip install space_crisis_wargame-*.whl": run_pip_install,
    "pip wheel --no-deps -w dist .": run_pip_wheel,
    "wargame demo": run_wheel_demo,
    "python -m wargame demo": run_python_m_demo,
    "wargame --version": run_wheel_version,
    ".venv/bin/wargame aar export EXERCISE_ID --format md": run_aar_md,
    ".venv/bin/wargame replay EXERCISE_ID --viewer team:USA --at SEQ": run_replay,
    ".venv/bin/wargame aar export EXERCISE_ID --format docx --out aar-ip.docx": run_aar_docx,
    "wargame schema": run_schema,
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("readme")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "WARGAME_PORT")}
    env["WARGAME_STATE_DIR"] = str(root / "state")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return Workspace(root=root, env=env)


@pytest.mark.parametrize("command", readme_commands(README.read_text()))
def test_readme_command(command: str, workspace: Workspace) -> None:
    if command in EXCLUDED:
        pytest.skip(f"`{command}` is not run here: {EXCLUDED[command]}")
    if command in MENTIONS:
        return
    runner = RUNNERS.get(command)
    assert runner is not None, (
        f"README.md has a command this test cannot run: `{command}`. "
        "Add a runner to tests/test_readme_commands.py (or fix the README)."
    )
    runner(workspace)
