"""Shared vocabulary of the domain: ids, enums and the frozen base model."""

from __future__ import annotations

from collections.abc import Sized
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Immutable model that rejects unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime, normalised to UTC."""

Identifier = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
]
"""An id used in scenarios and commands: letters, digits and _ . : - ."""

NationId = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Z][A-Z0-9_]*$")]
"""A nation or team code such as USA, GBR or RED."""

def _is_zero(value: float) -> bool:
    return value == 0.0


ZeroOmitted = Annotated[float, Field(exclude_if=_is_zero)]
"""A number that defaults to 0 and is left out of dumps when 0: a field added to an existing
order or event, so what was written before it existed dumps (and hashes) the same."""


def _is_true(value: bool) -> bool:
    return value is True


TrueOmitted = Annotated[bool, Field(exclude_if=_is_true)]
"""A flag that defaults to True and is left out of dumps when True: like ZeroOmitted, for a flag
added to an existing event, so what was written before it existed dumps (and hashes) the same."""


def _is_empty(value: Sized) -> bool:
    return len(value) == 0


EmptyOmitted = Field(exclude_if=_is_empty)
"""Annotated metadata for a tuple or dict added to an existing event (default empty): left out of
dumps when empty, so what was written before it existed dumps (and hashes) the same."""


def _is_none(value: object) -> bool:
    return value is None


NoneOmitted = Field(exclude_if=_is_none)
"""Annotated metadata for an optional field added to an existing model (default None): left out
of dumps when None, like ZeroOmitted."""

FreeText = Annotated[str, Field(max_length=4000)]
ShortText = Annotated[str, Field(max_length=200)]


class MissionArea(StrEnum):
    PNT = "PNT"
    SATCOM = "SATCOM"
    ISR = "ISR"
    MISSILE_WARNING = "MISSILE_WARNING"
    SSA = "SSA"
    WEATHER = "WEATHER"


class AssetStatus(StrEnum):
    NOMINAL = "nominal"
    SAFE_MODE = "safe_mode"
    DEGRADED = "degraded"
    DISABLED = "disabled"
    DESTROYED = "destroyed"


class SharingLevel(StrEnum):
    """How a nation releases its SSA tracks to one partner."""

    WITHHOLD = "withhold"
    FULL = "full"
    DELAYED = "delayed"
    DEGRADED = "degraded"


class InjectType(StrEnum):
    DIRECT_ASCENT_ASAT = "direct_ascent_asat"
    CO_ORBITAL = "co_orbital"
    CLOSE_APPROACH = "close_approach"
    LASER_DAZZLE = "laser_dazzle"
    LASER_DAMAGE = "laser_damage"
    HIGH_POWER_MICROWAVE = "high_power_microwave"
    NUCLEAR_DETONATION = "nuclear_detonation"
    UPLINK_JAMMING = "uplink_jamming"
    DOWNLINK_JAMMING = "downlink_jamming"
    SPOOFING = "spoofing"
    CYBER_INTERCEPT = "cyber_intercept"
    CYBER_CORRUPTION = "cyber_corruption"
    CYBER_SEIZURE = "cyber_seizure"
    SPACE_WEATHER = "space_weather"
    CONJUNCTION = "conjunction"
    MESSAGE = "message"
    """A scenario message with no physical effect (news, tasking, political pressure)."""


class Releasability(StrEnum):
    NOFORN = "NOFORN"
    REL = "REL"
    REL_FVEY = "REL FVEY"
    REL_CSPO = "REL CSPO"
    REL_ALL = "REL ALL-PARTICIPANTS"
    PUBLIC = "PUBLIC"


class Marking(Frozen):
    """A releasability marking: NOFORN, REL to named nations (and groups), REL FVEY, REL CSPO,
    REL ALL-PARTICIPANTS or PUBLIC."""

    releasability: Releasability = Releasability.NOFORN
    releasable_to: tuple[str, ...] = ()
    """For REL: the nations (and scenario groups, e.g. FVEY) released to."""

    @property
    def label(self) -> str:
        """As printed on screens and exports: 'NOFORN', 'REL USA, GBR', 'REL FVEY', ..."""
        if self.releasability is Releasability.REL:
            return "REL " + ", ".join(self.releasable_to)
        return self.releasability.value


def utc_now() -> datetime:
    return datetime.now(UTC)
