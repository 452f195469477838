"""Creating an exercise from scenario and ruleset files, with its seats and join links."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from wargame.domain.events import ExerciseCreated
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.server.models import Exercise
from wargame.server.runtime import get_service
from wargame.server.seats import IssuedSeat, issue_default_seats


@dataclass(frozen=True)
class CreatedExercise:
    exercise_id: str
    title: str
    seats: list[IssuedSeat]


def create_exercise(
    scenario: str | Path,
    ruleset: str | Path | None = None,
    title: str | None = None,
    seed: int | None = None,
    tell: Callable[[str], None] | None = None,
) -> CreatedExercise:
    """Load and validate the files, record `exercise_created`, and issue one seat per role;
    `tell` hears each step as it starts (the command line's progress)."""
    step = tell or (lambda message: None)
    step("loading the scenario")
    scenario_model, background = load_scenario_parts(find_scenario(scenario))
    step(f"loading the ruleset ({len(background)} background objects read)")
    ruleset_model = load_ruleset(find_ruleset(ruleset or scenario_model.ruleset))
    exercise_id = uuid.uuid4().hex[:12]
    created = ExerciseCreated(
        title=title or scenario_model.title,
        scenario=scenario_model,
        ruleset=ruleset_model,
        seed=scenario_model.seed if seed is None else seed,
    )
    step("recording the exercise and issuing its seats")
    with transaction.atomic():
        exercise = Exercise.objects.create(
            id=exercise_id, title=created.title, scenario_id=scenario_model.id
        )
        get_service().create(exercise_id, created, background)
        seats = issue_default_seats(exercise, scenario_model)
    return CreatedExercise(exercise_id=exercise_id, title=created.title, seats=seats)


def format_links(created: CreatedExercise, base_url: str) -> str:
    lines = [f"Exercise {created.exercise_id}: {created.title}", "Join links (keep them secret):"]
    width = max(len(s.label) for s in created.seats)
    lines += [f"  {s.label.ljust(width)}  {s.link(base_url)}" for s in created.seats]
    return "\n".join(lines)
