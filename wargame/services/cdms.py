"""The CDM of a conjunction warning for a seat: which warnings a seat holds, and their KVN text."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.adjudication.cdm_export import render_cdm
from wargame.domain.audience import is_control_viewer, nation_of
from wargame.domain.state import ExerciseState, Warning
from wargame.services.refusals import Refused

CDM_CONTENT_TYPE = "text/plain; charset=utf-8"
"""KVN is plain text; CCSDS registers no media type for it."""
CDM_FORMATS = {"kvn": (CDM_CONTENT_TYPE, "cdm"), "xml": ("application/xml; charset=utf-8", "xml")}
"""format -> (media type, file suffix)."""


class CdmRefused(Refused):
    """Why a seat gets no CDM. A warning the seat does not hold and one that does not exist are
    refused alike."""


@dataclass(frozen=True)
class CdmDocument:
    text: str
    filename: str
    content_type: str = CDM_CONTENT_TYPE


NOT_HELD = "no conjunction warning of that id in this seat's view"
"""The one answer to a warning the seat does not hold, whether or not it exists."""


def _not_held() -> CdmRefused:
    return CdmRefused(404, "not_found", NOT_HELD)


def held_warning(
    state: ExerciseState, viewer: str, warning_id: str, receiver: str | None = None
) -> tuple[Warning, str]:
    """The copy of conjunction warning `warning_id` a CDM is written from, and the nation it is
    for: a team's own warning or one a partner shared with it (`receiver` None or the team's
    own nation); for control, `receiver`'s copy, by default the computing nation's own.
    CdmRefused (404) for anything else, alike whether or not the warning exists."""
    own = nation_of(viewer)
    if is_control_viewer(viewer):
        wanted = receiver
    elif own is not None and receiver in (None, own):
        wanted = own
    else:
        raise _not_held()
    for nation_id, holder in state.nations.items():
        if wanted is not None and nation_id != wanted:
            continue
        for warning in holder.warnings:
            if warning.id != warning_id or warning.kind != "conjunction":
                continue
            if wanted is not None or warning.shared_by is None:
                return warning, nation_id
    raise _not_held()


def cdm_for(
    state: ExerciseState, viewer: str, warning_id: str, receiver: str | None = None, fmt: str = "kvn"
) -> CdmDocument:
    """The CDM of a warning the viewer holds (held_warning), addressed to the nation whose copy
    it is, as KVN or NDM/XML (`fmt`). CdmRefused (404, no_cdm) for a held warning recorded
    before warnings carried their estimated states; (400) for an unknown format."""
    if fmt not in CDM_FORMATS:
        raise CdmRefused(400, "bad_request", f"format must be one of {sorted(CDM_FORMATS)}")
    warning, whose = held_warning(state, viewer, warning_id, receiver)
    estimate = state.nations[warning.nation].encounters.get(warning_id)
    if estimate is None:
        raise CdmRefused(
            404, "no_cdm", f"warning {warning_id!r} has no CDM: its log predates CDMs, or sgp4 "
            "could not place an object at its TCA",
        )
    text = render_cdm(state, warning, estimate, whose, fmt)
    content_type, suffix = CDM_FORMATS[fmt]
    return CdmDocument(text=text, filename=f"{warning_id}-{whose}.{suffix}", content_type=content_type)
