"""The releasability ladder for the leak tests' oracle, read from the scenario and ruleset as
plain JSON (DOMAIN.md: NOFORN -> REL <nations> -> REL FVEY -> REL CSPO -> REL ALL -> PUBLIC), not
from domain.releasability, which it checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

JsonDict = dict[str, Any]
OBSERVER = "observer"
ALL_KINDS = ("tracks", "warnings", "assessments")


def marking_label(marking: JsonDict) -> str:
    if marking["releasability"] == "REL":
        return "REL " + ", ".join(marking.get("releasable_to") or [])
    return str(marking["releasability"])


def inject_marking(inject: JsonDict) -> JsonDict:
    return {
        "releasability": inject["releasability"],
        "releasable_to": list(inject.get("releasable_to") or []),
    }


def same_marking(a: JsonDict | None, b: JsonDict | None) -> bool:
    if a is None or b is None:
        return a is b
    return a["releasability"] == b["releasability"] and list(a.get("releasable_to") or []) == list(
        b.get("releasable_to") or []
    )


class Rules:
    """The scenario's nations and groups, and the releasability ladder over them."""

    def __init__(self, scenario: JsonDict, ruleset: JsonDict) -> None:
        self.nations = {n["id"]: n for n in scenario["nations"]}
        self.played = [n["id"] for n in scenario["nations"] if n.get("played", True)]
        self.groups = {g for n in scenario["nations"] for g in n.get("groups", [])}
        self.personas = {p["id"]: p.get("nation") for p in scenario.get("personas", [])}
        self.agreements = list(scenario.get("agreements", []))
        self.review_moves = int((ruleset.get("disclosure") or {}).get("review_moves", 0))
        self.observable_by = {k: v["observable_by"] for k, v in ruleset.get("effects", {}).items()}
        self.objects = {o["id"]: o for o in scenario.get("objects", [])}
        self.spare_owners = {o["id"]: o["owner"] for o in scenario.get("spares", [])}
        self.msel_ids = [i["id"] for i in scenario.get("msel", [])]

    def members(self, group: str) -> set[str]:
        return {n for n in self.played if group in self.nations[n].get("groups", [])}

    def participants(self) -> set[str]:
        """REL ALL-PARTICIPANTS: every played nation of the coalition (blue and commercial)."""
        return {n for n in self.played if self.nations[n].get("side", "blue") != "red"}

    def releasable(self, marking: JsonDict, originator: str | None) -> set[str] | None:
        """The played nations a marking lets an item reach (its originator always); None: PUBLIC."""
        kind = marking["releasability"]
        own = {originator} & set(self.played) if originator else set()
        if kind == "PUBLIC":
            return None
        if kind == "NOFORN":
            return own
        if kind == "REL FVEY":
            return self.members("FVEY") | own
        if kind == "REL CSPO":
            return self.members("CSPO") | own
        if kind == "REL ALL-PARTICIPANTS":
            return self.participants() | own
        assert kind == "REL", kind
        named: set[str] = set()
        for name in marking.get("releasable_to") or []:
            named |= self.members(name) if name in self.groups and name not in self.nations else {name}
        return (named & set(self.played)) | own

    def reach(self, marking: JsonDict, recipients: Iterable[str], originator: str | None) -> set[str] | None:
        """Who an addressed item reaches: its recipients within the marking, or with none named
        everyone the marking allows; None for a PUBLIC item addressed to no one (every seat)."""
        wanted = set(recipients)
        played = set(self.played)
        if marking["releasability"] == "PUBLIC":
            return (wanted & played) if wanted else None
        if marking["releasability"] == "NOFORN":
            if len(wanted) > 1:
                return set()
            return (wanted or ({originator} if originator else set())) & played
        allowed = self.releasable(marking, originator) or set()
        return (wanted & allowed) if wanted else allowed

    def originator(self, inject: JsonDict) -> str | None:
        persona = inject.get("persona")
        return self.personas.get(persona) if persona else None

    def review_free(self, releaser: str, receiver: str, kind: str) -> bool:
        return any(
            releaser in a["nations"] and receiver in a["nations"] and kind in a.get("products", ALL_KINDS)
            for a in self.agreements
        )

    def teams(self, nations: Iterable[str] | None) -> set[str]:
        """Viewers of these nations' teams (None: every seat, observers too)."""
        if nations is None:
            return {OBSERVER, *(f"team:{n}" for n in self.played)}
        return {f"team:{n}" for n in nations if n in self.played}
