"""Planned versus actual: each MSEL inject's planned and actual release, the players' responses
after it with the time they took, and which expected player actions the log shows done."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from wargame.aar.summaries import summarise

JsonDict = dict[str, Any]

RESPONSE_TYPES = (
    "order_submitted", "tasking_answered", "sharing_policy_set", "product_released",
    "product_withdrawn", "inject_forwarded", "attribution_published", "chat_posted",
)
"""Events a team's action records (tasking_requested and public attributions come with an order)."""

KIND_WORDS: dict[str, tuple[str, ...]] = {
    "tasking_request": (r"\b(?:request|ask)s?\b.*\b(?:track|tracking|tasking|inspection|custody)\b",),
    "manoeuvre": (r"manoeuvr", r"maneuver", r"\breposition", r"collision.avoidance"),
    "anti_jam": (r"anti.?jam",),
    "attribution": (r"attribut", r"statement", r"\bdemarche", r"public line", r"\baccus"),
    "sharing": (r"\bshar", r"\breleas", r"\bcdm\b"),
    "forward": (r"\bforward", r"\bsanitis", r"\bsanitiz"),
    "warning": (r"\bwarns?\b",),
    "chat": (r"\bcoordinat", r"\bagree", r"\bconsult", r"\bcompare"),
}
"""Kinds of response an expected player action names, by the words it uses (case-insensitive).
An expected action naming none of them is judged by people, not by the log."""

KIND_EVENTS: dict[str, tuple[str, ...]] = {
    "tasking_request": ("order:tasking_request",),
    "manoeuvre": ("order:manoeuvre",),
    "anti_jam": ("order:anti_jam",),
    "attribution": ("order:public_attribution", "attribution_published"),
    "sharing": ("product_released", "sharing_policy_set", "inject_forwarded"),
    "forward": ("inject_forwarded", "product_released"),
    "warning": ("product_released", "inject_forwarded", "chat_posted"),
    "chat": ("chat_posted",),
}
"""Response kinds (as `response_kind` names them) that fulfil each kind of expected action."""

EXPECTED_STATUS = {True: "done", False: "not seen in the log", None: "for the evaluators to judge"}
"""How exports word an expected action's `done` (None: it names no kind the log can show)."""

SUBJECT = re.compile(r"^\s*([A-Z]{3}(?:\s*(?:,|/|\band\b|\bor\b)\s*[A-Z]{3})*)\b")
"""The nations an expected action starts with ('FRA and DEU decide...'): who is to act."""


def recipients_text(row: JsonDict, played: int) -> str:
    """Who an inject reached, for people: 'every played nation (25)' when it reached them all."""
    recipients = row["recipients"]
    if played > 1 and len(recipients) == played:
        return f"every played nation ({played})"
    return ", ".join(recipients) or "-"


def response_kind(event: JsonDict) -> str:
    """'order:manoeuvre' for an order, else the event type."""
    if event["type"] == "order_submitted":
        return f"order:{(event['body'].get('order') or {}).get('kind')}"
    return str(event["type"])


def responder(event: JsonDict) -> str | None:
    """The nation whose team acted in a response event (None: not a team's action)."""
    body = event["body"]
    if event["type"] == "tasking_answered":
        return body.get("partner")
    if event["type"] == "chat_posted":
        actor = str(event["actor"])
        return actor.removeprefix("team:") if actor.startswith("team:") else None
    return body.get("nation")


def expected_kinds(text: str) -> list[str]:
    """The kinds of response an expected action names (KIND_WORDS), in KIND_WORDS order."""
    lowered = text.lower()
    return [kind for kind, words in KIND_WORDS.items() if any(re.search(w, lowered) for w in words)]


def subject_nations(text: str, nations: Sequence[str]) -> list[str]:
    """The played nations an expected action names as its subject (empty: its recipients)."""
    found = SUBJECT.match(text)
    codes = set(re.findall(r"[A-Z]{3}", found.group(1))) if found else set()
    return [n for n in nations if n in codes]


def _planned_time(start: str | None, move_length_h: float | None, move: int, offset_h: float) -> str | None:
    if not start or move_length_h is None:
        return None
    begin = datetime.fromisoformat(start)
    return (begin + timedelta(hours=(move - 1) * move_length_h + offset_h)).isoformat()


def _seconds(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def _recipients(release: JsonDict, played: Sequence[str], viewer_nation: str | None) -> list[str]:
    """Who the release reached: for control its audience (every played nation for 'all'), for a
    team only itself."""
    if viewer_nation is not None:
        return [viewer_nation]
    audience = release.get("audience") or []
    if "all" in audience:
        return list(played)
    return [a.removeprefix("team:") for a in audience if a.startswith("team:")]


def _names_inject(event: JsonDict, inject_id: str) -> bool:
    body = event["body"]
    return body.get("inject_id") == inject_id or (body.get("order") or {}).get("inject_id") == inject_id


def _response(event: JsonDict, release: JsonDict, names: dict[str, str]) -> JsonDict:
    return {
        "seq": event["seq"], "move": event["move"], "at": event["at"], "nation": responder(event),
        "kind": response_kind(event), "seconds_after_release": _seconds(event["at"], release["at"]),
        "summary": summarise(event["type"], event["actor"], event["body"], names),
    }


def _expected(texts: Sequence[str], responses: Sequence[JsonDict], nations: Sequence[str],
              recipients: Sequence[str]) -> list[JsonDict]:
    rows = []
    for text in texts:
        kinds = expected_kinds(text)
        named = subject_nations(text, nations)
        who = named or list(recipients)
        matched = [r for r in responses if r["nation"] in who
                   and any(r["kind"] in KIND_EVENTS[k] for k in kinds)]
        rows.append({
            "text": text, "nations": named, "kinds": kinds,
            "done": (bool(matched) if kinds else None),
            "matched_seqs": [r["seq"] for r in matched],
        })
    return rows


def planned_vs_actual(
    visible: Sequence[JsonDict],
    msel: Sequence[JsonDict],
    *,
    played: Sequence[str],
    viewer_nation: str | None,
    start_time: str | None,
    move_length_h: float | None,
    names: dict[str, str] | None = None,
) -> list[JsonDict]:
    """One row per MSEL inject (a control viewer: every inject of `msel`, released or not, then
    the ad-hoc ones; a team: the injects it received, without planning or expectations).

    A row's responses are the recipient nations' actions (RESPONSE_TYPES) from the release to
    the end of its move, and later ones that name the inject (a forward, an attribution); the
    nations an expected action names count as recipients. Times are the log's wall clock.
    """
    names = names or {}
    releases: dict[str, JsonDict] = {}
    for event in visible:
        if event["type"] == "inject_released":
            releases.setdefault(str(event["body"]["inject"]["id"]), event)
    actions = [e for e in visible if e["type"] in RESPONSE_TYPES and responder(e) is not None]
    planned = {str(i["id"]): i for i in msel}
    order = [*planned, *(i for i in releases if i not in planned)]
    if viewer_nation is not None:
        order = [i for i in order if i in releases]
    rows = []
    for inject_id in order:
        plan = planned.get(inject_id)
        release = releases.get(inject_id)
        inject = plan or release["body"]["inject"]  # type: ignore[index]
        expected_texts = list(plan.get("expected_actions") or []) if plan else []
        row: JsonDict = {
            "inject_id": inject_id, "serial": inject.get("serial"), "title": inject.get("title"),
            "type": inject.get("type"),
            "trigger": plan.get("trigger") if plan else None,
            "contingency": bool(plan.get("contingency")) if plan else False,
            "adhoc": bool(release["body"].get("adhoc")) if release else False,
            "objectives": list(plan.get("objectives") or []) if plan else [],
            "planned_move": plan.get("move") if plan else None,
            "planned_scenario_time": _planned_time(
                start_time, move_length_h, int(plan.get("move", 1)), float(plan.get("offset_hours", 0.0))
            ) if plan else None,
            "released": release is not None,
            "released_seq": release["seq"] if release else None,
            "released_move": release["move"] if release else None,
            "released_at": release["at"] if release else None,
            "released_scenario_time": release["scenario_time"] if release else None,
            "moves_late": (release["move"] - int(plan.get("move", 1))) if release and plan else None,
            "recipients": [], "expected": [], "responses": [], "first_response": None,
            "seconds_to_first_response": None,
        }
        if release is not None:
            recipients = _recipients(release, played, viewer_nation)
            named = {n for t in expected_texts for n in subject_nations(t, played)}
            who = set(recipients) | (named if viewer_nation is None else set())
            responses = [
                _response(e, release, names) for e in actions
                if e["seq"] > release["seq"] and responder(e) in who
                and (e["move"] == release["move"] or _names_inject(e, inject_id))
            ]
            row.update(recipients=recipients, responses=responses,
                       expected=_expected(expected_texts, responses, played, recipients))
            if responses:
                row["first_response"] = responses[0]
                row["seconds_to_first_response"] = responses[0]["seconds_after_release"]
        elif expected_texts:
            row["expected"] = [{"text": t, "nations": subject_nations(t, played),
                                "kinds": expected_kinds(t), "done": None, "matched_seqs": []}
                               for t in expected_texts]
        rows.append(row)
    return rows
