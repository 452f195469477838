"""An entitlement oracle for tests: from the full log (control's view of every event, with its
audience) decide, per seat, which events it may receive and exactly what of each.

Written from the rules (DOMAIN.md's releasability ladder, docs/protocol.md, docs/authoring.md),
never by calling the production code it checks (domain.releasability, domain.addressing,
domain.streams, protocol.projection): it reads the scenario and ruleset as plain JSON out of
`exercise_created` and keeps its own account of injects, forwards, products and statuses.
What each seat receives of an event is tests/leaks/projection.py; the ladder of markings
tests/leaks/markings.py; snapshot and text checks tests/leaks/entitlement_views.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tests.leaks.markings import JsonDict, Rules, inject_marking, marking_label, same_marking
from tests.leaks.projection import PRODUCT_OF, SeatProjection

Custody = Callable[[str, int, str], bool | None]
"""(nation, move, object id) -> whether the nation's picture of that move holds the object on
observations (False: held on the public catalog alone; None: not held)."""

PUBLIC_TYPES = frozenset(
    {
        "exercise_started",
        "exercise_paused",
        "exercise_resumed",
        "exercise_ended",
        "move_closing",
        "move_reopened",
        "move_advanced",
        "attribution_published",
        "radiation_belt_formed",
    }
)
"""Public facts: every seat, observers included (an inject is public only when PUBLIC and
addressed to no one in particular)."""
CONTROL_TYPES = frozenset(
    {
        "exercise_created",
        "inject_resolved",
        "move_adjudicated",
        "debris_created",
        "observation_recorded",
        "inject_outcome_forced",
        "status_overridden",
        "debris_removed",
        "collision_undone",
        "move_readjudicated",
        "inject_skipped",
        "inject_held",
        "inject_hold_lifted",
        "inject_retimed",
        "inject_edited",
    }
)
"""Control's alone: ground truth, the white cell's overrides and its handling of the MSEL (with
their reasons). An event type the oracle knows neither here nor below is a problem: its
entitlement must be written down before it can pass."""
OVERRIDE_CAUSE = "white-cell override"
"""The cause of a status the white cell set (override_status, undo_collision, re-adjudication)."""


@dataclass
class Product:
    nation: str
    product_id: str
    kind: str
    spec: JsonDict
    marking: JsonDict
    level: str
    recipients: list[str]
    effective: dict[str, int]
    seq: int
    withdrawn: int | None = None

    def in_force(self, seq: int) -> bool:
        return self.seq < seq and (self.withdrawn is None or self.withdrawn > seq)


@dataclass
class Forward:
    forward_id: str
    nation: str
    inject_id: str
    marking: JsonDict
    recipients: list[str]
    seq: int


@dataclass
class Told:
    """What an owner was told of one asset's (or sensor's) status, the last time."""

    status: str = "nominal"
    until_move: int | None = None


@dataclass
class Facts:
    """The oracle's account of the log, event by event."""

    injects: dict[str, tuple[JsonDict, int, set[str] | None]] = field(default_factory=dict)
    forwards: list[Forward] = field(default_factory=list)
    products: dict[str, Product] = field(default_factory=dict)
    observers: dict[str, set[str]] = field(default_factory=dict)
    """Per asset: nations told of its status since it was last nominal."""
    told: dict[str, list[tuple[int, Told]]] = field(default_factory=dict)
    """Per asset: (seq, what its owner was told), oldest first."""
    known: dict[tuple[str, str], int] = field(default_factory=dict)
    """(nation, inject id) -> the first seq at which the nation knew of the inject."""
    window_end: dict[int, int] = field(default_factory=dict)
    """seq -> seq of the move_advanced or exercise_ended that closes its move."""


class Oracle(SeatProjection):
    """What each seat may receive of a log (`events`: control's projected events, seq order)."""

    def __init__(self, events: list[JsonDict], custody: Custody | None = None) -> None:
        created = events[0]
        assert created["type"] == "exercise_created", created["type"]
        self.events = events
        self.by_seq = {e["seq"]: e for e in events}
        self.rules = Rules(created["body"]["scenario"], created["body"]["ruleset"])
        self.custody = custody
        self.facts = Facts()
        self._shared_to: dict[int, list[str]] = {}
        self.entitled: dict[int, set[str]] = {}
        self.problems: list[str] = []
        """Rule violations in the log itself (an illegal forward, a release effective too early,
        an attribution of an inject its author never knew, ...)."""
        self._windows()
        for event in events:
            self.entitled[event["seq"]] = self._entitle(event)
        for event in events:  # own assessments need the whole move's effects first
            if event["type"] == "threat_assessed":
                self.entitled[event["seq"]] = self._assessment(event)

    # ---- the log, event by event -------------------------------------------------------------

    def _windows(self) -> None:
        pending: list[int] = []
        for event in self.events:
            pending.append(event["seq"])
            if event["type"] in ("move_advanced", "exercise_ended"):
                for seq in pending:
                    self.facts.window_end[seq] = event["seq"]
                pending = []
        for seq in pending:
            self.facts.window_end[seq] = 10**12

    def _know(self, nations: Iterable[str], inject_id: str | None, seq: int) -> None:
        if not inject_id:
            return
        for nation in nations:
            self.facts.known.setdefault((nation, inject_id), seq)

    def knew(self, nation: str, inject_id: str, before: int) -> bool:
        return self.facts.known.get((nation, inject_id), 10**12) < before

    def _entitle(self, e: JsonDict) -> set[str]:
        kind, body, seq, rules = e["type"], e["body"], e["seq"], self.rules
        facts = self.facts
        if kind in PUBLIC_TYPES:
            if kind == "attribution_published" and not self.knew(body["nation"], body["inject_id"], seq):
                self.problems.append(
                    f"seq {seq}: {body['nation']} attributed {body['inject_id']} it never knew of"
                )
            return rules.teams(None)
        if kind == "inject_released":
            inject = body["inject"]
            reach = rules.reach(
                inject_marking(inject), inject.get("recipients") or [], rules.originator(inject)
            )
            facts.injects[inject["id"]] = (inject, seq, reach)
            self._know(rules.played if reach is None else reach, inject["id"], seq)
            return rules.teams(reach)
        if kind == "inject_forwarded":
            self._check_forward(e)
            forward = Forward(
                body["forward_id"],
                body["nation"],
                body["inject_id"],
                body["marking"],
                list(body["recipients"]),
                seq,
            )
            facts.forwards.append(forward)
            self._know(forward.recipients, forward.inject_id, seq)
            return rules.teams([forward.nation, *forward.recipients])
        if kind == "product_released":
            self._check_release(e)
            product = Product(
                body["nation"],
                body["product_id"],
                body["product"]["kind"],
                body["product"],
                body["marking"],
                body["level"],
                list(body["recipients"]),
                dict(body["effective"]),
                seq,
            )
            facts.products[product.product_id] = product
            return rules.teams([product.nation, *product.recipients])
        if kind == "product_withdrawn":
            found = facts.products.get(body["product_id"])
            if found is None or found.nation != body["nation"] or found.withdrawn is not None:
                self.problems.append(f"seq {seq}: withdrawal of {body['product_id']} not in force")
                return rules.teams([body["nation"]])
            found.withdrawn = seq
            return rules.teams([found.nation, *found.recipients])
        if kind == "sharing_policy_set":
            return rules.teams([body["nation"], body["partner"]])
        if kind in ("order_submitted", "order_cancelled"):
            return rules.teams([body["nation"]])
        if kind in ("tasking_requested", "tasking_answered"):
            return rules.teams([body["requester"], body["partner"]])
        if kind == "chat_posted":
            members = self._chat_members(body["channel"])
            speakers = {*members, "WHITE"} if body["channel"] == "coalition" else set(members)
            if body["channel"] != "control" and body["sender"] not in speakers:
                self.problems.append(f"seq {seq}: {body['sender']} posted to {body['channel']}")
            return rules.teams(members)
        if kind in ("manoeuvre_executed", "anti_jam_set"):
            return rules.teams([body["owner"]])
        if kind == "status_disclosed":
            self._tell(body["asset_id"], seq, Told(body["status"], body.get("until_move")))
            return rules.teams([body["owner"]])
        if kind == "asset_status_changed":
            return self._status(e)
        if kind == "picture_updated":
            return rules.teams([body["nation"]])
        if kind in ("conjunction_warning", "close_approach_detected"):
            self._check_held(e)
            shared = self._shared(e)
            self._know([body["nation"], *shared], body.get("inject_id"), seq)
            return rules.teams([body["nation"], *shared])
        if kind == "threat_assessed":
            shared = self._shared(e)  # a partner told of it knows of the inject from then on
            sources = self._sources(body["nation"], body["inject_id"], seq)
            for partner in shared:  # derivative items inherit their source's releasability
                if sources and not any(reach is None or partner in reach for reach in sources):
                    self.problems.append(
                        f"seq {seq}: {body['nation']}'s assessment of {body['inject_id']} went to "
                        f"{partner}, outside the marking {body['nation']} received it under"
                    )
            self._shared_to[seq] = shared
            self._know(shared, body["inject_id"], seq)
            return set()  # the assessing nation's own: once the whole log is read (_assessment)
        if kind in ("dime_taken", "escalation_changed"):  # public acts and the level: every team
            return rules.teams(rules.played)
        if kind in ("ground_segment_acted", "spare_activated", "spare_arrived", "evasion_resolved"):
            return rules.teams([body["owner"]])  # a response's outcome: its owner alone
        if kind == "response_failed":
            return rules.teams([body["nation"]])
        if kind == "counterspace_fired":  # the firing team's own; others see only what they observe
            return rules.teams([body["nation"]])
        if kind == "team_notified":
            self._check_notice(e)
            return rules.teams([body["nation"]])
        if kind in ("capacity_requested", "capacity_answered"):
            return rules.teams([body["requester"], body["provider"]])
        if kind in ("request_sent", "request_answered", "request_lapsed"):
            return rules.teams([body["requester"], *([body["to"]] if body.get("to") else [])])
        if kind in ("statement_drafted", "statement_answered", "statement_amended"):
            return rules.teams([body["drafter"], *body["cosigners"], *body.get("previous_cosigners", [])])
        if kind == "statement_issued":
            reach = rules.reach(body["marking"], [], body["drafter"])
            parties = [body["drafter"], *body["cosigners"]]
            return rules.teams(None) if reach is None else rules.teams([*parties, *reach])
        if kind not in CONTROL_TYPES:
            self.problems.append(f"seq {seq}: event type {kind!r} unknown to the entitlement oracle")
        return set()

    def _check_notice(self, e: JsonDict) -> None:
        """A team's feed line names no inject (by its quoted title) the team did not know of."""
        nation, text, seq = e["body"]["nation"], e["body"]["text"], e["seq"]
        for inject_id, (inject, _released, _reach) in self.facts.injects.items():
            if f"\u201c{inject['title']}\u201d" in text and not self.knew(nation, inject_id, seq):
                self.problems.append(f"seq {seq}: {nation}'s feed names {inject_id}, which it never received")

    def _chat_members(self, channel: str) -> list[str]:
        if channel == "coalition":
            return sorted(self.rules.participants())
        if channel.startswith("team:"):
            return [channel.removeprefix("team:")]
        if channel.startswith("bilateral:"):
            return channel.removeprefix("bilateral:").split("+")
        return []  # control

    def _check_release(self, e: JsonDict) -> None:
        body, seq, rules = e["body"], e["seq"], self.rules
        nation, marking, recipients = body["nation"], body["marking"], list(body["recipients"])
        where = f"seq {seq}: {nation}'s product {body['product_id']} ({marking_label(marking)})"
        allowed = rules.releasable(marking, nation)
        if marking["releasability"] == "NOFORN" or not recipients or nation in recipients:
            self.problems.append(f"{where} goes to {recipients}")
        outside = [r for r in recipients if allowed is not None and r not in allowed]
        if outside:
            self.problems.append(f"{where} reaches {outside} outside its marking")
        if body["product"]["kind"] != "tracks" and body["level"] != "full":
            self.problems.append(f"{where} is {body['product']['kind']} at level {body['level']}")
        now = max(e["move"], 1)
        for r in recipients:
            due = now if rules.review_free(nation, r, body["product"]["kind"]) else now + rules.review_moves
            if body["effective"].get(r) != due:
                self.problems.append(
                    f"{where} is effective for {r} in move {body['effective'].get(r)}, not {due}"
                )
        if set(body["effective"]) != set(recipients):
            self.problems.append(f"{where}: effective names {sorted(body['effective'])}, not its recipients")

    def _sources(self, nation: str, inject_id: str, before: int) -> list[set[str] | None]:
        """What `nation` received `inject_id` under before `before`: the releasable set of the
        inject's own marking (received directly) and of each forward it received."""
        found: list[set[str] | None] = []
        entry = self.facts.injects.get(inject_id)
        if entry is not None:
            inject, seq, reach = entry
            if seq < before and (reach is None or nation in reach):
                found.append(self.rules.releasable(inject_marking(inject), self.rules.originator(inject)))
        for f in self.facts.forwards:
            if f.inject_id == inject_id and nation in f.recipients and f.seq < before:
                found.append(self.rules.releasable(f.marking, f.nation))
        return found

    def _check_forward(self, e: JsonDict) -> None:
        body, seq = e["body"], e["seq"]
        nation, recipients, marking = body["nation"], list(body["recipients"]), body["marking"]
        where = f"seq {seq}: {nation}'s forward of {body['inject_id']} ({marking_label(marking)})"
        sources = self._sources(nation, body["inject_id"], seq)
        if not sources:
            self.problems.append(f"{where}: {nation} never received it")
        allowed = self.rules.releasable(marking, nation)
        if marking["releasability"] == "NOFORN" or not recipients or nation in recipients:
            self.problems.append(f"{where} goes to {recipients}")
        if allowed is not None and any(r not in allowed for r in recipients):
            self.problems.append(f"{where} reaches {recipients} outside its own marking")
        if sources and not any(s is None or set(recipients) <= s for s in sources):
            self.problems.append(
                f"{where} reaches {recipients}: wider than the marking it was received under"
            )

    def _tell(self, asset_id: str, seq: int, told: Told) -> None:
        self.facts.told.setdefault(asset_id, []).append((seq, told))

    def _status(self, e: JsonDict) -> set[str]:
        body, seq, move = e["body"], e["seq"], e["move"]
        asset, owner, cause = body["asset_id"], body.get("owner"), body["cause"]
        noticed = body.get("noticed_by_owner", True)
        observers = list(body.get("observers") or [])
        where = f"seq {seq}: status of {asset} ({cause})"
        inject_id = body.get("inject_id") or (
            cause.removeprefix("inject:") if cause.startswith("inject:") else None
        )
        allowed: set[str] | None = None  # None: custody decides
        if cause in ("recovered", OVERRIDE_CAUSE) or cause.startswith("restored: "):
            allowed = set(self.facts.observers.get(asset, set()))
        elif inject_id is not None and inject_id in self.facts.injects:
            inject = self.facts.injects[inject_id][0]
            rule = self.rules.observable_by.get(inject["type"], "custody")
            should_notice = rule != "nobody" or body["status"] == "destroyed"
            if noticed != should_notice:
                self.problems.append(f"{where}: noticed_by_owner {noticed} under observable_by {rule}")
            if rule == "everyone":
                allowed = set(self.rules.played)
            elif rule in ("owner", "nobody"):
                allowed = set()
        for nation in observers:
            ok = (
                nation in allowed
                if allowed is not None
                else self._has_custody(nation, move, asset, inject_id)
            )
            if not ok or nation == owner:
                self.problems.append(f"{where}: observer {nation} could not have noticed it")
        if body["status"] == "nominal":
            self.facts.observers.pop(asset, None)
        else:
            self.facts.observers.setdefault(asset, set()).update(observers)
        viewers = [*observers, *([owner] if noticed and owner else [])]
        if noticed and owner:
            self._tell(asset, seq, Told(body["status"], body.get("until_move")))
        if inject_id is not None:
            self._know(viewers, inject_id, seq)
        return self.rules.teams(viewers)

    def _has_custody(self, nation: str, move: int, asset: str, inject_id: str | None) -> bool:
        if self.custody is None:
            return True
        named = [asset]
        if inject_id and inject_id in self.facts.injects:
            params = self.facts.injects[inject_id][0].get("params") or {}
            named += [params[k] for k in ("approacher", "secondary") if isinstance(params.get(k), str)]
        return any(self.custody(nation, move, obj) is not False for obj in named)

    def _check_held(self, e: JsonDict) -> None:
        """A warning only for a nation whose picture holds both objects."""
        if self.custody is None:
            return
        body = e["body"]
        for obj in (body["asset_id"], body["other_id"]):
            if self.custody(body["nation"], e["move"], obj) is None:
                self.problems.append(f"seq {e['seq']}: {body['nation']} warned of {obj} it does not hold")

    def _shared(self, e: JsonDict) -> list[str]:
        """The partners that may receive this item: shared_with entries backed by a product of its
        kind in force at the event, effective for that partner by this move, under that marking."""
        body, seq = e["body"], e["seq"]
        nation, kind = body["nation"], PRODUCT_OF[e["type"]]
        out: list[str] = []
        for partner, marking in (body.get("shared_with") or {}).items():
            backing = [
                p
                for p in self.facts.products.values()
                if p.nation == nation
                and p.kind == kind
                and p.in_force(seq)
                and partner in p.recipients
                and p.effective.get(partner, 10**9) <= e["move"]
                and same_marking(p.marking, marking)
                and (
                    self.rules.releasable(p.marking, nation) is None
                    or partner in (self.rules.releasable(p.marking, nation) or set())
                )
            ]
            if backing:
                out.append(partner)
            else:
                self.problems.append(
                    f"seq {seq}: {nation}'s {e['type']} shared with {partner} ({marking_label(marking)}) "
                    f"without a {kind} product in force for it"
                )
        return out

    def _assessment(self, e: JsonDict) -> set[str]:
        body, seq = e["body"], e["seq"]
        nation, inject_id = body["nation"], body["inject_id"]
        viewers = set(self._shared_to.get(seq, []))
        end = self.facts.window_end.get(seq, 10**12)
        if self.knew(nation, inject_id, end):
            viewers.add(nation)
        else:
            self.problems.append(f"seq {seq}: {nation} assessed {inject_id} it neither received nor saw")
        return self.rules.teams(viewers)

    # ---- what a seat receives ----------------------------------------------------------------

    def may_see(self, viewer: str, seq: int) -> bool:
        return viewer in self.entitled.get(seq, set())

    def stream(self, viewer: str, upto: int | None = None) -> list[JsonDict]:
        """The control events this viewer is entitled to, in order (up to seq `upto`)."""
        return [
            e for e in self.events if self.may_see(viewer, e["seq"]) and (upto is None or e["seq"] <= upto)
        ]

    def check_picture(self, nation: str, seq: int, move: int, rows: dict[str, JsonDict]) -> list[str]:
        """A nation's picture (rows by object id, from the picture resource) at control event `seq`
        of move `move`: every contributor other than the nation released its tracks of that object
        to it by a product in force then (no relaying of a third nation's data), a delayed row
        comes from a delayed release, and each row's source says whose data it rests on (no
        'own' track without its own observations, no catalog track without the public catalog)."""
        releases = [
            p
            for p in self.facts.products.values()
            if p.kind == "tracks"
            and p.nation != nation
            and p.in_force(seq)
            and nation in p.recipients
            and p.effective.get(nation, 10**9) <= move
        ]
        policies = {
            e["body"]["nation"]
            for e in self.events
            if e["type"] == "sharing_policy_set"
            and e["seq"] < seq
            and e["body"]["partner"] == nation
            and e["body"]["level"] != "withhold"
        }
        problems: list[str] = []
        has_catalog = self.rules.nations[nation].get("public_catalog", True)
        for object_id, row in rows.items():
            where = f"{nation}'s picture of move {move}: {object_id}"
            problems += [f"{where}: {p}" for p in _source_problems(nation, row, has_catalog)]
            delayed = [p.nation for p in releases if p.level == "delayed"]
            if row.get("delayed") and not set(row["contributors"]) & set(delayed):
                problems.append(f"{where} is delayed without a delayed release from {row['contributors']}")
            for partner in set(row["contributors"]) - {nation} - policies:
                if not any(
                    p.nation == partner
                    and (not p.spec.get("regimes") or row["regime"] in p.spec["regimes"])
                    and (not p.spec.get("objects") or object_id in p.spec["objects"])
                    for p in releases
                ):
                    problems.append(
                        f"{nation}'s picture of move {move}: {object_id} carries {partner}'s data"
                    )
        return problems


def _source_problems(nation: str, row: JsonDict, has_catalog: bool) -> list[str]:
    """Whether a picture row's source agrees with whose data it rests on."""
    source, contributors = row["source"], set(row["contributors"])
    if source == "owner" and (row.get("owner") != nation or contributors != {nation}):
        return [f"'owner' track of {row.get('owner')}'s object from {sorted(contributors)}"]
    if source == "own" and contributors != {nation}:
        return [f"'own' track from {sorted(contributors)}"]
    if source == "shared" and (not contributors or nation in contributors):
        return [f"'shared' track from {sorted(contributors)}"]
    if source == "fused" and (nation not in contributors or len(contributors) < 2):
        return [f"'fused' track from {sorted(contributors)}"]
    if source == "catalog" and (contributors or not has_catalog):
        return [f"'catalog' track from {sorted(contributors)} (public catalog: {has_catalog})"]
    return []
