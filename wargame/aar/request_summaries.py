"""AAR sentences for requests between teams: fallback capacity, joint statements, RFIs and
requests for assistance (each with its reason or answer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]
Names = Mapping[str, str]


def _to(body: JsonDict) -> str:
    return str(body.get("to") or "the white cell")


def _reason(body: JsonDict, key: str = "reason") -> str:
    text = body.get(key)
    return f": {text}" if text else ""


def _capacity_requested(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{body.get('requester')} asked {body.get('provider')} for {body.get('units')} units of "
            f"{body.get('area')} fallback capacity for {body.get('moves')} move(s){_reason(body)}")


def _capacity_answered(actor: str, body: JsonDict, names: Names) -> str:
    units = body.get("units") or 0
    if units:
        answer = (f"lent {units} of the {body.get('requested')} units of {body.get('area')} asked, moves "
                  f"{body.get('from_move')} to {body.get('until_move')}")
    else:
        answer = f"declined the request for {body.get('area')}"
    by = " (answered by the white cell)" if body.get("answered_by") == "white_cell" else ""
    return f"{body.get('provider')} {answer} to {body.get('requester')}{by}{_reason(body)}"


def _drafted(actor: str, body: JsonDict, names: Names) -> str:
    cosigners = ", ".join(body.get("cosigners") or [])
    return f"{body.get('drafter')} drafted a joint statement with {cosigners}: {body.get('text')}"


def _amended(actor: str, body: JsonDict, names: Names) -> str:
    version = body.get("version")
    return f"{body.get('drafter')} amended its joint statement (version {version}): {body.get('text')}"


def _answered(actor: str, body: JsonDict, names: Names) -> str:
    verb = "consented to" if body.get("consent") else "refused"
    return (f"{body.get('nation')} {verb} {body.get('drafter')}'s joint statement (version "
            f"{body.get('version')}){_reason(body)}")


def _issued(actor: str, body: JsonDict, names: Names) -> str:
    parties = ", ".join([str(body.get("drafter")), *(body.get("cosigners") or [])])
    return f"Joint statement of {parties} issued: {body.get('text')}"


def _sent(actor: str, body: JsonDict, names: Names) -> str:
    what = "an RFI" if body.get("kind") == "rfi" else "a request for assistance"
    return f"{body.get('requester')} sent {what} to {_to(body)}: {body.get('text')}"


def _request_answered(actor: str, body: JsonDict, names: Names) -> str:
    verb = "approved" if body.get("approved") else "denied"
    who = "the white cell" if body.get("answered_by") == "white_cell" else _to(body)
    return f"{who} {verb} {body.get('requester')}'s {body.get('kind')} request{_reason(body, 'answer')}"


def _lapsed(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{body.get('requester')}'s {body.get('kind')} request to {_to(body)} lapsed unanswered "
            f"when move {body.get('move')} closed")


REQUEST_SUMMARISERS: dict[str, Callable[[str, JsonDict, Names], str]] = {
    "capacity_requested": _capacity_requested,
    "capacity_answered": _capacity_answered,
    "statement_drafted": _drafted,
    "statement_amended": _amended,
    "statement_answered": _answered,
    "statement_issued": _issued,
    "request_sent": _sent,
    "request_answered": _request_answered,
    "request_lapsed": _lapsed,
}
REQUEST_NOUNS: dict[str, tuple[str, str]] = {
    "capacity_requested": ("capacity request", "capacity requests"),
    "capacity_answered": ("capacity answer", "capacity answers"),
    "statement_drafted": ("statement drafted", "statements drafted"),
    "statement_amended": ("statement amended", "statements amended"),
    "statement_answered": ("statement answer", "statement answers"),
    "statement_issued": ("joint statement issued", "joint statements issued"),
    "request_sent": ("RFI or request", "RFIs and requests"),
    "request_answered": ("request answered", "requests answered"),
    "request_lapsed": ("request lapsed", "requests lapsed"),
}
"""How a group of each type is counted in the AAR timeline's summaries."""
