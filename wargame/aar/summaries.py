"""One-line human sentences describing each projected event of the log, for the AAR timeline."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from wargame.aar.control_summaries import CONTROL_SUMMARISERS
from wargame.aar.evaluation_summaries import EVALUATION_SUMMARISERS
from wargame.aar.humanize import number, scientific
from wargame.aar.request_summaries import REQUEST_SUMMARISERS
from wargame.aar.response_summaries import RESPONSE_SUMMARISERS, response_order_text
from wargame.aar.tempo_summaries import TEMPO_SUMMARISERS
from wargame.domain.commands import RESTORED_CAUSE
from wargame.domain.common import Marking

JsonDict = dict[str, Any]
Names = Mapping[str, str]
"""Object id -> display name, for whatever objects the viewer may know about."""

Summariser = Callable[[str, JsonDict, Names], str]
"""(actor label, projected body, object names) -> sentence."""


def actor_label(actor: str) -> str:
    """'team:USA' -> 'USA', 'white_cell' -> 'White cell', 'facilitator' -> 'Facilitator'."""
    if actor.startswith("team:"):
        return actor.removeprefix("team:")
    return actor.replace("_", " ").capitalize() if actor else "Unknown"


def _name(names: Names, object_id: Any) -> str:
    if object_id is None:
        return "-"
    return names.get(str(object_id), str(object_id))


def _with_reason(sentence: str, reason: Any) -> str:
    return f"{sentence}: {reason}" if reason else sentence


def _created(actor: str, body: JsonDict, names: Names) -> str:
    scenario = body.get("scenario") or {}
    return (f"{actor} created exercise '{body.get('title', '')}' "
            f"from scenario {scenario.get('id', '?')}")


def _started(actor: str, body: JsonDict, names: Names) -> str:
    return f"Exercise started: move {body.get('move')} opens at {body.get('scenario_time')}"


def _paused(actor: str, body: JsonDict, names: Names) -> str:
    return _with_reason(f"{actor} paused the exercise", body.get("reason"))


def _resumed(actor: str, body: JsonDict, names: Names) -> str:
    return f"{actor} resumed the exercise"


def _ended(actor: str, body: JsonDict, names: Names) -> str:
    return f"Exercise ended after move {body.get('move')}"


def _advanced(actor: str, body: JsonDict, names: Names) -> str:
    return f"Move {body.get('move')} opened at {body.get('scenario_time')}"


def _inject(actor: str, body: JsonDict, names: Names) -> str:
    inject = body.get("inject") or {}
    kind = "ad-hoc inject" if body.get("adhoc") else ""
    label = f"{kind} {inject.get('id')}".strip()
    marking = {
        "releasability": inject.get("releasability", "NOFORN"),
        "releasable_to": inject.get("releasable_to", []),
    }
    planned = str(body.get("scenario_time") or "")[:16].replace("T", " ")
    at = f" at its scenario time {planned}Z" if planned else ""
    return f"{actor} released {label} '{inject.get('title', '')}' [{marking_label(marking)}]{at}"


def _sharing(actor: str, body: JsonDict, names: Names) -> str:
    return f"{body.get('nation')} set sharing with {body.get('partner')} to {body.get('level')}"


def _released(actor: str, body: JsonDict, names: Names) -> str:
    product = body.get("product") or {}
    objects = product.get("objects") or []
    scope = [*product.get("regimes", []), *([f"{len(objects)} objects"] if objects else [])]
    what = product.get("kind", "product") + (f" ({', '.join(scope)})" if scope else "")
    marking = marking_label(body.get("marking"))
    effective = body.get("effective") or {}
    when = ", ".join(f"{n} from move {m}" for n, m in effective.items())
    return f"{body.get('nation')} released {what} at {body.get('level')}, marked {marking}: {when}"


def _withdrawn(actor: str, body: JsonDict, names: Names) -> str:
    return f"{body.get('nation')} withdrew product {body.get('product_id')}"


def _forwarded(actor: str, body: JsonDict, names: Names) -> str:
    to = ", ".join(body.get("recipients") or [])
    marking = marking_label(body.get("marking"))
    return f"{body.get('nation')} forwarded {body.get('inject_id')} to {to}, marked {marking}"


def marking_label(marking: object) -> str:
    """The printed label of a marking in a projected body (NOFORN when the body has none)."""
    if marking is None:
        return Marking().label
    try:
        return Marking.model_validate(marking).label
    except ValidationError:
        return "unreadable marking"


def _dv_text(body: JsonDict) -> str:
    """A manoeuvre's delta-v: the along-track value alone, or all three RTN components."""
    along = body.get("dv_m_per_s")
    radial = body.get("dv_radial_m_per_s") or 0.0
    cross = body.get("dv_cross_track_m_per_s") or 0.0
    if not radial and not cross:
        return number(along, "m/s")
    rtn = (float(radial), float(along or 0.0), float(cross))
    return (f"{number(rtn[1], 'm/s')} along-track, {number(rtn[0], 'm/s')} radial, "
            f"{number(rtn[2], 'm/s')} cross-track ({number(math.hypot(*rtn), 'm/s')} in all)")


def _order_text(order: JsonDict, names: Names) -> str:
    kind = order.get("kind")
    if kind == "manoeuvre":
        return (f"manoeuvre of {_name(names, order.get('asset_id'))} by "
                f"{_dv_text(order)} ({order.get('purpose', 'unspecified')})")
    if kind == "anti_jam":
        state = "on" if order.get("enabled") else "off"
        return f"anti-jam {state} for {_name(names, order.get('asset_id'))}"
    if kind == "tasking_request":
        return (f"tasking of {order.get('partner')} sensor {order.get('sensor_id')} "
                f"on {_name(names, order.get('object_id'))}")
    if kind == "public_attribution":
        return (f"public attribution of {order.get('inject_id')} to {order.get('accused')} "
                f"({order.get('likelihood')})")
    if kind == "counterspace":
        return f"counterspace attack with {order.get('weapon_id')} on {_name(names, order.get('target'))}"
    return response_order_text(order) or f"{kind} order"


def _order(actor: str, body: JsonDict, names: Names) -> str:
    order_text = _order_text(body.get("order") or {}, names)
    return _with_reason(f"{body.get('nation')} ordered {order_text}", body.get("reason"))


def _fired(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{body.get('nation')} fired {body.get('weapon_name') or body.get('weapon_id')} at "
            f"{_name(names, body.get('target'))} as {body.get('inject_id')} "
            f"({body.get('uses_left')} uses left)")


def _belt(actor: str, body: JsonDict, names: Names) -> str:
    return (f"Nuclear detonation {body.get('inject_id')} pumped a radiation belt: unhardened "
            f"satellites degrade until move {body.get('until_move')}")


def _cancelled(actor: str, body: JsonDict, names: Names) -> str:
    return f"{body.get('nation')} cancelled order {body.get('order_id')}"


def _tasking(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{body.get('requester')} asked {body.get('partner')} to task sensor "
            f"{body.get('sensor_id')} on {_name(names, body.get('object_id'))}")


def _answered(actor: str, body: JsonDict, names: Names) -> str:
    verdict = "accepted" if body.get("accepted") else "declined"
    sentence = (f"{body.get('partner')} {verdict} tasking request {body.get('request_id')} "
                f"from {body.get('requester')}")
    return _with_reason(sentence, body.get("reason"))


def _notified(actor: str, body: JsonDict, names: Names) -> str:
    return f"{body.get('nation')} was told: {body.get('text')}"


def _attribution(actor: str, body: JsonDict, names: Names) -> str:
    sentence = (f"{body.get('nation')} publicly attributed {body.get('inject_id')} to "
                f"{body.get('accused')} ({body.get('likelihood')})")
    return _with_reason(sentence, body.get("statement"))


def _chat(actor: str, body: JsonDict, names: Names) -> str:
    return f"{body.get('sender')} on {body.get('channel')}: {body.get('text', '')}"


def _manoeuvre(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{_name(names, body.get('asset_id'))} ({body.get('owner')}) manoeuvred by "
            f"{_dv_text(body)}; {number(body.get('propellant_dv_m_per_s'), 'm/s')} left")


def _anti_jam(actor: str, body: JsonDict, names: Names) -> str:
    state = "on" if body.get("enabled") else "off"
    asset = _name(names, body.get("asset_id"))
    return f"Anti-jam switched {state} on {asset} ({body.get('owner')})"


def _status(actor: str, body: JsonDict, names: Names) -> str:
    asset = _name(names, body.get("asset_id"))
    cause = str(body.get("cause") or "")
    if cause.startswith(RESTORED_CAUSE):
        return f"{actor} restored {asset} to {body.get('status')}: {cause.removeprefix(RESTORED_CAUSE)}"
    sentence = f"{asset} is now {body.get('status')}"
    if cause:
        sentence += f" ({cause})"
    if body.get("until_move") is not None:
        sentence += f" until move {body['until_move']}"
    if body.get("reversible") is False:
        sentence += "; irreversible"
    return sentence


def _disclosed(actor: str, body: JsonDict, names: Names) -> str:
    asset = _name(names, body.get("asset_id"))
    return (f"{actor} told {body.get('owner')} that {asset} is {body.get('status')}: "
            f"{body.get('reason', '')}")


def _resolved(actor: str, body: JsonDict, names: Names) -> str:
    verdict = "succeeded" if body.get("succeeded") else "failed"
    return (f"Inject {body.get('inject_id')} {verdict} "
            f"(p={number(float(body.get('p_success', 0.0)), decimals=2)}): {body.get('outcome', '')}")


def _picture(actor: str, body: JsonDict, names: Names) -> str:
    held = body.get("held")
    if held is None and isinstance(body.get("picture"), dict):
        held = body["picture"].get("held")
    if held is None:
        held = len(body.get("tracks") or []) or (body.get("summary") or {}).get("held", 0)
    return f"{body.get('nation')} picture updated for move {body.get('move')}: {held} track(s)"


def _conjunction(actor: str, body: JsonDict, names: Names) -> str:
    flag = "; action threshold exceeded" if body.get("action_threshold_exceeded") else ""
    return (f"{body.get('nation')} warned of conjunction between "
            f"{_name(names, body.get('asset_id'))} and {_name(names, body.get('other_id'))}: "
            f"miss {number(float(body.get('miss_km', 0.0)), 'km')}, "
            f"Pc {scientific(float(body.get('pc', 0.0)))}{flag}")


def _close_approach(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{body.get('nation')} detected {_name(names, body.get('other_id'))} within "
            f"{number(float(body.get('range_km', 0.0)), 'km')} of {_name(names, body.get('asset_id'))}")


def _debris(actor: str, body: JsonDict, names: Names) -> str:
    fragments = (body.get("fragments") or {}).get("ids") or []
    return (f"Breakup of {_name(names, body.get('parent_id'))} ({body.get('cause', '?')}): "
            f"{len(fragments)} fragment(s) cataloged of {body.get('n_trackable', '?')} trackable")


def _assessed(actor: str, body: JsonDict, names: Names) -> str:
    hours = body.get("warning_time_h")
    warned = (f"warned {number(float(hours), 'h')} ahead" if body.get("warned") and hours is not None
              else "not warned")
    likelihood = number(round(float(body.get("likelihood_pct", 0.0))))
    return (f"{body.get('nation')} assessed inject {body.get('inject_id')}: "
            f"{body.get('likelihood_label', '?')} ({likelihood} %), "
            f"{body.get('confidence', '?')} confidence; {warned}")


def _closing(actor: str, body: JsonDict, names: Names) -> str:
    move = body.get("move")
    return "First pictures being computed" if move == 0 else f"Move {move} closed for adjudication"


def _reopened(actor: str, body: JsonDict, names: Names) -> str:
    return f"Move {body.get('move')} reopened: {body.get('reason', '')}"


def _adjudicated(actor: str, body: JsonDict, names: Names) -> str:
    collisions = len(body.get("collisions") or [])
    return (f"Move {body.get('move')} adjudicated: escalation level "
            f"{body.get('escalation_level')}, {collisions} collision(s)")


def _variant_word(variant: JsonDict) -> str:
    arg = variant.get("nation") or variant.get("product_id")
    return str(variant.get("kind", "?")) + (f" {arg}" if arg else "")


def _analysis_requested(actor: str, body: JsonDict, names: Names) -> str:
    variants = ", ".join(_variant_word(v) for v in body.get("variants") or [])
    releases = "; and what each release bought" if body.get("per_release") else ""
    return (f"{actor} requested value-of-sharing analysis {body.get('analysis_id')} of the log up to "
            f"seq {body.get('through_seq')}: {variants}{releases}")


def _analysis_progress(actor: str, body: JsonDict, names: Names) -> str:
    return (f"Value-of-sharing analysis {body.get('analysis_id')}: {body.get('done')} of "
            f"{body.get('total')} moves re-adjudicated ({body.get('step', '')})")


def _analysis_completed(actor: str, body: JsonDict, names: Names) -> str:
    result = body.get("result") or {}
    exact = "reproduces" if result.get("exact") else "does NOT reproduce"
    return (f"Value-of-sharing analysis {body.get('analysis_id')} done: "
            f"{len(result.get('variants') or [])} variants; as played {exact} the recorded adjudication")


def _analysis_failed(actor: str, body: JsonDict, names: Names) -> str:
    return f"Value-of-sharing analysis {body.get('analysis_id')} failed: {body.get('reason', '')}"


SUMMARISERS: dict[str, Summariser] = {
    "exercise_created": _created,
    "exercise_started": _started,
    "exercise_paused": _paused,
    "exercise_resumed": _resumed,
    "exercise_ended": _ended,
    "move_advanced": _advanced,
    "move_closing": _closing,
    "move_reopened": _reopened,
    "inject_released": _inject,
    "sharing_policy_set": _sharing,
    "product_released": _released,
    "product_withdrawn": _withdrawn,
    "inject_forwarded": _forwarded,
    "order_submitted": _order,
    "order_cancelled": _cancelled,
    "counterspace_fired": _fired,
    "radiation_belt_formed": _belt,
    "tasking_requested": _tasking,
    "tasking_answered": _answered,
    "team_notified": _notified,
    "attribution_published": _attribution,
    "chat_posted": _chat,
    **EVALUATION_SUMMARISERS,
    "manoeuvre_executed": _manoeuvre,
    "anti_jam_set": _anti_jam,
    "asset_status_changed": _status,
    "status_disclosed": _disclosed,
    "inject_resolved": _resolved,
    "picture_updated": _picture,
    "conjunction_warning": _conjunction,
    "close_approach_detected": _close_approach,
    "debris_created": _debris,
    "threat_assessed": _assessed,
    "move_adjudicated": _adjudicated,
    "sharing_analysis_requested": _analysis_requested,
    "sharing_analysis_progress": _analysis_progress,
    "sharing_analysis_completed": _analysis_completed,
    "sharing_analysis_failed": _analysis_failed,
    **CONTROL_SUMMARISERS,
    **REQUEST_SUMMARISERS,
    **TEMPO_SUMMARISERS,
    **RESPONSE_SUMMARISERS,
}


def summarise(event_type: str, actor: str, body: JsonDict, names: Names | None = None) -> str:
    """A one-line sentence for a projected event (its `type`, raw `actor` and projected `body`)."""
    summariser = SUMMARISERS.get(event_type)
    if summariser is None:
        return f"{actor_label(actor)}: {event_type.replace('_', ' ')}"
    sentence = summariser(actor_label(actor), body, names or {})
    return " ".join(sentence.split())
