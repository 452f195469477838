"""How a new effect combines with an asset's current status: severity, end move, reversibility."""

from __future__ import annotations

from wargame.domain.common import AssetStatus

SEVERITY: tuple[AssetStatus, ...] = (
    AssetStatus.NOMINAL,
    AssetStatus.SAFE_MODE,
    AssetStatus.DEGRADED,
    AssetStatus.DISABLED,
    AssetStatus.DESTROYED,
)
"""Asset statuses from the mildest to the worst."""


def combined_status(
    current: AssetStatus, current_until: int | None, new: AssetStatus, new_until: int | None
) -> tuple[AssetStatus, int | None]:
    """Status and end move after a new effect lands on an asset: the worse status wins; at the
    same status the later end (None: until restored) wins. A milder effect changes nothing."""
    if SEVERITY.index(new) > SEVERITY.index(current):
        return new, new_until
    if new != current:
        return current, current_until
    if current_until is None or new_until is None:
        return current, None
    return current, max(current_until, new_until)


def combined_reversible(
    current: AssetStatus, current_reversible: bool, new: AssetStatus, new_reversible: bool
) -> bool:
    """Whether the white cell may restore the asset after a new effect lands (see combined_status):
    a worse status brings its own reversibility; a milder one leaves the current status's; at the
    same status an irreversible effect makes it irreversible. Nominal is always reversible."""
    if new == current == AssetStatus.NOMINAL:
        return True
    if SEVERITY.index(new) > SEVERITY.index(current):
        return new_reversible
    if new != current:
        return current_reversible
    return current_reversible and new_reversible
