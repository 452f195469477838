"""Snapshot views built from the state: a team's, control's (ground truth) and an observer's."""

from __future__ import annotations

from typing import Any

from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.common import AssetStatus, InjectType, Marking
from wargame.domain.products import PRODUCT_KINDS, ReleasedProduct
from wargame.domain.releasability import group_members
from wargame.domain.scenario_model import Sensor
from wargame.domain.state import ExerciseState, ForwardedInject, StatusState
from wargame.domain.tempo import clock_of
from wargame.protocol.views import (
    PICTURE_URL,
    RELEASE_LEVELS,
    TRUTH_URL,
    ChatLine,
    ControlView,
    ForwardCard,
    NationCard,
    ObjectiveCard,
    ObserverView,
    OwnAsset,
    PictureNotice,
    PlayerInject,
    ProductCard,
    SensorCard,
    TeamRules,
    TeamView,
)
from wargame.protocol.views_arsenal import arsenal
from wargame.protocol.views_requests import control_requests, issued_to, team_requests
from wargame.protocol.views_responses import responses_card

JsonDict = dict[str, Any]

INJECT_PLAYER_FIELDS = (
    "id", "serial", "title", "type", "sender", "channel", "text", "releasability", "releasable_to",
)
SENSOR_CARD = {"id", "name", "owner", "model", "lat_deg", "lon_deg"}
"""What every seat may know of a coalition sensor."""
RECENT_WARNING_MOVES = 2
"""A control snapshot lists each nation's warnings of the latest moves only (counts of all)."""


def player_inject(inject: JsonDict) -> JsonDict:
    """The player-facing part of an inject (no controller notes, parameters or expectations)."""
    shown = {key: inject.get(key) for key in INJECT_PLAYER_FIELDS}
    named_to: list[str] = list(shown["releasable_to"] or [])
    shown["releasable_to"] = named_to
    named = ", ".join(named_to)
    shown["marking"] = f"REL {named}" if shown["releasability"] == "REL" else shown["releasability"]
    return shown


def injects_for(state: ExerciseState, viewer: str) -> list[PlayerInject]:
    """Released injects the viewer's seat received (their marking and recipients decide)."""
    out: list[PlayerInject] = []
    for entry in state.injects.values():
        if entry.released_move is None or not can_see(inject_audience(entry.inject, state), viewer):
            continue
        shown = player_inject(entry.inject.model_dump(mode="json"))
        out.append(PlayerInject(**shown, released_move=entry.released_move))
    return out


def _common(state: ExerciseState, viewer: str, pos: int) -> JsonDict:
    return {
        "exercise_id": state.exercise_id,
        "title": state.title,
        "marking": state.scenario.marking,
        "phase": state.phase,
        "move": state.move,
        "closing_move": state.closing.move if state.closing is not None else None,
        "moves": state.scenario.moves,
        "scenario_time": state.scenario_time.isoformat(),
        "start_time": state.scenario.start_time.isoformat(),
        "move_length_hours": state.scenario.move_length_hours,
        **({"clock": clock} if (clock := clock_of(state)) is not None else {}),
        "pos": pos,
        "viewer": viewer,
        "nations": [
            NationCard(id=n.id, name=n.name, side=n.side, played=n.played, groups=list(n.groups))
            for n in state.scenario.nations
        ],
        "attributions": [dict(a) for a in state.attributions],
        "objectives": [
            ObjectiveCard(id=o.id, text=o.text, capability=o.capability) for o in state.scenario.objectives
        ],
    }


def status_known_to_owner(holder: StatusState, move: int) -> JsonDict:
    """The status the owner's team sees: the truth, or while an effect it did not notice hides
    the truth, what it believes, and once a believed status has run its course, nominal."""
    belief = holder.owner_belief
    if belief is None:
        return {"status": holder.status, "status_until_move": holder.status_until_move}
    if belief.until_move is not None and belief.until_move < move:
        return {"status": AssetStatus.NOMINAL, "status_until_move": None}
    return {"status": belief.status, "status_until_move": belief.until_move}


def _own_assets(state: ExerciseState, nation: str) -> list[OwnAsset]:
    ids = [k for k, a in state.assets.items() if a.owner == nation]
    background = state.background
    ids += [i for i, owner in zip(background.ids, background.owners, strict=True) if owner == nation]
    out: list[OwnAsset] = []
    for object_id in dict.fromkeys(ids):
        asset = state.asset(object_id)
        assert asset is not None
        card = state.object_card(object_id)
        out.append(
            OwnAsset(
                id=object_id,
                name=card["name"] or object_id,
                owner=card["owner"],
                kind=card["kind"] or "unknown",
                mission=card["mission"],
                propellant_dv_m_per_s=asset.propellant_dv_m_per_s,
                anti_jam=asset.anti_jam,
                **status_known_to_owner(asset, state.move),
            )
        )
    return out


def _sensor(state: ExerciseState, sensor: Sensor, nation: str) -> SensorCard:
    card = sensor.model_dump(mode="json", include=SENSOR_CARD)
    holder = state.sensor_state(sensor.id)
    if holder is None or holder.owner != nation:
        return SensorCard(**card)
    return SensorCard(**card, **status_known_to_owner(holder, state.move))


def product_card(nation: str, product: ReleasedProduct, receiver: str | None = None) -> ProductCard:
    """A released product; a receiver sees itself alone among the recipients."""
    recipients = list(product.recipients) if receiver is None else [receiver]
    effective = {n: m for n, m in product.effective.items() if n in recipients}
    return ProductCard(
        product_id=product.product_id,
        nation=nation,
        product=product.product,
        label=product.product.label,
        marking=product.marking,
        marking_label=product.marking.label,
        level=product.level.value,
        recipients=recipients,
        effective=effective,
        released_move=product.released_move,
    )


def forward_card(forward: ForwardedInject, receiver: str | None = None) -> ForwardCard:
    return ForwardCard(
        forward_id=forward.forward_id,
        nation=forward.nation,
        inject_id=forward.inject_id,
        title=forward.title,
        text=forward.text,
        marking=forward.marking,
        marking_label=forward.marking.label,
        recipients=list(forward.recipients) if receiver is None else [receiver],
        move=forward.move,
    )


def picture_notice(state: ExerciseState, nation: str) -> PictureNotice | None:
    ref = state.nations[nation].picture_ref
    if ref is None:
        return None
    move = ref.pictures.move
    return PictureNotice(
        nation=nation, move=move, held=ref.held, by_source=ref.by_source, precise=ref.precise,
        url=PICTURE_URL.format(move=move),
    )


def team_view(state: ExerciseState, nation: str, pos: int) -> TeamView:
    me = state.nations[nation]
    viewer = team(nation)
    coalition = {n.id for n in state.scenario.nations if n.side != "red"}
    others = [(n, s) for n, s in state.nations.items() if n != nation]
    spec = state.scenario.nation(nation)
    picture = picture_notice(state, nation)
    return TeamView(
        **_common(state, viewer, pos),
        nation=nation,
        assets=_own_assets(state, nation),
        sensors=[_sensor(state, s, nation) for s in state.scenario.sensors if s.owner in coalition],
        picture=picture,
        picture_move=None if picture is None else picture.move,
        products=[product_card(nation, p) for p in me.products.values()],
        received=[
            product_card(n, p, nation)
            for n, s in others
            for p in s.products.values()
            if nation in p.recipients
        ],
        orders=list(me.orders.values()),
        taskings=[t for t in state.taskings.values() if nation in (t.requester, t.partner)],
        warnings=list(me.warnings),
        assessments=list(me.assessments),
        feed=list(me.feed),
        injects=injects_for(state, viewer),
        forwards=[
            forward_card(f, None if f.nation == nation else nation)
            for f in state.forwards
            if f.nation == nation or nation in f.recipients
        ],
        chat=[
            ChatLine(
                message_id=m.message_id, channel=m.channel, sender=m.sender, text=m.text, at=m.at.isoformat()
            )
            for m in state.chat
            if can_see(m.audience, viewer)
        ],
        rules=TeamRules(
            attribution_levels=list(state.ruleset.orders.attribution_levels),
            max_manoeuvre_dv_m_per_s=state.ruleset.orders.max_manoeuvre_dv_m_per_s,
            release_levels=RELEASE_LEVELS,
            product_kinds=list(PRODUCT_KINDS),
            review_moves=state.ruleset.disclosure.review_moves if state.ruleset.disclosure else 0,
            default_marking=spec.default_marking if spec is not None else Marking(),
        ),
        agreements=[a.model_dump(mode="json") for a in state.scenario.agreements if nation in a.nations],
        arsenal=arsenal(state, nation),
        requests=team_requests(state, nation),
        responses=responses_card(state, nation),
    )


def observer_view(state: ExerciseState, viewer: str, pos: int) -> ObserverView:
    return ObserverView(
        **_common(state, viewer, pos), injects=injects_for(state, viewer), statements=issued_to(state, viewer)
    )


def control_view(state: ExerciseState, viewer: str, pos: int) -> ControlView:
    """Ground truth for the white cell, facilitators and evaluators (the background catalog's
    unchanged objects are in the truth resource, not listed here), with the evaluation."""
    recent = state.move - RECENT_WARNING_MOVES
    latest = state.pictures[-1].move if state.pictures else None
    return ControlView(
        **_common(state, viewer, pos),
        seq=state.last_seq,
        last_hash=state.last_hash,
        scenario_id=state.scenario.id,
        escalation_level=state.escalation_level,
        assets=[
            {**state.object_card(a.id), **a.model_dump(mode="json", exclude={"orbit", "kind", "removed"})}
            for a in state.assets.values()
            if not a.removed  # fragments the white cell took out of play (debris_removed)
        ],
        objects_total=len(state.object_ids()),
        sensors=[
            {
                **s.model_dump(mode="json", include=SENSOR_CARD),
                **holder.model_dump(mode="json", exclude={"id", "owner"}),
            }
            for s in state.scenario.sensors
            if (holder := state.sensor_state(s.id)) is not None
        ],
        sensor_inject_types=[  # InjectType's order: the ruleset's keys come back sorted from the log
            t.value for t in InjectType if (r := state.ruleset.effects.get(t)) and "sensors" in r.targets
        ],
        msel=[
            {**e.inject.model_dump(mode="json"), "released_move": e.released_move, "resolved": e.resolved,
             "adhoc": e.adhoc, "marking": e.inject.marking.label, "held": e.held, "skipped": e.skipped,
             "forced": e.forced, "planned_move": e.planned_move,
             "planned_offset_hours": e.planned_offset_hours, "edited": list(e.edited)}
            for e in state.injects.values()
        ],
        nations_state={n: _nation_state(state, n, recent) for n in state.nations},
        taskings=list(state.taskings.values()),
        chat=[m.model_dump(mode="json") for m in state.chat],
        forwards=[forward_card(f) for f in state.forwards],
        metrics_by_move={str(k): v for k, v in state.metrics_by_move.items()},
        inject_types=[t.value for t in InjectType],
        truth_url=None if latest is None else TRUTH_URL.format(move=latest),
        evaluation=state.evaluation,
        requests=control_requests(state),
    )


def _nation_state(state: ExerciseState, nation: str, recent: int) -> JsonDict:
    s = state.nations[nation]
    picture = picture_notice(state, nation) if nation in state.played_nations() else None
    return {
        "sharing": {p: lvl.value for p, lvl in s.sharing.items()},
        "products": [product_card(nation, p).model_dump(mode="json") for p in s.products.values()],
        "orders": [o.model_dump(mode="json") for o in s.orders.values()],
        "picture": None
        if picture is None
        else {**picture.model_dump(mode="json"), "url": f"{picture.url}&nation={nation}"},
        "picture_summary": None
        if picture is None
        else {"held": picture.held, "by_source": picture.by_source},
        "warnings": [w.model_dump(mode="json") for w in s.warnings if w.move > recent],
        "warnings_total": len(s.warnings),
        "assessments": [a.model_dump(mode="json") for a in s.assessments],
        "groups": sorted(g for g in {g for n in state.scenario.nations for g in n.groups}
                         if nation in group_members(state.scenario, g)),
    }
