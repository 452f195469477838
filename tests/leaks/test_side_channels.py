"""Side channels: what a team can learn from ids and from whether its commands are accepted."""

from __future__ import annotations

import re
from typing import Any

from tests.leaks.actions import GameSpec, Played, play, run
from tests.leaks.test_scripted import SCRIPT
from wargame.domain.ids import fragment_id
from wargame.protocol.projection import view_for

ID_KEYS = ("product_id", "forward_id", "order_id", "message_id", "request_id")
MADE_IN_PLAY = re.compile(r"^(P|F|O|M|T|ADHOC)-[0-9a-f]{10}$")


def made_in_play_ids(game: Played) -> list[str]:
    """Ids of things made in play, in log order (products, forwards, orders, chat, taskings,
    ad-hoc injects)."""
    found: list[str] = []
    for e in game.service.store.read_after(game.exercise_id, 0):
        body = e.body.model_dump()
        found += [body[k] for k in ID_KEYS if isinstance(body.get(k), str)]
        if e.body.type == "inject_released" and e.body.adhoc:
            found.append(e.body.inject.id)
    return list(dict.fromkeys(found))


def test_ids_of_two_exercises_with_the_same_script_share_nothing() -> None:
    first, second = play(SCRIPT, "same", salted=False), play(SCRIPT, "same", salted=False)
    ids = made_in_play_ids(first)
    assert len(ids) > 20 and all(MADE_IN_PLAY.match(i) for i in ids), ids
    assert not set(ids) & set(made_in_play_ids(second))


def test_a_teams_ids_do_not_count_other_teams_activity() -> None:
    """USA's message ids after 0, 1, 2... GBR messages in between carry no order."""
    game = play(GameSpec(seed=1, review_moves=1, agreements=(), moves=()), "count", salted=False)
    usa: list[str] = []
    for k in range(12):
        for j in range(k):
            run(game, "team:GBR", {"type": "post_chat", "channel": "team", "text": f"gbr {k}.{j}"})
        result = run(game, "team:USA", {"type": "post_chat", "channel": "team", "text": f"usa {k}"})
        (event,) = game.service.store.read_after(game.exercise_id, result["seq"] - 1)
        seen = view_for("team:USA", event)
        assert seen is not None
        usa.append(seen["body"]["message_id"])
    assert all(MADE_IN_PLAY.match(i) for i in usa)
    values = [int(i.removeprefix("M-"), 16) for i in usa]
    assert values != sorted(values) and values != sorted(values, reverse=True)


class Leak(AssertionError):
    """A team learned something it was not told (as opposed to the test's premise failing)."""


def _breakup_gbr_was_not_told_of() -> tuple[Played, list[str]]:
    """A tutorial game where RED's co-orbital kill of Japan's QZS-3 (custody-observable, NOFORN
    to JPN) broke it up and GBR was told nothing of it: (the game, the fragment ids)."""
    for seed in range(60):
        game = play(GameSpec(seed=seed, review_moves=1, agreements=(), moves=()), f"debris-{seed}")
        attack = {
            "type": "adhoc_inject",
            "inject_type": "co_orbital",
            "title": "kill",
            "target": "jpn-qzs-3",
            "params": {"approacher": "red-inspector-1"},
            "actor": "RED",
            "recipients": ["JPN"],
            "releasability": "NOFORN",
        }
        assert run(game, "white_cell", attack)["status"] == "accepted"
        assert run(game, "white_cell", {"type": "advance_move", "from_move": 1})["status"] == "accepted"
        events = game.service.store.read_after(game.exercise_id, 0)
        debris = [e.body for e in events if e.body.type == "debris_created"]
        told = [v for e in events if (v := view_for("team:GBR", e)) and "qzs-3" in str(v)]
        if debris and not told:
            return game, list(debris[0].fragments.ids)  # type: ignore[union-attr]
    raise AssertionError("no seed gave a breakup GBR was not told of")


def test_a_team_cannot_probe_for_debris_it_was_not_told_of() -> None:
    """Fragment ids used to count ('-frag-0118'): GBR learned of a breakup it was never told of,
    and how many pieces it left, by naming the next fragment in a command. They are keyed hashes
    now (domain.ids.fragment_id): GBR cannot name one, and every guess is refused alike."""
    game, fragments = _breakup_gbr_was_not_told_of()
    parent = fragments[0].rsplit("-frag-", 1)[0]
    counting = [f"{parent}-frag-{k:04d}" for k in (0, 1, len(fragments) - 1, len(fragments))]
    assert not set(counting) & set(fragments)  # nothing to enumerate
    other_salt = play(GameSpec(seed=0, review_moves=1, agreements=(), moves=()), "debris-other")
    assert fragment_id(other_salt.service.state(other_salt.exercise_id), parent, 0) != fragments[0]

    def probe(object_id: str) -> dict[str, Any]:
        order = {
            "kind": "tasking_request",
            "partner": "USA",
            "sensor_id": "usa-space-fence",
            "object_id": object_id,
        }
        return run(game, "team:GBR", {"type": "submit_order", "order": order})

    def release(object_id: str) -> dict[str, Any]:
        return run(
            game,
            "team:GBR",
            {
                "type": "release_product",
                "product": {"kind": "tracks", "objects": [object_id]},
                "marking": {"releasability": "REL", "releasable_to": ["USA"]},
            },
        )

    for ask in (probe, release):
        answers = set()
        for guess in [*counting, f"{parent}-frag-0123456789", "no-such-object"]:
            reply = ask(guess)
            answers.add((reply["status"], reply.get("code"), reply.get("message", "").replace(guess, "?")))
        if len(answers) != 1 or next(iter(answers))[0] != "rejected":
            raise Leak(f"{ask.__name__}: guesses were not all refused alike: {answers}")
