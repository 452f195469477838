"""Adjudication core v1: pure, deterministic, vectorized resolution of a move (numpy + sgp4)."""

from wargame.adjudication import threads  # noqa: F401  (thread policy first)
from wargame.adjudication.move import adjudicate_move, initial_pictures
from wargame.adjudication.preview import preview

__all__ = ["adjudicate_move", "initial_pictures", "preview"]
