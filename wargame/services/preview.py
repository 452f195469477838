"""The Monte Carlo preview use case: sample outcomes of an inject or a whole move, changing nothing."""

from __future__ import annotations

from typing import Any

from wargame.adjudication.preview import preview
from wargame.domain.state import ExerciseState


class UnknownInject(LookupError):
    pass


def preview_outcomes(state: ExerciseState, inject_id: str | None, n_samples: int) -> dict[str, Any]:
    """The outcome distribution of one MSEL inject (or, with None, of the open move's injects)."""
    inject = None
    if inject_id is not None:
        entry = state.injects.get(inject_id)
        if entry is None:
            raise UnknownInject(inject_id)
        inject = entry.inject
    result = preview(state, inject, n_samples)
    return {"inject_id": inject_id, "move": state.move, "n_samples": n_samples, **result}
