"""The value-of-sharing analysis as the log records it: sharing variants, the request, progress
and the per-nation, per-move outcomes of each variant."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wargame.domain.common import Frozen, Identifier, Marking, NationId, ShortText

VariantKind = Literal["as_played", "all_full", "none", "no_review", "withhold", "open", "without_release"]
"""as_played: the sharing events as recorded; all_full: every played nation releases its
tracks, warnings and assessments to every other at full from the start, with no disclosure
review (its recorded releases replaced); none: no releases, policies or forwards at all;
no_review: the releases as played, each effective from its own move (no disclosure review);
withhold: one nation's releases, policies and forwards removed; open: one nation releases
everything to all from the start (its recorded releases replaced); without_release: one recorded
product release (and its withdrawal) removed, all else as played."""
NATION_KINDS = frozenset({"withhold", "open"})
REQUESTABLE_KINDS: tuple[VariantKind, ...] = (
    "as_played", "all_full", "none", "no_review", "withhold", "open"
)
"""What a request may name; the runner adds `without_release` per recorded release (per_release)."""
MAX_RELEASE_VARIANTS = 24
"""At most this many per-release variants are run (the first releases of the log); the
releasing nations' `withhold` variants cover the rest."""


class SharingVariant(Frozen):
    """One way the exercise's sharing could have gone, everything else held as played."""

    kind: VariantKind
    nation: NationId | None = None
    """The nation of a `withhold` or `open` variant."""
    product_id: Identifier | None = None
    """The recorded release of a `without_release` variant."""

    @model_validator(mode="after")
    def _arguments(self) -> SharingVariant:
        needs_nation, needs_product = self.kind in NATION_KINDS, self.kind == "without_release"
        if needs_nation != (self.nation is not None):
            raise ValueError(f"a {self.kind} variant {'needs' if needs_nation else 'takes no'} nation")
        if needs_product != (self.product_id is not None):
            raise ValueError(f"a {self.kind} variant {'needs' if needs_product else 'takes no'} product_id")
        return self

    @property
    def key(self) -> str:
        """'as_played', 'withhold:USA', 'without_release:P-1a2b3c4d5e'."""
        arg = self.nation or self.product_id
        return self.kind if arg is None else f"{self.kind}:{arg}"

    @property
    def label(self) -> str:
        """The variant in words, for tables."""
        match self.kind:
            case "as_played":
                return "as played"
            case "all_full":
                return "everyone shares everything in full"
            case "none":
                return "nobody shares"
            case "no_review":
                return "no disclosure review"
            case "withhold":
                return f"{self.nation} releases nothing"
            case "open":
                return f"{self.nation} releases everything in full"
        return f"without release {self.product_id}"


AS_PLAYED = SharingVariant(kind="as_played")


class NationOutcome(Frozen):
    """What one nation had at the end of one move's adjudication under one variant."""

    custody: int = 0
    """Objects its fused picture holds (MoveAdjudicated.custody)."""
    precise_custody: int | None = None
    """Objects held at conjunction grade (None: the ruleset sets no precise_sigma_km)."""
    assessed: int = 0
    """Hostile injects it assessed this move (its own threat_assessed)."""
    warned: int = 0
    """Of those, how many it had warning of (held the threat before the effect)."""
    timely: int = 0
    """Warned at least warning.timely_hours before the effect."""
    warning_time_h: float | None = None
    """Mean warning time over the warned ones, hours (None: none warned)."""
    likelihood_pct: float | None = None
    """Mean attribution likelihood over its assessments, percent (None: none)."""
    high_confidence: int = 0
    """Assessments held at high confidence."""
    assessments_received: int = 0
    """Partners' assessments that reached it through their products."""
    conjunction_warnings: int = 0
    """Its own conjunction warnings."""
    close_approaches: int = 0
    """Close approaches it detected itself."""
    warnings_received: int = 0
    """Partners' conjunction and close-approach warnings that reached it through their products."""
    actionable_warnings: int = 0
    """Conjunction warnings it holds (its own and received) whose Pc reaches pc_mitigation."""


class AssessmentOutcome(Frozen):
    """One nation's own assessment of one hostile inject under one variant."""

    nation: NationId
    inject_id: Identifier
    move: int
    warned: bool
    warning_time_h: float | None = None
    likelihood_pct: float
    confidence: Literal["low", "moderate", "high"]


class VariantOutcome(Frozen):
    """The outcome of one variant, per move (1..) and played nation."""

    variant: SharingVariant
    by_move: dict[int, dict[NationId, NationOutcome]]
    assessments: tuple[AssessmentOutcome, ...] = ()
    from_move: int | None = 0
    """The first move it adjudicated again (0: the start); earlier moves are as played (the same
    inputs). None: it changes nothing the core reads, so every move is as played."""
    seconds: float = 0.0
    """Computing time of the moves it adjudicated again."""


class ReleaseInfo(Frozen):
    """A recorded product release, as the per-release variants name it."""

    product_id: Identifier
    nation: NationId
    kind: Literal["tracks", "warnings", "assessments"]
    marking: Marking
    move: int
    """The move it was released in."""
    recipients: tuple[NationId, ...] = ()


class SharingAnalysisResult(Frozen):
    """Every variant's outcome on the log up to `through_seq`, and whether re-adjudicating the
    sharing as played reproduced the recorded adjudication exactly."""

    through_seq: int
    nations: tuple[NationId, ...]
    moves: tuple[int, ...]
    exact: bool
    """As played gives the recorded core events, bodies and picture digests, move for move."""
    mismatch: ShortText = ""
    """Where it first differed, when not exact."""
    variants: Annotated[tuple[VariantOutcome, ...], Field(min_length=1)]
    """As played first."""
    releases: tuple[ReleaseInfo, ...] = ()
    """The recorded releases the per-release variants remove."""
    seconds: float = 0.0

    def outcome(self, key: str) -> VariantOutcome | None:
        return next((v for v in self.variants if v.variant.key == key), None)


AnalysisPhase = Literal["requested", "running", "done", "failed"]


class AnalysisStatus(Frozen):
    """Where one requested analysis stands (ExerciseState.analyses)."""

    analysis_id: Identifier
    requested_seq: int
    through_seq: int
    variants: tuple[SharingVariant, ...] = ()
    per_release: bool = True
    phase: AnalysisPhase = "requested"
    done: int = 0
    total: int = 0
    step: ShortText = ""
    result_seq: int | None = None
    """The seq of its sharing_analysis_completed event."""
    reason: ShortText = ""
    """Why it failed."""
