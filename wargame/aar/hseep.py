"""The HSEEP After-Action Report / Improvement Plan's data, from the events and state a viewer sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wargame.aar.summaries import actor_label
from wargame.domain.evaluation import RATING_WORDS, objective_capabilities, rating_key
from wargame.domain.scenario_model import Objective

JsonDict = dict[str, Any]

RATINGS = ("P", "S", "M", "U")
FINAL = "final rating"
FALLBACK = "latest observation rating (no final rating given)"
FROM_OBJECTIVES = "lowest final rating of its objectives (no capability rating given)"
UNRATED = "not rated"
AFI_FIELDS = ("afi_id", "title", "observation", "analysis", "root_cause", "recommendation",
              "observation_ids", "by", "by_member")
EVALUATION_TYPES = frozenset({"observation_edited", "observation_retracted"})
"""Events of an observation's history after it was recorded."""


def build_aar_ip(
    visible: Sequence[JsonDict], snapshot: JsonDict, created: JsonDict | None, exercise: JsonDict
) -> JsonDict:
    """The AAR/IP as a viewer may see it: overview, analysis of each objective and core capability
    (rating, strengths, areas for improvement, observations), the improvement plan, participants
    and the marking. `visible` are the viewer's projected events, `snapshot` its final view,
    `created` exercise_created as it sees it (control only), `exercise` the report's summary."""
    scenario = (created or {}).get("body", {}).get("scenario") or {}
    listed = scenario.get("objectives") if scenario else snapshot.get("objectives")
    objectives = [Objective.model_validate(o) for o in listed or []]
    evaluation = snapshot.get("evaluation") or {}
    observations = [o for o in (evaluation.get("observations") or {}).values() if not o["retracted"]]
    retracted = [o for o in (evaluation.get("observations") or {}).values() if o["retracted"]]
    ratings: dict[str, JsonDict] = evaluation.get("ratings") or {}
    afis = list((evaluation.get("afis") or {}).values())
    capabilities = _capabilities(objectives)
    measures = _measures(visible, objectives, [n["id"] for n in exercise["nations"] if n.get("played")])
    analysis = [
        _objective(n, o, observations, ratings, evaluation, measures.get(o.id, []))
        for n, o in enumerate(objectives, start=1)
    ]
    by_capability = [_capability(c, objectives, observations, ratings) for c in capabilities]
    plan = _plan(evaluation, afis, capabilities, analysis)
    return {
        "marking": exercise["marking"],
        "overview": _overview(scenario, objectives, capabilities, exercise),
        "summary": _summary(analysis, by_capability, plan),
        "objectives": analysis,
        "capabilities": by_capability,
        "improvement_plan": plan,
        "participants": {"nations": exercise["nations"], "seats": _seats(visible)},
        "observations_retracted": len(retracted),
        "log_head": _head(visible),
        "observation_history": [
            {"seq": e["seq"], "move": e["move"], "type": e["type"], "actor": e["actor"],
             "member": e.get("member"), **e["body"]}
            for e in visible if e["type"] in EVALUATION_TYPES
        ],
    }


def _head(visible: Sequence[JsonDict]) -> JsonDict | None:
    """The last event's seq and hash, for seats that see hashes (control): where the log stood."""
    last = visible[-1] if visible else {}
    return {"seq": last["seq"], "hash": last["hash"]} if last.get("hash") else None


def _capabilities(objectives: Sequence[Objective]) -> list[str]:
    found: list[str] = []
    for objective in objectives:
        found.extend(c for c in objective_capabilities(objective) if c not in found)
    return found


def _overview(scenario: JsonDict, objectives: Sequence[Objective], capabilities: list[str],
              exercise: JsonDict) -> JsonDict:
    areas: list[str] = []
    for objective in objectives:
        areas.extend(a.value for a in objective.mission_areas if a.value not in areas)
    played = [n for n in exercise["nations"] if n.get("played")]
    hours = (exercise.get("move_length_hours") or 0) * (exercise.get("moves_played") or 0)
    return {
        "name": exercise.get("title") or exercise["id"],
        "exercise_id": exercise["id"],
        "scenario": {"id": exercise.get("scenario_id"), "title": exercise.get("scenario_title"),
                     "description": scenario.get("description", "")},
        "sponsor": scenario.get("sponsor") or None,
        "dates": {
            "scenario_start": exercise.get("start_time"), "scenario_end": exercise.get("final_scenario_time"),
            "conducted_from": exercise.get("first_event_at"), "conducted_to": exercise.get("last_event_at"),
        },
        "scope": (f"{exercise.get('moves_played')} of {exercise.get('moves_planned')} moves played, "
                  f"{hours:g} hours of scenario time; {len(played)} national teams "
                  f"({', '.join(n['id'] for n in played)}) and a white cell"),
        "mission_areas": areas,
        "core_capabilities": capabilities,
        "objectives": [
            {"id": o.id, "text": o.text, "capability": o.capability,
             "mission_areas": [a.value for a in o.mission_areas], "critical_tasks": list(o.criteria)}
            for o in objectives
        ],
    }


def _rating(final: JsonDict | None, candidates: Sequence[JsonDict]) -> JsonDict:
    """An evaluator's final rating, else the latest rated observation's (labelled), else none."""
    if final is not None:
        return {"rating": final["rating"], "words": RATING_WORDS[final["rating"]], "source": "evaluator",
                "label": FINAL, "rationale": final.get("rationale", ""), "by": final.get("by"),
                "by_member": final.get("by_member", "")}
    rated = [o for o in candidates if o.get("rating")]
    if rated:
        latest = max(rated, key=lambda o: o["seq"])
        return {"rating": latest["rating"], "words": RATING_WORDS[latest["rating"]], "source": "observation",
                "label": FALLBACK, "observation_id": latest["observation_id"]}
    return {"rating": None, "words": "", "source": None, "label": UNRATED}


def _observation_row(o: JsonDict) -> JsonDict:
    keys = ("observation_id", "objective_id", "task", "inject_id", "nation", "rating", "text", "author",
            "author_member", "move", "seq", "edits")
    return {k: o.get(k) for k in keys}


def _objective(
    number: int, objective: Objective, observations: Sequence[JsonDict], ratings: dict[str, JsonDict],
    evaluation: JsonDict, measures: list[JsonDict],
) -> JsonDict:
    mine = [o for o in observations if o.get("objective_id") == objective.id]
    strengths = [s for s in (evaluation.get("strengths") or {}).values() if s["objective_id"] == objective.id]
    afis = [a for a in (evaluation.get("afis") or {}).values() if a["objective_id"] == objective.id]
    tasks = [
        {"number": k, "text": text, "observations": [o["observation_id"] for o in mine if o.get("task") == k]}
        for k, text in enumerate(objective.criteria, start=1)
    ]
    return {
        "number": number,
        "id": objective.id,
        "text": objective.text,
        "capability": objective.capability,
        "capabilities": objective_capabilities(objective),
        "mission_areas": [a.value for a in objective.mission_areas],
        "critical_tasks": tasks,
        "rating": _rating(ratings.get(rating_key("objective", objective.id)), mine),
        "strengths": [{k: s[k] for k in ("strength_id", "text", "observation_ids", "by", "by_member")}
                      for s in strengths],
        "afis": [
            {"number": f"{number}.{k}", **{f: a.get(f, "") for f in AFI_FIELDS}}
            for k, a in enumerate(afis, start=1)
        ],
        "observations": [_observation_row(o) for o in sorted(mine, key=lambda o: o["seq"])],
        "measures": measures,
    }


def _capability(name: str, objectives: Sequence[Objective], observations: Sequence[JsonDict],
                ratings: dict[str, JsonDict]) -> JsonDict:
    """A core capability's final rating; without one, the lowest final rating of its objectives
    (all of them rated), else the latest observation rating among them, each labelled."""
    ids = [o.id for o in objectives if name in objective_capabilities(o)]
    final = ratings.get(rating_key("capability", name))
    of_objectives = [ratings.get(rating_key("objective", i)) for i in ids]
    if final is None and ids and all(of_objectives):
        lowest = max((r for r in of_objectives if r), key=lambda r: RATINGS.index(r["rating"]))
        rating = {"rating": lowest["rating"], "words": RATING_WORDS[lowest["rating"]], "source": "objectives",
                  "label": FROM_OBJECTIVES}
    else:
        rating = _rating(final, [o for o in observations if o.get("objective_id") in ids])
    return {"capability": name, "objectives": ids, "rating": rating}


def _plan(evaluation: JsonDict, afis: Sequence[JsonDict], capabilities: list[str],
          analysis: Sequence[JsonDict]) -> list[JsonDict]:
    numbers = {a["afi_id"]: a["number"] for o in analysis for a in o["afis"]}
    titles = {a["afi_id"]: a["title"] for a in afis}
    items = list((evaluation.get("improvements") or {}).values())
    order = {c: k for k, c in enumerate(capabilities)}
    items.sort(key=lambda i: (order.get(i["capability"], len(order)), i["start_date"], i["item_id"]))
    return [
        {"item_id": i["item_id"], "capability": i["capability"], "afi_id": i.get("afi_id"),
         "afi_number": numbers.get(i.get("afi_id") or ""), "afi_title": titles.get(i.get("afi_id") or ""),
         "corrective_action": i["corrective_action"], "capability_element": i.get("capability_element"),
         "organisation": i["organisation"], "poc": i.get("poc", ""), "start_date": i["start_date"],
         "end_date": i["end_date"]}
        for i in items
    ]


def _summary(
    analysis: Sequence[JsonDict], capabilities: Sequence[JsonDict], plan: Sequence[JsonDict]
) -> JsonDict:
    counts = {r: sum(1 for o in analysis if o["rating"]["rating"] == r) for r in RATINGS}
    return {
        "objectives": len(analysis),
        "objective_ratings": counts,
        "unrated": sum(1 for o in analysis if o["rating"]["rating"] is None),
        "provisional": sum(1 for o in analysis if o["rating"]["source"] == "observation"),
        "strengths": [{"objective": o["id"], "text": s["text"]} for o in analysis for s in o["strengths"]],
        "afis": [{"objective": o["id"], "number": a["number"], "title": a["title"]}
                 for o in analysis for a in o["afis"]],
        "observations": sum(len(o["observations"]) for o in analysis),
        "capabilities_rated": sum(1 for c in capabilities if c["rating"]["rating"] is not None),
        "improvement_items": len(plan),
    }


def _seats(visible: Sequence[JsonDict]) -> list[JsonDict]:
    """Every seat that acted in the log, with its named members."""
    members: dict[str, set[str]] = {}
    for e in visible:
        actor = e["actor"]
        named = members.setdefault(actor, set())  # a seat that acted unnamed still counts
        if e.get("member"):
            named.add(str(e["member"]))
    return [{"seat": seat, "label": actor_label(seat), "members": sorted(names)}
            for seat, names in sorted(members.items())]


def _measures(
    visible: Sequence[JsonDict], objectives: Sequence[Objective], played: list[str]
) -> dict[str, list[JsonDict]]:
    """Per objective and mission area: the capability score (share of required service) of the
    objective's nations, mean over them, at the last move and at its lowest, in whole percent."""
    by_move: dict[int, dict[str, dict[str, float]]] = {}
    for e in visible:
        if e["type"] == "move_adjudicated":
            by_move[int(e["body"]["move"])] = e["body"]["capability"]
    result: dict[str, list[JsonDict]] = {}
    for objective in objectives:
        nations = list(objective.nations) or played
        rows = []
        for area in (a.value for a in objective.mission_areas):
            series = {move: _mean([cap[n][area] for n in nations if area in cap.get(n, {})])
                      for move, cap in sorted(by_move.items())}
            known = {m: v for m, v in series.items() if v is not None}
            if not known:
                continue
            last = max(known)
            low = min(known, key=lambda m: (known[m], m))
            rows.append({"mission_area": area, "final_pct": round(100 * known[last]), "final_move": last,
                         "lowest_pct": round(100 * known[low]), "lowest_move": low})
        result[objective.id] = rows
    return result


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
