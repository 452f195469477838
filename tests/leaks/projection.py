"""What a seat receives of each event it is entitled to, field by field (docs/protocol.md: teams
get no seq, hash or audience; `member` only on their own events; a receiver sees itself alone
among recipients; a partner's shared item comes with `shared_by` and its marking, not the list
it was shared with), and the matching of a seat's stream to the log."""

from __future__ import annotations

from tests.leaks.markings import JsonDict, inject_marking, marking_label

PRODUCT_OF = {
    "conjunction_warning": "warnings",
    "close_approach_detected": "warnings",
    "threat_assessed": "assessments",
}
"""A nation's items a partner may receive only through a released product of that kind."""
PLAYER_INJECT_FIELDS = (
    "id",
    "serial",
    "title",
    "type",
    "sender",
    "channel",
    "text",
    "releasability",
    "releasable_to",
)
"""What a player reads of an inject: no controller notes, parameters, conditions or expectations."""
RECIPIENT_LISTS = ("product_released", "product_withdrawn", "inject_forwarded")


class SeatProjection:
    """The projection half of the oracle (tests/leaks/entitlement.py): `may_see` decides."""

    events: list[JsonDict]

    def may_see(self, viewer: str, seq: int) -> bool:
        raise NotImplementedError

    def project(self, viewer: str, e: JsonDict) -> JsonDict | None:
        """Exactly what `viewer` may receive of control event `e` (None: nothing)."""
        if not self.may_see(viewer, e["seq"]):
            return None
        header: JsonDict = {key: e[key] for key in ("at", "scenario_time", "move", "type")}
        header["actor"] = e["actor"] if e["actor"].startswith("team:") else "white_cell"
        if e.get("member") and e["actor"] == viewer:
            header["member"] = e["member"]
        nation = viewer.removeprefix("team:") if viewer.startswith("team:") else None
        return {**header, "body": self._body(nation, e)}

    def _body(self, nation: str | None, e: JsonDict) -> JsonDict:
        kind, body = e["type"], dict(e["body"])
        if kind == "move_closing":  # not which command closed it, nor its lease
            return {"move": body["move"]}
        if kind == "inject_released":
            inject = body["inject"]
            shown = {k: inject.get(k) for k in PLAYER_INJECT_FIELDS}
            shown["releasable_to"] = list(shown["releasable_to"] or [])
            shown["marking"] = marking_label(inject_marking(inject))
            return {"inject": shown, "adhoc": body.get("adhoc", False)}
        if kind == "picture_updated":
            ref = body["picture"]
            return {
                "nation": body["nation"],
                "move": body["move"],
                "held": ref["held"],
                "by_source": ref.get("by_source", {}),
                "precise": ref.get("precise"),
                "url": f"/api/picture?move={body['move']}",
            }
        if kind == "asset_status_changed":
            if body.get("owner") == nation and body.get("noticed_by_owner", True):
                seen = {k: v for k, v in body.items() if k not in ("observers", "team_cause")}
                if body.get("team_cause"):  # a white-cell override: teams read the correction, not the word
                    seen["cause"] = body["team_cause"]
                return seen
            return {k: body.get(k) for k in ("asset_id", "owner", "status")}
        if kind in PRODUCT_OF and body["nation"] != nation:
            shared = body.pop("shared_with", {})
            return {**body, "shared_by": body["nation"], "marking": shared.get(nation or "")}
        if kind in RECIPIENT_LISTS and body["nation"] != nation:
            body["recipients"] = [nation]
            if "effective" in body:
                body["effective"] = {nation: body["effective"].get(nation)}
        return body

    def align(self, viewer: str, stream: list[JsonDict]) -> tuple[list[int | None], list[str]]:
        """Match each event of a seat's stream (in order, without `pos`) to the control event it
        is the entitled projection of: (the matched seqs, a problem per event matching none)."""
        seqs: list[int | None] = []
        problems: list[str] = []
        i = 0
        for item in stream:
            item = {k: v for k, v in item.items() if k != "pos"}
            j = i
            while j < len(self.events) and self.project(viewer, self.events[j]) != item:
                j += 1
            if j < len(self.events):
                seqs.append(self.events[j]["seq"])
                i = j + 1
                continue
            seqs.append(None)
            problems.append(f"{viewer}: {self.explain(viewer, item, i)}")
        return seqs, problems

    def explain(self, viewer: str, item: JsonDict, start: int = 0) -> str:
        """Why a received event is no entitled projection: the nearest control event of its type."""
        same = [e for e in self.events[start:] if e["type"] == item.get("type") and e["at"] == item.get("at")]
        for e in same:
            expected = self.project(viewer, e)
            if expected is None:
                continue
            diff = {k for k in set(expected) | set(item) if expected.get(k) != item.get(k)}
            body = expected.get("body", {}), item.get("body", {})
            fields = {k for k in set(body[0]) | set(body[1]) if body[0].get(k) != body[1].get(k)}
            return f"{item.get('type')} differs from seq {e['seq']} in {sorted(diff)} body {sorted(fields)}"
        if same:
            return f"{item.get('type')} (seq {same[0]['seq']}) is not for {viewer}: {str(item)[:300]}"
        return f"{item.get('type')} matches no event of the log: {str(item)[:300]}"

    def check_event(self, viewer: str, e: JsonDict, received: JsonDict | None) -> list[str]:
        """Problems with what `viewer` got of control event `e` (None: nothing): a leak (not
        entitled, or other fields), or an entitled event it did not get."""
        expected = self.project(viewer, e)
        if received == expected:
            return []
        if expected is None:
            return [f"{viewer} got seq {e['seq']} {e['type']} it is not entitled to: {str(received)[:300]}"]
        if received is None:
            if e["type"] == "threat_assessed":
                return []  # the core may tell fewer nations than the oracle allows (forwards)
            return [f"{viewer} did not get seq {e['seq']} {e['type']} it is entitled to"]
        return [f"{viewer}: {self.explain(viewer, received)}"]
