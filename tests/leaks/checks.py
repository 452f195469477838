"""Every check of a played game against the entitlement oracle: each seat's projected events and
stream positions, its snapshots at each move boundary and at the end, its pictures, its rejections
and its team AAR export."""

from __future__ import annotations

import json
from functools import cache

from tests.leaks.actions import NATIONS, Played
from tests.leaks.entitlement import Oracle
from tests.leaks.entitlement_views import Secrets, check_view, forbidden_keys, picture_urls
from tests.leaks.markings import OBSERVER, JsonDict
from tests.picture_format import read_picture, rows
from wargame.aar import build_report
from wargame.domain.events import EventEnvelope
from wargame.domain.state import ExerciseState
from wargame.eventlog.replay import fold
from wargame.protocol.projection import view_for
from wargame.services.cdms import NOT_HELD, CdmRefused, cdm_for
from wargame.services.pictures import PictureRefused, PictureResources

VIEWERS = (*(f"team:{n}" for n in NATIONS), OBSERVER)


def check_game(game: Played) -> list[str]:
    """Everything any seat of the game could read, checked against the oracle."""
    service, ex = game.service, game.exercise_id
    envelopes = service.store.read_after(ex, 0)
    control = [view_for("white_cell", e) for e in envelopes]
    assert all(c is not None for c in control)
    pictures = PictureResources(service)

    @cache
    def picture_rows(nation: str, move: int) -> dict[str, JsonDict] | None:
        try:
            return rows(pictures.get(ex, "white_cell", move, nation=nation).data)
        except PictureRefused:
            return None

    def custody(nation: str, move: int, object_id: str) -> bool | None:
        held = (picture_rows(nation, move) or {}).get(object_id)
        return None if held is None else bool(held["contributors"])

    oracle = Oracle([c for c in control if c is not None], custody)
    secrets = Secrets(oracle)
    problems = list(oracle.problems)
    last = envelopes[-1].seq
    for viewer in VIEWERS:
        projected = [view_for(viewer, e) for e in envelopes]
        for seen, got in zip(oracle.events, projected, strict=True):
            problems += oracle.check_event(viewer, seen, got)
        problems += _positions(game, viewer, envelopes, projected)
        data = [p for p in projected if p is not None]
        problems += forbidden_keys(data, f"{viewer} events") + picture_urls(data, f"{viewer} events")
        problems += secrets.leaked(viewer, data, last, f"{viewer} events")
    problems += _snapshots(game, oracle, secrets, envelopes)
    problems += _cdms(game, oracle, secrets)
    for nation in NATIONS:
        problems += _pictures(game, oracle, pictures, nation)
        viewer = f"team:{nation}"
        report = build_report(envelopes, viewer)
        problems += picture_urls(report, f"{viewer} AAR") + secrets.leaked(
            viewer, report, last, f"{viewer} AAR"
        )
        problems += _aar_keys(report, viewer)
    for viewer, command, result, before in game.results:
        if viewer.startswith("team:") and result["status"] == "rejected":
            where = f"{viewer} rejection of {command['type']}"
            problems += secrets.leaked(viewer, result["message"], before, where, command)
    return problems


def _positions(
    game: Played, viewer: str, envelopes: list[EventEnvelope], projected: list[JsonDict | None]
) -> list[str]:
    """The seat's stream is numbered 1, 2, 3... over exactly the events it sees."""
    seen = [e.seq for e, p in zip(envelopes, projected, strict=True) if p is not None]
    index = game.service.store.stream_seqs(game.exercise_id, viewer, 0, 10**6)
    problems = []
    if [pos for pos, _ in index] != list(range(1, len(seen) + 1)) or [s for _, s in index] != seen:
        problems.append(
            f"{viewer}: stream index {index[:5]}... is not its events {seen[:5]}... numbered 1, 2, 3"
        )
    head = game.service.state(game.exercise_id).stream_heads.get(viewer, 0)
    if head != len(seen):
        problems.append(f"{viewer}: stream head {head}, {len(seen)} events")
    return problems


def _snapshots(game: Played, oracle: Oracle, secrets: Secrets, envelopes: list[EventEnvelope]) -> list[str]:
    """Each seat's snapshot after every adjudicated move (the last one is the final state)."""
    problems: list[str] = []
    state: ExerciseState | None = None
    done = 0
    for boundary in game.boundaries:
        chunk = [e for e in envelopes[done:] if e.seq <= boundary]
        state = fold(chunk, state)
        done += len(chunk)
        assert state is not None and state.last_seq == boundary
        for viewer in VIEWERS:
            pos = state.stream_heads.get(viewer, 0)
            view = view_for(viewer, state, pos)
            assert isinstance(view, dict)
            problems += check_view(
                oracle, secrets, viewer, view, boundary, f"{viewer} snapshot at seq {boundary}"
            )
    return problems


def _cdms(game: Played, oracle: Oracle, secrets: Secrets) -> list[str]:
    """A seat gets the CDM of a conjunction warning it holds (its own, or shared with it), and the
    same refusal for any other warning as for one that does not exist; never another nation's copy."""
    state = game.service.state(game.exercise_id)
    last = oracle.events[-1]["seq"]
    problems: list[str] = []
    for e in oracle.events:
        warning_id = e["body"].get("id") if e["type"] == "conjunction_warning" else None
        if warning_id is None:
            continue
        for viewer in VIEWERS:
            problems += _cdm(state, viewer, warning_id, oracle.may_see(viewer, e["seq"]), secrets, last)
            others = [n for n in NATIONS if f"team:{n}" != viewer]
            problems += _cdm(state, viewer, warning_id, False, secrets, last, receiver=others[0])
    for viewer in VIEWERS:
        problems += _cdm(state, viewer, "W-0000000000", False, secrets, last)
    return problems


def _cdm(
    state: ExerciseState,
    viewer: str,
    warning_id: str,
    held: bool,
    secrets: Secrets,
    last: int,
    receiver: str | None = None,
) -> list[str]:
    where = f"{viewer} CDM of {warning_id}" + (f" for {receiver}" if receiver else "")
    try:
        document = cdm_for(state, viewer, warning_id, receiver)
    except CdmRefused as refused:
        if held:
            return [f"{where}: refused ({refused.code}) though it holds the warning"]
        return [] if (refused.status, refused.message) == (404, NOT_HELD) else [f"{where}: {refused.message}"]
    if not held:
        return [f"{where}: served a warning it does not hold"]
    return secrets.leaked(viewer, document.text, last, where) + picture_urls(document.text, where)


def _pictures(game: Played, oracle: Oracle, pictures: PictureResources, nation: str) -> list[str]:
    """A team fetches its own nation's pictures only, each fused from releases in force; never
    another nation's or the truth."""
    viewer = f"team:{nation}"
    problems: list[str] = []
    for e in oracle.events:
        if e["type"] != "picture_updated" or e["body"]["nation"] != nation:
            continue
        move = e["body"]["move"]
        data = pictures.get(game.exercise_id, viewer, move).data
        header, _columns = read_picture(data)
        if header["kind"] != "picture" or header["nation"] != nation:
            problems.append(f"{viewer} got picture {header['kind']} of {header.get('nation')}")
        problems += oracle.check_picture(nation, e["seq"], e["move"], rows(data))
        for other in (n for n in NATIONS if n != nation):
            problems += _refused(pictures, game.exercise_id, viewer, move, other, False)
        problems += _refused(pictures, game.exercise_id, viewer, move, None, True)
        problems += _refused(pictures, game.exercise_id, OBSERVER, move, None, False)
    return problems


def _refused(
    pictures: PictureResources, ex: str, viewer: str, move: int, nation: str | None, truth: bool
) -> list[str]:
    try:
        pictures.get(ex, viewer, move, nation=nation, truth=truth)
    except PictureRefused as refused:
        return [] if refused.status == 403 else [f"{viewer}: picture refused with {refused.status}"]
    return [f"{viewer} got the picture of move {move} of {nation or 'the truth'}"]


def _aar_keys(report: JsonDict, viewer: str) -> list[str]:
    """A team's AAR numbers events by its own stream (`seq` 1, 2, 3..., `last_seq` the count),
    counts its own events per move and knows no escalation level; no other forbidden key."""
    timeline = report.get("timeline", [])
    numbers = [entry.get("seq") for entry in timeline]
    problems = []
    if numbers != list(range(1, len(numbers) + 1)) or report["exercise"]["last_seq"] != len(numbers):
        problems.append(f"{viewer} AAR: numbered {numbers[:8]}... last {report['exercise']['last_seq']}")
    own = {"seq", "last_seq", "metrics_by_move", "escalation_level"}
    for key in own - {"metrics_by_move"}:
        values = set(values_of(report, key)) - {None, *range(0, len(numbers) + 1)}
        if values or (key == "escalation_level" and set(values_of(report, key)) != {None}):
            problems.append(f"{viewer} AAR: {key} {sorted(map(str, values_of(report, key)))[:5]}")
    return problems + [
        p for p in forbidden_keys(report, f"{viewer} AAR") if not any(f"key {k!r}" in p for k in own)
    ]


def values_of(data: object, key: str) -> list[object]:
    """Every value of `key` anywhere in a JSON-like value."""
    if isinstance(data, dict):
        return [
            *([data[key]] if key in data else []),
            *(v for item in data.values() for v in values_of(item, key)),
        ]
    if isinstance(data, list):
        return [v for item in data for v in values_of(item, key)]
    return []


def dump(problems: list[str]) -> str:
    return json.dumps(problems[:25], indent=1)
