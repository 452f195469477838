"""tools/verify-log/verify.mjs, the verifier written apart from the server (Node): it accepts an
exported log, rejects it with any single byte changed (naming the line), and, given the anchored
head, rejects it cut short."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove, StartExercise
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.eventlog.export import ExportHead, export_text
from wargame.eventlog.store import MemoryEventStore
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

NODE = shutil.which("node")
TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify-log"
OLD_LOG = Path(__file__).parents[1] / "domain" / "data" / "tutorial-log-2369566.jsonl"
WHITE = Seat(role=Role.WHITE_CELL)

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture(scope="module")
def verifier() -> Path:
    """verify.mjs with its dependency installed (npm ci from its lockfile, once)."""
    if not (TOOL / "node_modules" / "canonicalize").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("node is installed but npm is not: run `npm ci` in tools/verify-log")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True, timeout=600)
    return TOOL / "verify.mjs"


def run(verifier: Path, log: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    command = [NODE, str(verifier), str(log), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def export(store: MemoryEventStore, exercise_id: str, path: Path) -> ExportHead:
    head = ExportHead()
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(export_text(store, exercise_id, "jsonl", head))
    return head


@pytest.fixture(scope="module")
def tutorial_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ExportHead]]:
    """The tutorial started and played through its first move with the real core, exported."""
    from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts

    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)), seed=1
    )
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    service.create("tut", created, background)
    start, advance = StartExercise(type="start_exercise"), AdvanceMove(type="advance_move", from_move=1)
    for key, command in (("start", start), ("move-1", advance)):
        assert service.handle("tut", WHITE, key, command)["status"] == "accepted"
    path = tmp_path_factory.mktemp("log") / "tutorial.jsonl"
    yield path, export(store, "tut", path)


def test_it_accepts_an_exported_tutorial_log(verifier: Path, tutorial_log: tuple[Path, ExportHead]) -> None:
    path, head = tutorial_log
    done = run(verifier, path, "--expect-head", head.head)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"ok: {head.events} events of exercise tut, head {head.head}\n"
    assert head.events == head.seq > 10 and head.unreadable == []


HARNESS = """
import { readFileSync } from 'node:fs';
// verify.mjs comes last: first, it would run as the command
const [logPath, mutationsPath, verifyPath] = process.argv.slice(1);
const { verifyBytes } = await import(verifyPath);
const original = readFileSync(logPath);
const outcomes = [];
for (const [position, value] of JSON.parse(readFileSync(mutationsPath, 'utf8'))) {
  const bytes = Buffer.from(original);
  bytes[position] = value;
  try {
    verifyBytes(bytes);
    outcomes.push(null);
  } catch (error) {
    if (error.line === undefined) throw error;
    outcomes.push(error.line);
  }
}
process.stdout.write(JSON.stringify(outcomes));
"""


def mutations(data: bytes, seed: int = 11) -> list[tuple[int, int]]:
    """Every byte of the three shortest lines changed two ways (a low bit; a case bit, or a space),
    and 400 positions of the whole file drawn with a fixed seed, each set to another random byte."""
    starts = [0, *[i + 1 for i, b in enumerate(data) if b == 0x0A][:-1]]
    ends = [data.index(b"\n", s) for s in starts]
    shortest = sorted(range(len(starts)), key=lambda k: ends[k] - starts[k])[:3]
    chosen: list[tuple[int, int]] = []
    for k in shortest:
        for position in range(starts[k], ends[k] + 1):  # the newline too
            byte = data[position]
            chosen.append((position, byte ^ 0x01))
            chosen.append((position, byte ^ 0x20 if byte != 0x20 else 0x21))
    rng = random.Random(seed)
    for position in rng.sample(range(len(data)), 400):
        chosen.append((position, rng.choice([v for v in range(256) if v != data[position]])))
    return chosen


def test_it_rejects_the_log_with_any_single_byte_changed_and_names_the_line(
    verifier: Path, tutorial_log: tuple[Path, ExportHead], tmp_path: Path
) -> None:
    assert NODE is not None
    path, _ = tutorial_log
    data = path.read_bytes()
    chosen = mutations(data)
    assert len(chosen) >= 1000
    spec = tmp_path / "mutations.json"
    spec.write_text(json.dumps(chosen))
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", HARNESS, str(path), str(spec), str(verifier)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    outcomes = json.loads(done.stdout)
    line_of = [data.count(b"\n", 0, position) + 1 for position, _ in chosen]
    accepted = [m for m, line in zip(chosen, outcomes, strict=True) if line is None]
    assert accepted == []
    named = zip(chosen, outcomes, line_of, strict=True)
    misnamed = [(m, line, want) for m, line, want in named if line != want]
    assert misnamed == []


def test_the_command_names_the_first_bad_line(
    verifier: Path, tutorial_log: tuple[Path, ExportHead], tmp_path: Path
) -> None:
    path, _ = tutorial_log
    lines = path.read_bytes().split(b"\n")
    edited = lines[4].replace(b'"move":0', b'"move":1', 1)
    assert edited != lines[4]
    bad = tmp_path / "edited.jsonl"
    bad.write_bytes(b"\n".join([*lines[:4], edited, *lines[5:]]))
    done = run(verifier, bad)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"{bad}:5: the event's text does not hash to its hash\n"
    swapped = tmp_path / "swapped.jsonl"
    swapped.write_bytes(b"\n".join([*lines[:4], lines[5], lines[4], *lines[6:]]))
    assert run(verifier, swapped).stderr == f"{swapped}:5: seq 6, expected 5\n"


def test_a_log_cut_short_is_rejected_against_its_anchored_head(
    verifier: Path, tutorial_log: tuple[Path, ExportHead], tmp_path: Path
) -> None:
    path, head = tutorial_log
    lines = path.read_bytes().split(b"\n")[:-1]
    short = tmp_path / "short.jsonl"
    short.write_bytes(b"\n".join(lines[:-3]) + b"\n")
    assert run(verifier, short).returncode == 0  # a clean prefix: only the anchor can tell
    done = run(verifier, short, "--expect-head", head.head)
    assert done.returncode == 1
    assert done.stderr == (
        f"{short}:{len(lines) - 2}: the log ends at seq {head.seq - 3}, before the expected head "
        f"{head.seq}: events were cut from its end\n"
    )
    rewritten = run(verifier, path, "--expect-head", f"{head.seq}:{'0' * 64}")
    assert rewritten.returncode == 1 and "the log was rewritten" in rewritten.stderr
    usage = run(verifier, path, "--expect-head", "12")
    assert usage.returncode == 2 and "write SEQ:HASH" in usage.stderr
    unfinished = tmp_path / "unfinished.jsonl"
    unfinished.write_bytes(path.read_bytes()[:-1])
    assert run(verifier, unfinished).stderr.endswith(
        f":{len(lines)}: the last line has no newline: the file was cut short\n"
    )


def test_it_accepts_a_log_of_an_earlier_release_played_on_after_the_upgrade(
    verifier: Path, tmp_path: Path
) -> None:
    events = [EventEnvelope.model_validate_json(line) for line in OLD_LOG.read_text().splitlines()]
    exercise_id = events[0].exercise_id
    store = MemoryEventStore()
    with store.write(exercise_id) as tx:
        tx.append(events)
    path = tmp_path / "old.jsonl"
    export(store, exercise_id, path)
    assert run(verifier, path).returncode == 0
    service = ExerciseService(store, InlineAdjudicator())
    advance = AdvanceMove(type="advance_move", from_move=3)
    assert service.handle(exercise_id, WHITE, "upgrade", advance)["status"] == "accepted"
    head = export(store, exercise_id, path)
    recipes = [json.loads(line)["recipe"] for line in path.read_text().splitlines()]
    assert recipes[0] == "python-json-sha256" and recipes[-1] == "rfc8785-sha256"
    done = run(verifier, path, "--expect-head", head.head)
    assert done.returncode == 0, done.stderr
