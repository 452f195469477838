"""Ids of things made in play (orders, messages, requests, products) that reveal nothing else."""

from __future__ import annotations

import hashlib

from wargame.domain.state import ExerciseState

ID_HEX_DIGITS = 10
"""40 bits: a collision in an exercise of a million items has odds of about one in two million."""


def new_id(state: ExerciseState, kind: str) -> str:
    """The id of a `kind` item the next event records, e.g. 'O-3f9a0c12be'.

    Ids used to be the event's sequence number ('O118'), which let a team count and time other
    teams' hidden actions. Now they are a keyed hash of the sequence number: the key is the
    exercise's secret salt (exercise_created.id_salt, seen by control only), so an id tells a
    team nothing. Logs recorded before the salt existed key the hash with the exercise id."""
    key = state.id_salt or state.exercise_id
    digest = hashlib.sha256(f"{key}:{state.last_seq + 1}:{kind}".encode()).hexdigest()
    return f"{kind}-{digest[:ID_HEX_DIGITS]}"


def warning_id(state: ExerciseState, nation: str, source: str, asset_id: str, other_id: str) -> str:
    """The id of the conjunction warning `nation` computes this move on (asset, other) from
    `source` (its screening, or the id of a scripted conjunction inject), e.g. 'W-1c9e0a44b2'.

    Adjudication makes it before the event has a sequence number, so it is a keyed hash of what
    the warning is, under the same secret salt as `new_id`: a partner that receives the warning
    learns nothing from its id, and an id names one warning in the whole exercise."""
    key = state.id_salt or state.exercise_id
    text = f"{key}:warning:{state.move}:{nation}:{source}:{asset_id}:{other_id}"
    return f"W-{hashlib.sha256(text.encode()).hexdigest()[:ID_HEX_DIGITS]}"


def fragment_id(state: ExerciseState, parent_id: str, index: int) -> str:
    """The id of the `index`-th fragment of `parent_id`'s breakups, e.g. 'usa-sat-frag-5e0c41d7a9'.

    Fragment ids used to count ('-frag-0118'), so a team could learn of a breakup it was never
    told of, and how many pieces it left, by naming the next fragment in a command and seeing
    whether it was refused. Under the secret salt a team cannot name a fragment it has not seen."""
    key = state.id_salt or state.exercise_id
    text = f"{key}:fragment:{parent_id}:{index}"
    return f"{parent_id}-frag-{hashlib.sha256(text.encode()).hexdigest()[:ID_HEX_DIGITS]}"
