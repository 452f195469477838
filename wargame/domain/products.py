"""SSA products a nation releases to partners, standing sharing agreements, and what is in force."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wargame.domain.common import Frozen, Identifier, Marking, NationId, SharingLevel, ShortText

ProductKind = Literal["tracks", "warnings", "assessments"]
"""tracks: the nation's own track picture (all of it, some regimes or chosen objects), fused into
the receivers' pictures; warnings: its conjunction and close-approach warnings (as CCSDS CDMs);
assessments: its threat assessments with their evidence (RF geolocation, missile warning...)."""
PRODUCT_KINDS: tuple[ProductKind, ...] = ("tracks", "warnings", "assessments")
Regime = Literal["LEO", "MEO", "GEO", "HEO"]
RELEASE_LEVELS = (SharingLevel.FULL, SharingLevel.DELAYED, SharingLevel.DEGRADED)


class ProductSpec(Frozen):
    """What a product holds. A tracks product covers every object unless it names regimes and/or
    objects; the other kinds hold all of that kind."""

    kind: ProductKind
    regimes: tuple[Regime, ...] = ()
    objects: Annotated[tuple[Identifier, ...], Field(max_length=2000)] = ()

    @model_validator(mode="after")
    def _scope_only_for_tracks(self) -> ProductSpec:
        if self.kind != "tracks" and (self.regimes or self.objects):
            raise ValueError(f"only a tracks product has a scope (regimes, objects), not {self.kind}")
        return self

    @property
    def label(self) -> str:
        if self.kind != "tracks":
            return self.kind
        parts = [*self.regimes, *(f"{len(self.objects)} objects" for _ in [0] if self.objects)]
        return "tracks" + (f" ({', '.join(parts)})" if parts else " (all)")


class ReleasedProduct(Frozen):
    """A product a nation has released and not withdrawn."""

    product_id: Identifier
    product: ProductSpec
    marking: Marking
    level: SharingLevel
    recipients: tuple[NationId, ...]
    """The partners it goes to (within its marking)."""
    effective: dict[NationId, int]
    """The move from which each recipient receives it (after the foreign-disclosure review,
    unless a standing agreement covers the pair and the kind)."""
    released_move: int

    def received_by(self, nation: str, move: int) -> bool:
        return nation in self.recipients and self.effective.get(nation, move + 1) <= move


class SharingAgreement(Frozen):
    """A standing agreement between nations: their releases of these product kinds to each other
    skip the foreign-disclosure review (ruleset disclosure.review_moves) and arrive at once."""

    id: Identifier
    title: ShortText = ""
    nations: Annotated[tuple[NationId, ...], Field(min_length=2)]
    products: tuple[ProductKind, ...] = PRODUCT_KINDS

    def covers(self, releaser: str, receiver: str, kind: ProductKind) -> bool:
        return releaser in self.nations and receiver in self.nations and kind in self.products


def review_free(
    agreements: tuple[SharingAgreement, ...], releaser: str, receiver: str, kind: ProductKind
) -> bool:
    """Whether a standing agreement lets this release skip the disclosure review."""
    return any(a.covers(releaser, receiver, kind) for a in agreements)
