"""Per nation and move, what one adjudication gave each nation (custody, warning time,
attribution, conjunction warnings), measured as the AAR's sections measure the played log."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import Any

from wargame.aar.sections import warning_by_move, warnings_section
from wargame.domain.events import (
    CloseApproachDetected,
    ConjunctionWarning,
    EventBody,
    MoveAdjudicated,
    ThreatAssessed,
)
from wargame.domain.sharing_analysis import AssessmentOutcome, NationOutcome

JsonDict = dict[str, Any]


def as_log_items(move: int, bodies: Sequence[EventBody]) -> list[JsonDict]:
    """The bodies as the AAR's sections read projected events (control's view: whole bodies)."""
    return [
        {"type": b.type, "move": move, "seq": 0, "actor": "white_cell", "scenario_time": "",
         "body": b.model_dump(mode="json")}
        for b in bodies
    ]


def nation_outcomes(
    move: int, bodies: Sequence[EventBody], nations: Sequence[str], timely_hours: float
) -> dict[str, NationOutcome]:
    """Each played nation's outcome of one move's core events (its MoveAdjudicated, threat
    assessments and warnings): warning figures from sections.warning_by_move, its own warnings
    counted as sections.warnings_section counts them, and what partners' products brought it."""
    items = as_log_items(move, bodies)
    warning = warning_by_move(items, timely_hours).get(move, {})
    own_warnings = warnings_section(items, nations)
    adjudicated = next((b for b in bodies if isinstance(b, MoveAdjudicated)), None)
    assessments = [b for b in bodies if isinstance(b, ThreatAssessed)]
    alerts = [b for b in bodies if isinstance(b, ConjunctionWarning | CloseApproachDetected)]
    out: dict[str, NationOutcome] = {}
    for nation in nations:
        mine = [a for a in assessments if a.nation == nation]
        figures = warning.get(nation, {})
        held = [w for w in alerts if w.nation == nation or nation in w.shared_with]
        out[nation] = NationOutcome(
            custody=adjudicated.custody.get(nation, 0) if adjudicated else 0,
            precise_custody=adjudicated.precise_custody.get(nation) if adjudicated else None,
            assessed=int(figures.get("assessed", 0)),
            warned=int(figures.get("warned", 0)),
            timely=int(figures.get("timely", 0)),
            warning_time_h=figures.get("mean_warning_time_h"),
            likelihood_pct=fmean(a.likelihood_pct for a in mine) if mine else None,
            high_confidence=sum(1 for a in mine if a.confidence == "high"),
            assessments_received=sum(1 for a in assessments if nation in a.shared_with),
            conjunction_warnings=len(own_warnings.get(nation, {}).get("conjunctions", [])),
            close_approaches=len(own_warnings.get(nation, {}).get("close_approaches", [])),
            warnings_received=sum(1 for w in alerts if nation in w.shared_with),
            actionable_warnings=sum(
                1 for w in held if isinstance(w, ConjunctionWarning) and w.action_threshold_exceeded
            ),
        )
    return out


def assessment_outcomes(move: int, bodies: Sequence[EventBody]) -> list[AssessmentOutcome]:
    """Which hostile injects each nation assessed this move, whether warned, how long before,
    and its attribution likelihood and confidence (its own assessments)."""
    return [
        AssessmentOutcome(
            nation=b.nation,
            inject_id=b.inject_id,
            move=move,
            warned=b.warned,
            warning_time_h=b.warning_time_h,
            likelihood_pct=b.likelihood_pct,
            confidence=b.confidence,
        )
        for b in bodies
        if isinstance(b, ThreatAssessed)
    ]
