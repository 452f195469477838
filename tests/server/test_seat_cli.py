"""`wargame seat issue|list|reissue|revoke`: links for named members, exit codes and messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import LiveExercise
from wargame.cli import main

pytestmark = [pytest.mark.integration]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def issue(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "seat", "issue", "live1", *argv, "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_issue_prints_a_new_link_for_a_named_member(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.seats import find_seat

    seat = issue(capsys, "--role", "player", "--nation", "JPN", "--member", "Capt. Sato")
    assert seat["link"].endswith(f"/play/#seat={seat['token']}") and seat["seat_id"] > 0
    assert (seat["role"], seat["nation"], seat["member"], seat["label"]) == (
        "player", "JPN", "Capt. Sato", "Japan team"
    )
    found = find_seat(seat["token"])
    assert found is not None and found[0] == "live1"
    assert (found[1].viewer, found[1].member) == ("team:JPN", "Capt. Sato")
    code, out, _ = run(capsys, "seat", "issue", "live1", "--role", "observer", "--member", "Dr Lee")
    assert code == 0 and "Observer, Dr Lee" in out and "/play/#seat=" in out


def test_list_shows_every_seat_without_tokens(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    seat = issue(capsys, "--role", "facilitator", "--member", "Col. Brandt")
    code, out, _ = run(capsys, "seat", "list", "live1", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 8  # seven default seats (an evaluator among them) and the new one
    assert all(set(r) == {"id", "role", "nation", "member", "label", "revoked", "created"} for r in rows)
    mine = next(r for r in rows if r["id"] == seat["seat_id"])
    assert (mine["role"], mine["member"], mine["revoked"]) == ("facilitator", "Col. Brandt", False)
    assert seat["token"] not in out and not any(t in out for t in live_exercise.tokens.values())
    code, out, _ = run(capsys, "seat", "list", "live1")
    assert code == 0 and "Col. Brandt" in out and out.splitlines()[0].split()[:4] == [
        "id", "role", "nation", "member"
    ]


def test_reissue_revokes_the_old_link_and_keeps_the_member(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.seats import find_seat

    old = issue(capsys, "--role", "player", "--nation", "USA", "--member", "Maj. Avery")
    code, out, err = run(capsys, "seat", "reissue", "live1", str(old["seat_id"]), "--json")
    assert code == 0 and f"revoked seat {old['seat_id']}" in err
    new = json.loads(out)
    assert (new["member"], new["nation"], new["label"]) == ("Maj. Avery", "USA", "United States team")
    assert find_seat(old["token"]) is None and find_seat(new["token"]) is not None
    rows = {r["id"]: r for r in json.loads(run(capsys, "seat", "list", "live1", "--json")[1])}
    assert rows[old["seat_id"]]["revoked"] and not rows[new["seat_id"]]["revoked"]
    code, out, err = run(capsys, "seat", "reissue", "live1", str(old["seat_id"]))
    assert code == 4 and out == "" and f"its member holds seat {new['seat_id']}" in err
    assert run(capsys, "seat", "revoke", "live1", "--seat", str(new["seat_id"]))[0] == 0
    code, out, _ = run(capsys, "seat", "reissue", "live1", str(new["seat_id"]), "--json")
    assert code == 0 and json.loads(out)["member"] == "Maj. Avery"  # access given back


def test_revoke_by_viewer_and_by_seat_id(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.seats import find_seat

    avery = issue(capsys, "--role", "player", "--nation", "USA", "--member", "Maj. Avery")
    code, out, _ = run(capsys, "seat", "revoke", "live1", "--seat", str(avery["seat_id"]))
    assert code == 0 and "revoked 1 seat(s)" in out
    assert find_seat(avery["token"]) is None and find_seat(live_exercise.tokens["team:USA"]) is not None
    code, out, _ = run(capsys, "seat", "revoke", "live1", "team:USA")
    assert code == 0 and "revoked 1 seat(s)" in out  # the remaining, unnamed USA link
    assert find_seat(live_exercise.tokens["team:USA"]) is None
    assert run(capsys, "seat", "revoke", "live1", "team:USA")[0] == 3  # nothing left to revoke


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["seat", "issue", "nope", "--role", "observer", "--member", "X"], "no exercise 'nope'"),
        (["seat", "issue", "live1", "--role", "umpire", "--member", "X"], "unknown role 'umpire'"),
        (["seat", "issue", "live1", "--role", "player", "--nation", "FRA", "--member", "X"],
         "no played nation 'FRA'"),
        (["seat", "issue", "live1", "--role", "player", "--member", "X"], "a player seat needs --nation"),
        (["seat", "issue", "live1", "--role", "white_cell", "--nation", "USA", "--member", "X"],
         "--nation is for player seats"),
        (["seat", "issue", "live1", "--role", "observer", "--member", "   "], "member name must be 1-100"),
        (["seat", "issue", "live1", "--role", "observer", "--member", "a\x00b"], "printable"),
        (["seat", "list", "nope"], "no exercise 'nope'"),
        (["seat", "reissue", "live1", "999999"], "no seat 999999 in exercise 'live1'"),
        (["seat", "reissue", "nope", "1"], "no seat 1 in exercise 'nope'"),
        (["seat", "revoke", "live1", "--seat", "999999"], "no seat 999999"),
    ],
)
def test_unknown_exercise_seat_role_or_nation_exits_non_zero_with_a_message(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    before = run(capsys, "seat", "list", "live1", "--json")[1]
    code, out, err = run(capsys, *argv)
    assert code != 0 and out == "" and message in err, (code, out, err)
    assert code == (3 if message.startswith("no ") else 4)  # not found, else refused
    assert run(capsys, "seat", "list", "live1", "--json")[1] == before  # nothing issued or revoked


def test_a_member_with_a_valid_link_is_not_issued_a_second(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    first = issue(capsys, "--role", "player", "--nation", "GBR", "--member", "Sqn Ldr Hale")
    code, _, err = run(
        capsys, "seat", "issue", "live1", "--role", "player", "--nation", "GBR", "--member", "Sqn Ldr Hale"
    )
    assert code == 4 and f"already holds seat {first['seat_id']}" in err and "seat reissue" in err
    issue(capsys, "--role", "player", "--nation", "JPN", "--member", "Sqn Ldr Hale")  # another team
