"""Releasability markings: who may receive an item, from its marking, originator and the groups."""

from __future__ import annotations

from collections.abc import Iterable

from wargame.domain.common import Marking as Marking
from wargame.domain.common import Releasability
from wargame.domain.scenario_model import Scenario

GROUP_MARKINGS: dict[Releasability, str] = {Releasability.REL_FVEY: "FVEY", Releasability.REL_CSPO: "CSPO"}
"""Markings that release to a nation group, and the group (Nation.groups) each names."""


def group_members(scenario: Scenario, group: str) -> set[str]:
    """Played nations whose `groups` contain `group`."""
    return {n.id for n in scenario.nations if n.played and group in n.groups}


def participants(scenario: Scenario) -> set[str]:
    """REL ALL-PARTICIPANTS: every played nation not on the red side."""
    return {n.id for n in scenario.nations if n.played and n.side != "red"}


def releasable_nations(marking: Marking, originator: str | None, scenario: Scenario) -> set[str] | None:
    """The played nations an item with this marking may reach, its originator included;
    None for PUBLIC (everyone, observers too). NOFORN: the originator alone."""
    played = set(scenario.played_nations())
    own = {originator} & played if originator else set()
    kind = marking.releasability
    if kind is Releasability.PUBLIC:
        return None
    if kind is Releasability.NOFORN:
        return own
    if kind is Releasability.REL_ALL:
        return participants(scenario) | own
    if kind in GROUP_MARKINGS:
        return group_members(scenario, GROUP_MARKINGS[kind]) | own
    named: set[str] = set()
    groups = {g for n in scenario.nations for g in n.groups}
    for name in marking.releasable_to:
        named |= group_members(scenario, name) if name in groups and name not in played else {name}
    return (named & played) | own


def unknown_names(marking: Marking, scenario: Scenario) -> list[str]:
    """Names in a REL marking that are neither a nation nor a group of the scenario."""
    nations = {n.id for n in scenario.nations}
    groups = {g for n in scenario.nations for g in n.groups}
    return [name for name in marking.releasable_to if name not in nations and name not in groups]


def marking_problem(
    marking: Marking, originator: str | None, recipients: Iterable[str], scenario: Scenario
) -> str | None:
    """Why recipients and marking disagree, in words (None: they agree).

    A NOFORN item goes to one nation: its single recipient, or without recipients its
    originator (an inject's persona nation); other markings must allow every recipient."""
    if marking.releasability is Releasability.REL and not marking.releasable_to:
        return "a 'REL' marking needs the nations it releases to (releasable_to)"
    if marking.releasability is not Releasability.REL and marking.releasable_to:
        return f"only a 'REL' marking names nations, not {marking.label!r}"
    unknown = unknown_names(marking, scenario)
    if unknown:
        return f"{marking.label}: unknown nations or groups {unknown}"
    wanted = list(dict.fromkeys(recipients))
    if marking.releasability is Releasability.NOFORN:
        if len(wanted) > 1:
            return f"NOFORN goes to one nation only, not to {', '.join(wanted)}"
        if not wanted and originator is None:
            return "NOFORN needs its one nation: a single recipient (or a persona with a nation)"
        if wanted and originator is not None and wanted[0] != originator:
            return f"NOFORN to {wanted[0]}, but the item speaks for {originator}"
        return None
    allowed = releasable_nations(marking, originator, scenario)
    if allowed is None:
        return None
    outside = [n for n in wanted if n not in allowed]
    if outside:
        return f"{marking.label} does not release to {', '.join(outside)}"
    return None


def delivered_to(
    marking: Marking, originator: str | None, recipients: Iterable[str], scenario: Scenario
) -> set[str] | None:
    """The played nations an item reaches: its recipients (which the marking must allow:
    `marking_problem`), or when it names none, every nation the marking allows; None for
    PUBLIC without recipients, which reaches every seat, observers included."""
    wanted = set(recipients)
    if marking.releasability is Releasability.PUBLIC:
        return wanted or None
    if marking.releasability is Releasability.NOFORN:
        return wanted or ({originator} if originator else set())
    allowed = releasable_nations(marking, originator, scenario) or set()
    return (wanted & allowed) if wanted else allowed


def within(narrow: Marking, wide: Marking, originator: str | None, scenario: Scenario) -> bool:
    """Whether `narrow` releases to no nation `wide` does not (forwarding may only narrow)."""
    outer = releasable_nations(wide, originator, scenario)
    if outer is None:
        return True
    inner = releasable_nations(narrow, originator, scenario)
    return inner is not None and inner <= outer
