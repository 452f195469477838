"""References to a move's pictures: the blobs they are rendered from, and what each nation holds."""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import Field

from wargame.domain.common import Frozen

Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
"""SHA-256 of a blob, lowercase hex."""


def blob_digest(data: bytes) -> str:
    """The address of a blob: SHA-256 of its bytes, lowercase hex."""
    return hashlib.sha256(data).hexdigest()


class PictureSet(Frozen):
    """The blobs of one move's pictures, for every played nation: the custody record (own tracks,
    releases, public catalog) and true positions at the move's end, with the previous move's,
    from which 'delayed' releases and their epoch come."""

    move: int
    custody: Digest
    truth: Digest
    previous_custody: Digest | None = None
    previous_truth: Digest | None = None


class PictureRef(Frozen):
    """One nation's picture after a move: where it is rendered from and what it holds."""

    pictures: PictureSet
    held: int
    by_source: dict[str, int] = Field(default_factory=dict)
    """Held tracks by source: owner, own, shared, fused, catalog."""
    precise: int | None = None
    """Held tracks at or below custody.precise_sigma_km (None: the ruleset sets no threshold)."""
