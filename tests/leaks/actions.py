"""Random games of the tutorial for the leak tests: hypothesis strategies of what teams and the
white cell do (releases, withdrawals, forwards, ad-hoc injects, chat, orders), resolved against the
live state when played (ids made in play are salted, so an action names the k-th candidate)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import strategies as st

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.domain.products import SharingAgreement
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

NATIONS = ("USA", "GBR", "JPN")
REL_NAMES = (*NATIONS, "FVEY", "CSPO", "RED")
KINDS = ("tracks", "warnings", "assessments")
OBJECTS = (
    "usa-gps-iif-8",
    "usa-wgs-10",
    "usa-isr-1",
    "gbr-skynet-5d",
    "gbr-tyche-1",
    "jpn-kirameki-1",
    "jpn-igs-optical-8",
    "red-inspector-1",
    "red-kv-1",
    "deb-c1408-f02",
    "rb-sl16-01",
)
OWN_ASSETS = {
    "USA": ("usa-wgs-10", "usa-isr-1"),
    "GBR": ("gbr-skynet-5d", "gbr-tyche-1"),
    "JPN": ("jpn-kirameki-1", "jpn-igs-optical-8"),
}
SENSORS = {"USA": "usa-space-fence", "GBR": "gbr-fylingdales", "JPN": "jpn-bisei"}
ADHOC = (
    ("message", None, {}, None),
    ("uplink_jamming", "gbr-skynet-5d", {}, "RED"),
    ("close_approach", "jpn-kirameki-1", {"approacher": "red-inspector-1", "range_km": 5}, "RED"),
    ("cyber_seizure", "jpn-himawari-9", {}, "RED"),
    ("laser_dazzle", "gbr-tyche-1", {}, "RED"),
    ("co_orbital", "jpn-qzs-3", {"approacher": "red-inspector-1"}, "RED"),
    ("conjunction", "jpn-igs-optical-8", {"secondary": "deb-c1408-f02", "miss_km": 0.05}, None),
    ("downlink_jamming", "usa-wgs-10", {}, "RED"),
    ("space_weather", None, {}, None),
)
"""Ad-hoc injects the white cell may write: (type, target, params, actor)."""
SEATS = (*(f"team:{n}" for n in NATIONS), "white_cell", "facilitator")

markings = st.one_of(
    st.sampled_from(["NOFORN", "REL FVEY", "REL CSPO", "REL ALL-PARTICIPANTS", "PUBLIC"]).map(
        lambda r: {"releasability": r}
    ),
    st.lists(st.sampled_from(REL_NAMES), max_size=3, unique=True).map(
        lambda names: {"releasability": "REL", "releasable_to": names}
    ),
)
recipients = st.lists(st.sampled_from((*NATIONS, "RED")), max_size=3, unique=True)
nations = st.sampled_from(NATIONS)
index = st.integers(0, 50)

coherent_markings = st.sampled_from(
    [
        ({"releasability": "REL FVEY"}, []),
        ({"releasability": "REL CSPO"}, []),
        ({"releasability": "REL ALL-PARTICIPANTS"}, []),
        ({"releasability": "PUBLIC"}, []),
        ({"releasability": "REL", "releasable_to": ["USA", "GBR", "JPN"]}, []),
        ({"releasability": "REL", "releasable_to": ["FVEY"]}, []),
        ({"releasability": "REL", "releasable_to": ["JPN"]}, ["JPN"]),
        ({"releasability": "REL", "releasable_to": ["GBR"]}, []),
        ({"releasability": "REL", "releasable_to": ["USA"]}, []),
        ({"releasability": "REL CSPO"}, ["USA"]),
        ({"releasability": "REL CSPO"}, ["JPN", "GBR"]),
        ({"releasability": "NOFORN"}, ["JPN"]),
        ({"releasability": "NOFORN"}, ["GBR"]),
        ({"releasability": "NOFORN"}, ["USA"]),
        ({"releasability": "PUBLIC"}, ["GBR"]),
    ]
)
"""(marking, recipients) pairs that mostly agree (the rest of the ladder, and clashes, come from
`markings` x `recipients`)."""
regimes = st.lists(st.sampled_from(["LEO", "GEO", "MEO"]), max_size=2, unique=True)
objects = st.lists(st.sampled_from(OBJECTS), max_size=3, unique=True)
scope = st.tuples(regimes, objects)
release = st.one_of(
    st.builds(
        lambda n, k, sc, lvl, mr: (
            "release",
            n,
            k,
            *(sc if k == "tracks" else ([], [])),
            lvl if k == "tracks" else "full",
            *mr,
        ),
        nations,
        st.sampled_from(KINDS),
        scope,
        st.sampled_from(["full", "delayed", "degraded"]),
        coherent_markings,
    ),
    st.tuples(
        st.just("release"),
        nations,
        st.sampled_from(KINDS),
        regimes,
        objects,
        st.sampled_from(["full", "delayed", "degraded"]),
        markings,
        recipients,
    ),
)
withdraw = st.tuples(st.just("withdraw"), nations, index, st.booleans())
forward = st.one_of(
    st.builds(
        lambda n, k, mr, sanitize: ("forward", n, k, *mr, sanitize, True),
        nations,
        index,
        coherent_markings,
        st.booleans(),
    ),
    st.tuples(st.just("forward"), nations, index, markings, recipients, st.booleans(), st.booleans()),
)
"""The last flag: pick among the injects the team was shown (else among every released one)."""
adhoc = st.one_of(
    st.builds(lambda k, mr: ("adhoc", k, *mr), st.integers(0, len(ADHOC) - 1), coherent_markings),
    st.tuples(st.just("adhoc"), st.integers(0, len(ADHOC) - 1), markings, recipients),
)
release_msel = st.tuples(st.just("release_msel"), st.sampled_from(["inj-009", "inj-005", "inj-007"]))
chat = st.tuples(
    st.just("chat"),
    st.sampled_from(SEATS),
    st.sampled_from(["team", "coalition", "bilateral", "control"]),
    st.sampled_from(NATIONS),
)
order = st.tuples(
    st.just("order"),
    nations,
    st.sampled_from(["anti_jam", "manoeuvre", "tasking", "attribution", "safe_mode", "ground", "dime"]),
    index,
)
probe = st.tuples(st.just("order"), nations, st.just("probe"), index)
"""Publicly attribute a released inject the team was not shown (it must be refused as unknown)."""
answer = st.tuples(st.just("answer"), nations, index, st.booleans())
cancel = st.tuples(st.just("cancel"), nations, index)
control = st.tuples(
    st.sampled_from(["restore", "disclose", "override"]),
    st.sampled_from(["gbr-skynet-5d", "jpn-himawari-9", "gbr-tyche-1", "usa-wgs-10", "jpn-qzs-3"]),
)
action = st.one_of(
    release, release, release, withdraw, forward, forward, adhoc, adhoc, release_msel, chat, order, probe,
    answer, cancel, control,
)
agreement = st.tuples(
    st.sampled_from([("USA", "GBR"), ("USA", "JPN"), ("GBR", "JPN"), NATIONS]),
    st.sets(st.sampled_from(KINDS), min_size=1),
)


@dataclass(frozen=True)
class GameSpec:
    seed: int
    review_moves: int
    agreements: tuple[tuple[tuple[str, ...], frozenset[str]], ...]
    moves: tuple[tuple[tuple[Any, ...], ...], ...]
    """Per move: the actions played before it is adjudicated."""


games = st.builds(
    GameSpec,
    seed=st.integers(0, 2**16),
    review_moves=st.integers(0, 2),
    agreements=st.lists(agreement, max_size=3, unique_by=lambda a: a[0]).map(tuple),
    moves=st.lists(st.lists(action, min_size=3, max_size=14).map(tuple), min_size=2, max_size=3).map(tuple),
)


@cache
def tutorial() -> tuple[Scenario, Ruleset]:
    scenario = load_scenario(find_scenario("tutorial"))
    return scenario, load_ruleset(find_ruleset(scenario.ruleset))


def created_for(spec: GameSpec) -> ExerciseCreated:
    """The tutorial with the game's agreements and disclosure review."""
    scenario, ruleset = tutorial()
    agreements = tuple(
        SharingAgreement(id=f"agr-{k}", nations=pair, products=tuple(sorted(kinds)))
        for k, (pair, kinds) in enumerate(spec.agreements)
    )
    assert ruleset.disclosure is not None
    disclosure = ruleset.disclosure.model_copy(update={"review_moves": spec.review_moves})
    return ExerciseCreated(
        title="leaks",
        scenario=scenario.model_copy(update={"agreements": agreements}),
        ruleset=ruleset.model_copy(update={"disclosure": disclosure}),
        seed=spec.seed,
        id_salt=f"leaks-{spec.seed}",  # ids (and so the order of ad-hoc injects) reproducible
    )


def seat_of(viewer: str) -> Seat:
    """The seat of a viewer, held by a named member (the log records who decided; only that
    team's own events may show it)."""
    member = f"member of {viewer}"
    if viewer.startswith("team:"):
        return Seat(role=Role.PLAYER, nation=viewer.removeprefix("team:"), member=member)
    return Seat(role=Role(viewer), member=member)


@dataclass
class Played:
    """A game played through the service: what was asked and answered."""

    service: ExerciseService
    exercise_id: str
    results: list[tuple[str, dict[str, Any], dict[str, Any], int]] = field(default_factory=list)
    """(viewer, command, result, last seq before it)."""
    boundaries: list[int] = field(default_factory=list)
    """The last seq after each adjudicated move (where snapshots are checked too)."""


_ids = itertools.count(1)


def play(spec: GameSpec, exercise_id: str = "leaks", salted: bool = True) -> Played:
    """Play the game on a memory store; unsalted: the service draws the exercise's id salt (as
    `wargame exercise create` does), so ids differ from run to run."""
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    created = created_for(spec)
    service.create(exercise_id, created if salted else created.model_copy(update={"id_salt": ""}))
    game = Played(service, exercise_id)
    run(game, "white_cell", {"type": "start_exercise"})
    for move, actions in enumerate(spec.moves, start=1):
        for k, item in enumerate(actions):
            resolved = resolve(service, exercise_id, item, f"{move}.{k}")
            if resolved is not None:
                run(game, *resolved)
        run(game, "white_cell", {"type": "advance_move", "from_move": move})
        game.boundaries.append(service.state(exercise_id).last_seq)
    return game


def run(game: Played, viewer: str, data: dict[str, Any]) -> dict[str, Any]:
    before = game.service.state(game.exercise_id).last_seq
    result = game.service.handle(
        game.exercise_id, seat_of(viewer), f"c-{next(_ids)}", command_adapter.validate_python(data)
    )
    game.results.append((viewer, data, result, before))
    return result


def _pick(items: list[str], k: int) -> str | None:
    return items[k % len(items)] if items else None


def resolve(
    service: ExerciseService, ex: str, item: tuple[Any, ...], tag: str
) -> tuple[str, dict[str, Any]] | None:
    """The (viewer, command) an action stands for in the current state (None: nothing to do)."""
    state = service.state(ex)
    kind = item[0]
    if kind == "release":
        _, nation, product, regimes, objects, level, marking, to = item
        scope = {"regimes": regimes, "objects": objects} if product == "tracks" else {}
        return f"team:{nation}", {
            "type": "release_product",
            "product": {"kind": product, **scope},
            "marking": marking,
            "level": level,
            "recipients": to,
        }
    if kind == "withdraw":
        _, nation, k, own = item
        ids = sorted(p for n, s in state.nations.items() if (n == nation) == own for p in s.products)
        chosen = _pick(ids, k)
        return (
            None if chosen is None else (f"team:{nation}", {"type": "withdraw_product", "product_id": chosen})
        )
    if kind == "forward":
        _, nation, k, marking, to, sanitize, shown = item
        if shown:  # what the team's own view lists: injects it received and forwards sent to it
            view = view_for(f"team:{nation}", state)
            candidates = [i["id"] for i in view["injects"]] + [f["inject_id"] for f in view["forwards"]]
        else:
            candidates = [i for i, e in state.injects.items() if e.released_move is not None]
        chosen = _pick(sorted(set(candidates)), k)
        if chosen is None:
            return None
        text = f"SANITIZED-{tag}-{nation} summary of {chosen}" if sanitize else None
        return f"team:{nation}", {
            "type": "forward_inject",
            "inject_id": chosen,
            "marking": marking,
            "recipients": to,
            "text": text,
        }
    if kind == "adhoc":
        _, spec_index, marking, to = item
        inject_type, target, params, actor = ADHOC[spec_index]
        command = {
            "type": "adhoc_inject",
            "inject_type": inject_type,
            "title": f"ADHOC-TITLE-{tag}",
            "text": f"ADHOC-TEXT-{tag} for {marking['releasability']}",
            "target": target,
            "params": params,
            "actor": actor,
            "recipients": to,
            "releasability": marking["releasability"],
            "releasable_to": marking.get("releasable_to", []),
            "controller_notes": f"ADHOC-NOTE-{tag} for control only",
        }
        return "white_cell", command
    if kind == "release_msel":
        return "white_cell", {"type": "release_inject", "inject_id": item[1]}
    if kind == "chat":
        _, who, channel, partner = item
        return who, {
            "type": "post_chat",
            "channel": channel,
            "partner": partner,
            "text": f"CHAT-{tag}-{who}-{channel} message",
        }
    if kind == "order" and item[2] == "probe":
        view = view_for(f"team:{item[1]}", state)
        shown = {i["id"] for i in view["injects"]} | {f["inject_id"] for f in view["forwards"]}
        unseen = sorted(i for i, e in state.injects.items() if e.released_move is not None and i not in shown)
        chosen = _pick(unseen, item[3])
        return None if chosen is None else _order(state.injects, (*item[:2], "attribution", chosen), tag)
    if kind == "order":
        return _order(state.injects, item, tag)
    if kind == "answer":
        _, nation, k, accept = item
        pending = sorted(
            t.request_id for t in state.taskings.values() if t.partner == nation and t.status == "pending"
        )
        chosen = _pick(pending, k)
        return (
            None
            if chosen is None
            else (
                f"team:{nation}",
                {
                    "type": "answer_tasking",
                    "request_id": chosen,
                    "accept": accept,
                    "reason": f"ANSWER-{tag}-{nation} reason",
                },
            )
        )
    if kind == "cancel":
        _, nation, k = item
        chosen = _pick(sorted(state.nations[nation].orders), k)
        return None if chosen is None else (f"team:{nation}", {"type": "cancel_order", "order_id": chosen})
    if kind == "override":
        reason = f"OVERRIDE-{tag} reason"
        override = {"type": "override_status", "asset_id": item[1], "status": "disabled", "reason": reason}
        return "white_cell", override
    if kind in ("restore", "disclose"):
        command = "restore_asset" if kind == "restore" else "disclose_status"
        return "white_cell", {"type": command, "asset_id": item[1], "reason": f"{kind.upper()}-{tag} reason"}
    raise ValueError(kind)


def _order(injects: dict[str, Any], item: tuple[Any, ...], tag: str) -> tuple[str, dict[str, Any]] | None:
    _, nation, kind, k = item
    reason = f"ORDER-{tag}-{nation} reason"
    own = OWN_ASSETS[nation]
    if kind == "anti_jam":
        order = {"kind": "anti_jam", "asset_id": own[k % 2], "enabled": bool(k % 3)}
    elif kind == "manoeuvre":
        order = {"kind": "manoeuvre", "asset_id": own[1], "dv_m_per_s": 0.2}
    elif kind == "safe_mode":
        order = {"kind": "safe_mode", "asset_id": own[k % 2], "enter": bool(k % 2)}
    elif kind == "ground":
        action = ("switch_ground_station", "harden", "restore_link")[k % 3]
        order = {"kind": "ground_segment", "asset_id": own[k % 2], "action": action}
    elif kind == "dime":
        instrument = ("diplomatic_demarche", "sanctions", "information_campaign", "military_posture")[k % 4]
        order = {"kind": "dime", "instrument": instrument, "target_nation": "RED", "text": f"DIME-{tag}"}
    elif kind == "tasking":
        partner = NATIONS[(NATIONS.index(nation) + 1 + k % 2) % 3]
        order = {
            "kind": "tasking_request",
            "partner": partner,
            "sensor_id": SENSORS[partner],
            "object_id": OBJECTS[k % len(OBJECTS)],
        }
    else:  # any inject of the MSEL or made on the spot, received or not (or the one named)
        chosen = k if isinstance(k, str) else _pick(sorted(injects), k)
        if chosen is None:
            return None
        order = {"kind": "public_attribution", "inject_id": chosen, "accused": "RED", "likelihood": "likely"}
    return f"team:{nation}", {"type": "submit_order", "order": order, "reason": reason}
