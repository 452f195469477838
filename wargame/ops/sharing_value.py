"""`wargame aar sharing-value EXERCISE [--variant V]... [--record | --recorded] [--json]`: the
value-of-sharing tables of an exercise, computed here (progress on stderr), recorded in its log
(--record: as the facilitator, like request_sharing_analysis), or the latest recorded (--recorded)."""

from __future__ import annotations

import json
import sys
from typing import Any

from wargame.aar.sharing_analysis import analyse, plan_variants
from wargame.aar.sharing_value import sharing_value_markdown, value_of
from wargame.cli.common import FAILED, INVALID, NOT_FOUND, CliError
from wargame.domain.audience import Role, Seat
from wargame.domain.background import EMPTY_CATALOG
from wargame.domain.commands import RequestSharingAnalysis
from wargame.domain.events import ExerciseCreated
from wargame.domain.sharing_analysis import REQUESTABLE_KINDS, SharingVariant
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.sharing_analysis import AnalysisRunner, analyses_view

FACILITATOR = Seat(role=Role.FACILITATOR, label="Facilitator (command line)")


def parse_variant(text: str) -> SharingVariant:
    """'all_full', 'none', 'no_review', 'withhold:USA', 'open:JPN'."""
    kind, _, nation = text.partition(":")
    if kind not in REQUESTABLE_KINDS:
        raise ValueError(f"{text!r}: a variant is one of {', '.join(REQUESTABLE_KINDS)} "
                         "(withhold and open take :NATION)")
    try:
        return SharingVariant.model_validate({"kind": kind, "nation": nation or None})
    except ValueError as exc:
        raise ValueError(f"{text!r}: {' '.join(str(exc).split())}") from exc


def _progress(done: int, total: int, step: str) -> None:
    print(f"[{done}/{total}] {step}", file=sys.stderr, flush=True)


def sharing_value(
    exercise_id: str,
    variants: list[SharingVariant],
    per_release: bool = True,
    mode: str = "compute",
    as_json: bool = False,
    service: ExerciseService | None = None,
) -> int:
    """Compute (`mode` compute), record (record) or print the latest recorded (recorded) analysis
    of `service`'s exercise (default service: the Django store, the core inline). CliError: 3 for
    an unknown exercise or no recorded analysis, 4 when the request is refused, 1 when it fails."""
    if service is None:
        from wargame.server.store import DjangoEventStore

        service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    if service.store.read_last_seq(exercise_id) == 0:
        raise CliError(f"no exercise {exercise_id!r}", NOT_FOUND)
    if mode == "recorded":
        latest = analyses_view(service, exercise_id)["latest"]
        if latest is None:
            raise CliError(f"exercise {exercise_id!r} has no recorded sharing analysis", NOT_FOUND)
    elif mode == "record":
        latest = _record(service, exercise_id, variants, per_release)
    else:
        latest = _compute(service, exercise_id, variants, per_release)
    if as_json:
        print(json.dumps(latest, indent=2, sort_keys=True))
    else:
        print("\n".join(sharing_value_markdown({"latest": latest, "analyses": []})))
    return 0


def _compute(service: ExerciseService, exercise_id: str, requested: list[SharingVariant],
             per_release: bool) -> dict[str, Any]:
    events = service.store.read_after(exercise_id, 0)
    created = events[0].body
    assert isinstance(created, ExerciseCreated)
    background = EMPTY_CATALOG if created.catalog is None else service.catalog(created.catalog)
    defaults = [SharingVariant(kind=k) for k in ("all_full", "none", "no_review")]
    variants = plan_variants(events, requested or defaults, per_release)
    result = analyse(events, variants, background, _progress)
    return {"analysis_id": "(not recorded)", "seq": None, **value_of(result)}


def _record(service: ExerciseService, exercise_id: str, requested: list[SharingVariant],
            per_release: bool) -> dict[str, Any]:
    command = RequestSharingAnalysis(type="request_sharing_analysis", variants=tuple(requested),
                                     per_release=per_release)
    command_id = f"cli-sharing-{service.store.read_last_seq(exercise_id)}"
    result, events = service.handle_events(exercise_id, FACILITATOR, command_id, command)
    if result["status"] != "accepted":
        raise CliError(f"{result['code']}: {result['message']}", INVALID)
    analysis_id = next(e.body.analysis_id for e in events if e.body.type == "sharing_analysis_requested")
    phase = AnalysisRunner(service, _with_progress(), progress_every_s=0.0).run(exercise_id, analysis_id)
    if phase != "done":
        reason = service.state(exercise_id).analyses[analysis_id].reason
        raise CliError(f"analysis {analysis_id} {phase}: {reason}", FAILED)
    latest: dict[str, Any] = analyses_view(service, exercise_id)["latest"]
    return latest


def _with_progress() -> Any:
    def compute(events: Any, variants: Any, background: Any, progress: Any) -> Any:
        def both(done: int, total: int, step: str) -> None:
            _progress(done, total, step)
            if progress is not None:
                progress(done, total, step)

        return analyse(events, variants, background, both)

    return compute
