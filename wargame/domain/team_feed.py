"""Why things changed, per team: the TeamNotified lines a command's or a move's events give each
team, written only from what that team is entitled to know."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.counterspace_events import CounterspaceFired, RadiationBeltFormed
from wargame.domain.events import (
    AssetStatusChanged,
    EventBody,
    ExercisePaused,
    ExerciseResumed,
    InjectResolved,
    ManoeuvreExecuted,
    StatusDisclosed,
    TaskingAnswered,
)
from wargame.domain.feed_events import TeamNotified
from wargame.domain.request_events import (
    CapacityAnswered,
    RequestAnswered,
    RequestLapsed,
    StatementAnswered,
    StatementIssued,
)
from wargame.domain.response_feed import RESPONSE_EXPLAINERS
from wargame.domain.state import ExerciseState

TEXT_LIMIT = 200


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 3] + "..."


def _name(state: ExerciseState, thing_id: str) -> str:
    spec = state.scenario.object(thing_id) or state.scenario.sensor(thing_id)
    return spec.name if spec is not None else thing_id


def _until(until_move: int | None) -> str:
    return "" if until_move is None else f" until move {until_move} is adjudicated"


OWN_ORDER = "on the owner's order"
"""How a status change's cause ends when the owner's own order made it (adjudication/responses.py)."""


def _cause_for_owner(state: ExerciseState, body: AssetStatusChanged, nation: str) -> str:
    """The cause as the owner may read it: the team cause, its own order, the inject's title when
    the inject reached the owner, else that the cause is not known to it."""
    if body.team_cause:
        return body.team_cause
    if body.cause == "recovered":
        return "the effect ended"
    if body.cause.startswith("restored"):
        return "restored by exercise control"
    if body.cause.startswith("radiation belt"):
        return "the radiation belt of a nuclear detonation"
    if body.inject_id is None and body.cause.endswith(OWN_ORDER):
        return body.cause  # the owner's own response order (safe mode, a restored link)
    entry = state.injects.get(body.inject_id or "")
    if entry is not None and entry.released_move is not None:
        if can_see(inject_audience(entry.inject, state), team(nation)):
            return f"after \u201c{entry.inject.title}\u201d"
    return "cause not known to you: report it, or ask partners and exercise control"


def _status(state: ExerciseState, body: AssetStatusChanged) -> list[TeamNotified]:
    name = _name(state, body.asset_id)
    lines = []
    if body.owner is not None and body.noticed_by_owner:
        cause = _cause_for_owner(state, body, body.owner)
        text = f"{name}: {body.status.value}{_until(body.until_move)} ({cause})"
        lines.append(TeamNotified(nation=body.owner, topic="status", subject=body.asset_id, text=_clip(text)))
    for nation in body.observers:
        text = f"{body.owner or 'unowned'} {name}: observed {body.status.value} (your SSA picture)"
        lines.append(TeamNotified(nation=nation, topic="status", subject=body.asset_id, text=_clip(text)))
    return lines


def _manoeuvre(state: ExerciseState, body: ManoeuvreExecuted) -> list[TeamNotified]:
    dv = (body.dv_m_per_s**2 + body.dv_radial_m_per_s**2 + body.dv_cross_track_m_per_s**2) ** 0.5
    text = (
        f"{_name(state, body.asset_id)}: burn of {dv:.2f} m/s executed at the move start; "
        f"{body.propellant_dv_m_per_s:.1f} m/s of propellant left"
    )
    return [TeamNotified(nation=body.owner, topic="manoeuvre", subject=body.asset_id, text=_clip(text))]


def _conjunction(state: ExerciseState, body: InjectResolved) -> list[TeamNotified]:
    """The owner of a satellite in a scripted conjunction learns how it ended: its own burn is
    its own knowledge, and a collision or a pass is something an owner sees."""
    entry = state.injects.get(body.inject_id)
    if entry is None or entry.inject.type.value != "conjunction" or entry.inject.target is None:
        return []
    target = entry.inject.target
    asset = state.asset(target)
    owner = None if asset is None else asset.owner
    if owner is None or owner not in state.nations:
        return []
    name = _name(state, target)
    miss = body.details.get("miss_km")
    if body.outcome == "avoided":
        text = f"{name}: the avoidance burn worked; the conjunction passed at {float(miss or 0):.1f} km"
    elif body.outcome == "collision":
        text = f"{name}: collision at the time of closest approach; no avoidance burn was made in time"
    elif body.outcome == "miss":
        text = f"{name}: the conjunction passed without a burn (miss {float(miss or 0):.2f} km)"
    else:
        return []
    return [TeamNotified(nation=owner, topic="conjunction", subject=target, text=_clip(text))]


def _disclosed(state: ExerciseState, body: StatusDisclosed) -> list[TeamNotified]:
    text = (
        f"{_name(state, body.asset_id)}: exercise control disclosed its true status, "
        f"{body.status.value}{_until(body.until_move)} ({body.reason})"
    )
    return [TeamNotified(nation=body.owner, topic="disclosure", subject=body.asset_id, text=_clip(text))]


def _paused(state: ExerciseState, body: ExercisePaused) -> list[TeamNotified]:
    text = "Exercise paused by exercise control" + (f": {body.reason}" if body.reason else "")
    return [TeamNotified(nation=n, topic="exercise", text=_clip(text)) for n in state.played_nations()]


def _resumed(state: ExerciseState, body: ExerciseResumed) -> list[TeamNotified]:
    return [TeamNotified(nation=n, topic="exercise", text="Exercise resumed") for n in state.played_nations()]


def _tasking(state: ExerciseState, body: TaskingAnswered) -> list[TeamNotified]:
    request = state.taskings.get(body.request_id)
    about = f" on {_name(state, request.object_id)}" if request is not None else ""
    verdict = "accepted" if body.accepted else "declined"
    text = f"{body.partner} {verdict} your tasking request{about}"
    text += f": {body.reason}" if body.reason else ""
    return [TeamNotified(nation=body.requester, topic="request", subject=body.request_id, text=_clip(text))]


def _capacity(state: ExerciseState, body: CapacityAnswered) -> list[TeamNotified]:
    if body.units:
        text = (
            f"{body.provider} lends {body.units} of {body.requested} {body.area.value} units, "
            f"moves {body.from_move}-{body.until_move}"
        )
    else:
        text = f"{body.provider} declined your {body.area.value} capacity request"
    text += f": {body.reason}" if body.reason else ""
    return [TeamNotified(nation=body.requester, topic="request", subject=body.request_id, text=_clip(text))]


def _answered(state: ExerciseState, body: RequestAnswered) -> list[TeamNotified]:
    who = body.to or "Exercise control"
    what = "RFI" if body.kind == "rfi" else "request for assistance"
    text = f"{who} {'approved' if body.approved else 'denied'} your {what}: {body.answer}"
    return [TeamNotified(nation=body.requester, topic="request", subject=body.request_id, text=_clip(text))]


def _lapsed(state: ExerciseState, body: RequestLapsed) -> list[TeamNotified]:
    what = {"rfi": "RFI", "assistance": "request for assistance", "capacity": "capacity request"}[body.kind]
    text = f"Your {what} lapsed unanswered when move {body.move} closed"
    return [TeamNotified(nation=body.requester, topic="request", subject=body.request_id, text=text)]


def _statement_answered(state: ExerciseState, body: StatementAnswered) -> list[TeamNotified]:
    if body.consent:
        return []
    text = f"{body.nation} refused your joint statement draft" + (f": {body.reason}" if body.reason else "")
    return [TeamNotified(nation=body.drafter, topic="request", subject=body.statement_id, text=_clip(text))]


def _statement_issued(state: ExerciseState, body: StatementIssued) -> list[TeamNotified]:
    signers = ", ".join((body.drafter, *body.cosigners))
    text = f"Joint statement issued: every co-signer consented ({signers})"
    parties = (body.drafter, *body.cosigners)
    subject = body.statement_id
    return [TeamNotified(nation=n, topic="request", subject=subject, text=_clip(text)) for n in parties]


def _fired(state: ExerciseState, body: CounterspaceFired) -> list[TeamNotified]:
    text = (
        f"Your {body.weapon_name} fired at {_name(state, body.target)} ({body.uses_left} uses left); "
        f"its outcome is what you observe"
    )
    return [TeamNotified(nation=body.nation, topic="status", subject=body.target, text=_clip(text))]


def _belt(state: ExerciseState, body: RadiationBeltFormed) -> list[TeamNotified]:
    text = (
        f"A nuclear detonation pumped a radiation belt: unhardened satellites in low orbit may "
        f"degrade until move {body.until_move}"
    )
    return [TeamNotified(nation=n, topic="status", text=_clip(text)) for n in state.played_nations()]


Explainer = Callable[[ExerciseState, EventBody], list[TeamNotified]]
EXPLAINERS: dict[str, Explainer] = {
    "asset_status_changed": _status,  # type: ignore[dict-item]
    "manoeuvre_executed": _manoeuvre,  # type: ignore[dict-item]
    "inject_resolved": _conjunction,  # type: ignore[dict-item]
    "status_disclosed": _disclosed,  # type: ignore[dict-item]
    "exercise_paused": _paused,  # type: ignore[dict-item]
    "exercise_resumed": _resumed,  # type: ignore[dict-item]
    "tasking_answered": _tasking,  # type: ignore[dict-item]
    "capacity_answered": _capacity,  # type: ignore[dict-item]
    "request_answered": _answered,  # type: ignore[dict-item]
    "request_lapsed": _lapsed,  # type: ignore[dict-item]
    "statement_answered": _statement_answered,  # type: ignore[dict-item]
    "statement_issued": _statement_issued,  # type: ignore[dict-item]
    **RESPONSE_EXPLAINERS,
    "counterspace_fired": _fired,  # type: ignore[dict-item]
    "radiation_belt_formed": _belt,  # type: ignore[dict-item]
}
"""One explainer per event type that changes something a team is entitled to be told of."""


def notifications(state: ExerciseState, bodies: Sequence[EventBody]) -> list[TeamNotified]:
    """The feed lines `bodies` give, in their order, read against `state` (the state before
    them: names, inject titles and requests do not change within one command or move). Only
    played nations get lines."""
    played = set(state.played_nations())
    lines: list[TeamNotified] = []
    observed: dict[tuple[str, str, str], tuple[int, list[str]]] = {}
    for body in bodies:
        explain = EXPLAINERS.get(body.type)
        for line in explain(state, body) if explain is not None else ():
            if line.nation not in played:
                continue
            if isinstance(body, AssetStatusChanged) and line.nation != body.owner:
                key = (line.nation, body.cause, body.status.value)
                if key in observed:  # one line per observing nation for an effect seen on many
                    observed[key][1].append(body.owner or "unowned")
                    continue
                observed[key] = (len(lines), [body.owner or "unowned"])
            lines.append(line)
    for (nation, _cause, status), (index, owners) in observed.items():
        if len(owners) > 1:
            lines[index] = _observed_many(nation, status, owners)
    return lines


def _observed_many(nation: str, status: str, owners: list[str]) -> TeamNotified:
    """One observer's line for an effect it saw on several objects (a storm on every GNSS satellite)."""
    named = sorted(set(owners))
    who = ", ".join(named[:4]) + (f" and {len(named) - 4} more" if len(named) > 4 else "")
    text = f"{len(owners)} objects of {who}: observed {status} (your SSA picture)"
    return TeamNotified(nation=nation, topic="status", subject=None, text=_clip(text))


def with_notifications(state: ExerciseState, bodies: list[EventBody]) -> list[EventBody]:
    """`bodies` followed by the feed lines they give."""
    return [*bodies, *notifications(state, bodies)]
