"""Pydantic schema of a scenario: nations, sensors, space objects, objectives and the MSEL."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Discriminator, Field, Tag, ValidationInfo, model_validator

from wargame.domain.common import (
    EmptyOmitted,
    FreeText,
    Frozen,
    Identifier,
    InjectType,
    Marking,
    MissionArea,
    NationId,
    NoneOmitted,
    Releasability,
    ShortText,
    TrueOmitted,
    UtcDatetime,
)
from wargame.domain.conditions import Condition
from wargame.domain.counterspace import Weapon, inventory_problems
from wargame.domain.inject_params import InvalidParams, check_params

# Orbit kinds live in orbit_model; `X as X` re-exports them for modules that import them from here.
from wargame.domain.orbit_model import EARTH_RADIUS_KM as EARTH_RADIUS_KM
from wargame.domain.orbit_model import KeplerianOrbit as KeplerianOrbit
from wargame.domain.orbit_model import OmmOrbit as OmmOrbit
from wargame.domain.orbit_model import Orbit
from wargame.domain.orbit_model import TleOrbit as TleOrbit
from wargame.domain.products import SharingAgreement
from wargame.domain.request_model import FallbackOffer
from wargame.domain.ruleset_model import from_file
from wargame.domain.tempo_model import Tempo

EXERCISE_MARKING = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
"""The default banner of an exercise (its classification and the exercise caveat)."""


class Nation(Frozen):
    id: NationId
    name: ShortText
    side: Literal["blue", "red", "commercial"] = "blue"
    played: bool = True
    """False for a nation the white cell plays (for example the adversary)."""
    groups: tuple[Identifier, ...] = ()
    """Coalitions the nation belongs to, such as FVEY or CSPO (used by releasability)."""
    center: ShortText | None = None
    """Regional space operations centre the nation belongs to."""
    default_marking: Annotated[Marking, Field(exclude_if=lambda m: m == Marking())] = Marking()
    """The marking the nation's releases and its own products default to (DOMAIN: NOFORN is the
    default; release takes effort)."""
    public_catalog: TrueOmitted = True
    """Whether the nation has the public catalog (published element sets of every cataloged
    object) as a source of its picture; False for a team that must build its picture from its
    own sensors and partners alone."""
    counterspace: Annotated[tuple[Weapon, ...], EmptyOmitted] = ()
    """A played red nation's counterspace inventory: the weapons its team fires with
    `counterspace` orders (domain/counterspace.py)."""
    fallback: Annotated[FallbackOffer | None, NoneOmitted] = None
    """Fallback capacity the nation can lend other teams on request (None: it offers none)."""


class SpaceObject(Frozen):
    id: Identifier
    name: ShortText
    owner: NationId | None = None
    """Owning nation; None for debris and objects of unknown origin."""
    kind: Literal["payload", "rocket_body", "debris"] = "payload"
    mission: MissionArea | None = None
    orbit: Orbit
    protections: tuple[Identifier, ...] = ()
    """Protection keys that ruleset effect tables know, such as anti_jam or hardened."""
    propellant_dv_m_per_s: Annotated[float, Field(ge=0.0)] = 0.0
    hard_body_radius_m: Annotated[float, Field(gt=0.0)] = 2.0


class Spare(SpaceObject):
    """A spare satellite a nation may activate (reconstitute order): a stored satellite brought
    into service, or a launch. It enters play `lead_time_moves` after the order's move."""

    lead_time_moves: Annotated[int, Field(ge=1, le=50)]


class Sensor(Frozen):
    id: Identifier
    name: ShortText
    owner: NationId
    model: Identifier
    """Key of the sensor model in the ruleset (its type and limits)."""
    lat_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    lon_deg: Annotated[float, Field(ge=-180.0, le=360.0)] = 0.0
    alt_km: Annotated[float, Field(ge=-0.5, le=10.0)] = 0.0
    orbit: Orbit | None = None
    """Set for a space-based sensor, which has no ground site."""
    protections: Annotated[tuple[Identifier, ...], EmptyOmitted] = ()
    """Protections against effects aimed at the sensor (keys of the ruleset's protection_factors,
    e.g. hardened, encrypted_link)."""


class Persona(Frozen):
    """A simulated sender played by the white cell (an operator, a ministry, a news agency)."""

    id: Identifier
    name: ShortText
    role: ShortText = ""
    organisation: ShortText = ""
    nation: NationId | None = None
    """The nation the persona speaks for, if any (must be a nation of the scenario)."""


class Objective(Frozen):
    """An exercise objective, linked to a capability and the mission areas the AAR scores."""

    id: Identifier
    text: FreeText
    capability: ShortText | None = None
    """The capability the objective exercises (HSEEP core capability), shown in the AAR."""
    mission_areas: tuple[MissionArea, ...] = ()
    """Mission areas whose capability scores measure the objective in the AAR."""
    criteria: tuple[FreeText, ...] = ()
    """Critical tasks or performance measures an evaluator rates against."""
    nations: tuple[NationId, ...] = ()


class Inject(Frozen):
    """One MSEL line: a scheduled, conditional, contingency or ad-hoc event the white cell releases."""

    id: Identifier
    serial: Annotated[int, Field(ge=0)] = 0
    title: ShortText
    move: Annotated[int, Field(ge=1)] = 1
    """The move of a timed inject; the earliest move of a condition-triggered one."""
    offset_hours: Annotated[float, Field(ge=0.0)] = 0.0
    """Scenario time of the inject, in hours after the start of its move."""
    trigger: Literal["time", "manual", "condition"] = "manual"
    """time: released when its move opens; manual: by a controller; condition: when its move
    (or a later one) opens and `condition` holds."""
    condition: Condition | None = None
    contingency: bool = False
    """Part of the contingency pool: held back, released only manually by a controller."""
    type: InjectType
    params: dict[str, Any] = Field(default_factory=dict)
    """Parameters of the type (domain/inject_params.py). Checked in files (FILE_CONTEXT), not in
    recorded events: the core reads them with recorded_params and resolves bad ones as invalid."""
    target: Identifier | None = None
    """The space object the inject acts on, if any."""
    actor: NationId | None = None
    """The nation that carries out the action (for attribution)."""
    persona: Identifier | None = None
    """Id of the scenario persona that sends the inject; `sender` defaults to its name."""
    sender: ShortText = "White Cell"
    recipients: tuple[NationId, ...] = ()
    """Teams that receive the player-facing text; empty means every played nation."""
    channel: ShortText = "message"
    text: FreeText = ""
    controller_notes: FreeText = ""
    releasability: Releasability = Releasability.NOFORN
    releasable_to: tuple[NationId, ...] = ()
    """The named nations of a `REL` marking (REL USA, GBR)."""
    expected_actions: tuple[FreeText, ...] = ()
    objectives: tuple[Identifier, ...] = ()

    @property
    def marking(self) -> Marking:
        return Marking(releasability=self.releasability, releasable_to=self.releasable_to)

    @model_validator(mode="after")
    def _trigger_marking_and_params(self, info: ValidationInfo) -> Inject:
        problems: list[str] = []
        if self.trigger == "condition" and self.condition is None:
            problems.append("condition: a condition-triggered inject needs a condition")
        if self.trigger != "condition" and self.condition is not None:
            problems.append(f"condition: is only used with trigger 'condition', not {self.trigger!r}")
        if self.contingency and self.trigger != "manual":
            problems.append(
                f"trigger: a contingency inject is released manually, so its trigger must be "
                f"'manual', not {self.trigger!r}"
            )
        if self.releasability is Releasability.REL and not self.releasable_to:
            problems.append("releasable_to: a 'REL' marking needs the named nations")
        if self.releasability is not Releasability.REL and self.releasable_to:
            problems.append(
                f"releasable_to: only a 'REL' marking names nations, not {self.releasability.value!r}"
            )
        if from_file(info) and isinstance(checked := check_params(self.type, self.params), InvalidParams):
            problems.extend(checked.problems)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class SyntheticCatalog(Frozen):
    """A seeded, generated background catalog shaped like today's public catalog (LEO/MEO/GEO/HEO)."""

    MAX_COUNT: ClassVar[int] = 100_000
    """Twice today's public catalog of tracked objects (~47,000)."""

    generator: Literal["synthetic"]
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    seed: int = 1
    id_prefix: Identifier = "bg"
    epoch: UtcDatetime | None = None
    """Element epoch; defaults to the scenario start."""


class CatalogFile(Frozen):
    """Element sets read from a TLE or OMM (KVN, XML, JSON or CSV) file beside the scenario."""

    file: Annotated[str, Field(min_length=1, max_length=500)]
    """Path relative to the scenario file."""
    format: Literal["tle", "omm_csv", "omm_xml", "omm_json", "omm_kvn"] | None = None
    """Defaults from the content: TLE, or an OMM in CSV, NDM/XML, JSON (CelesTrak) or KVN."""
    id_prefix: Identifier = "cat"
    """Object ids are `<id_prefix>-<catalog number>`."""
    owner: NationId | None = None
    kind: Literal["payload", "rocket_body", "debris"] | None = None
    """Defaults from the OMM OBJECT_TYPE or the name (DEB, R/B), else payload."""


def _catalog_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "synthetic" if "generator" in value else "file"
    return "synthetic" if isinstance(value, SyntheticCatalog) else "file"


CatalogSource = Annotated[
    Annotated[SyntheticCatalog, Tag("synthetic")] | Annotated[CatalogFile, Tag("file")],
    Discriminator(_catalog_tag),
]


_INDEX_CACHE: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}
"""Id lookups by the identity of a scenario's tuple (kept out of the model so equality holds)."""
_INDEX_CACHE_SIZE = 16


def _index(items: tuple[Any, ...]) -> dict[str, Any]:
    entry = _INDEX_CACHE.get(id(items))
    if entry is not None and entry[0] is items:
        return entry[1]
    if len(_INDEX_CACHE) >= _INDEX_CACHE_SIZE:
        _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
    index = {item.id: item for item in reversed(items)}
    _INDEX_CACHE[id(items)] = (items, index)
    return index


class Scenario(Frozen):
    id: Identifier
    title: ShortText
    description: FreeText = ""
    sponsor: Annotated[ShortText, EmptyOmitted] = ""
    """The organisation that sponsors the exercise, named in the AAR/IP's overview (left out of
    dumps when empty, so scenarios recorded before it hash the same)."""
    ruleset: Identifier = "standard"
    start_time: UtcDatetime
    move_length_hours: Annotated[float, Field(gt=0.0, le=24.0 * 14)]
    moves: Annotated[int, Field(ge=1, le=200)]
    seed: int = 1
    nations: tuple[Nation, ...]
    personas: tuple[Persona, ...] = ()
    sensors: tuple[Sensor, ...] = ()
    objects: tuple[SpaceObject, ...] = ()
    background_catalog: tuple[CatalogSource, ...] = ()
    """Sources expanded into `objects` when the file is loaded (generated or read from files)."""
    objectives: tuple[Objective, ...] = ()
    msel: tuple[Inject, ...] = ()
    agreements: Annotated[tuple[SharingAgreement, ...], EmptyOmitted] = ()
    """Standing sharing agreements: releases between their nations skip the disclosure review."""
    marking: Annotated[ShortText, Field(exclude_if=lambda m: m == EXERCISE_MARKING)] = EXERCISE_MARKING
    """The exercise's own marking, shown as a banner on every page and every export."""
    tempo: Annotated[Tempo | None, NoneOmitted] = None
    """Move deadlines and scenario time within a move (domain/tempo_model.py); None: none."""
    spares: Annotated[tuple[Spare, ...], EmptyOmitted] = ()
    """Spare satellites the nations may activate (reconstitute order); not in play until then."""
    announce_corrections: Annotated[bool, Field(exclude_if=lambda v: not v)] = False
    """Whether teams read a white-cell override as such ('white-cell override: <reason>'); by
    default they read 'corrected by exercise control'."""

    @property
    def move_length(self) -> timedelta:
        return timedelta(hours=self.move_length_hours)

    def played_nations(self) -> list[str]:
        return [n.id for n in self.nations if n.played]

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def object(self, object_id: str) -> SpaceObject | None:
        found: SpaceObject | None = _index(self.objects).get(object_id)
        return found

    def spare(self, spare_id: str) -> Spare | None:
        return next((s for s in self.spares if s.id == spare_id), None)

    def sensor(self, sensor_id: str) -> Sensor | None:
        found: Sensor | None = _index(self.sensors).get(sensor_id)
        return found

    def inject(self, inject_id: str) -> Inject | None:
        found: Inject | None = _index(self.msel).get(inject_id)
        return found

    def persona(self, persona_id: str) -> Persona | None:
        return next((p for p in self.personas if p.id == persona_id), None)

    @model_validator(mode="before")
    @classmethod
    def _sender_from_persona(cls, data: Any) -> Any:
        """An inject with a persona and no sender is sent in the persona's name."""
        if not isinstance(data, dict):
            return data
        personas, msel = data.get("personas"), data.get("msel")
        if not isinstance(personas, list | tuple) or not isinstance(msel, list | tuple):
            return data
        names = {
            p.get("id"): p.get("name")
            for p in personas
            if isinstance(p, dict) and isinstance(p.get("name"), str)
        }
        filled = [
            {**item, "sender": names[item["persona"]]}
            if isinstance(item, dict) and "sender" not in item and item.get("persona") in names
            else item
            for item in msel
        ]
        return {**data, "msel": filled}

    @model_validator(mode="after")
    def _cross_references(self, info: ValidationInfo) -> Scenario:
        problems = self._duplicates() + self._references()
        if not any(n.played for n in self.nations):
            problems.append("no nation is played by a team")
        if from_file(info):  # logs recorded before markings were enforced still load
            problems.extend(self._marking_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _marking_problems(self) -> list[str]:
        """Injects whose recipients and releasability marking disagree."""
        from wargame.domain.releasability import marking_problem

        problems: list[str] = []
        for inject in self.msel:
            problem = marking_problem(inject.marking, self.originator(inject), inject.recipients, self)
            if problem is not None:
                problems.append(f"inject {inject.id!r}: {problem}")
        return problems

    def originator(self, inject: Inject) -> str | None:
        """The nation an inject speaks for (its persona's), which a NOFORN marking keeps it to."""
        persona = self.persona(inject.persona) if inject.persona else None
        return persona.nation if persona is not None else None

    def _duplicates(self) -> list[str]:
        problems: list[str] = []
        for label, ids in (
            ("nation", [n.id for n in self.nations]),
            ("persona", [p.id for p in self.personas]),
            ("sensor", [s.id for s in self.sensors]),
            ("object", [o.id for o in (*self.objects, *self.spares)]),
            ("objective", [o.id for o in self.objectives]),
            ("inject", [i.id for i in self.msel]),
        ):
            seen: set[str] = set()
            for item_id in ids:
                if item_id in seen:
                    problems.append(f"duplicate {label} id {item_id!r}")
                seen.add(item_id)
        for sensor_id in sorted({s.id for s in self.sensors} & {o.id for o in self.objects}):
            problems.append(f"sensor id {sensor_id!r} also names an object (effects name one or the other)")
        serials = [i.serial for i in self.msel if i.serial > 0]
        for serial in sorted({s for s in serials if serials.count(s) > 1}):
            first = next(i for i in self.msel if i.serial == serial)
            problems.append(f"inject {first.id!r}: serial {serial} is used by several injects")
        return problems

    def _references(self) -> list[str]:
        problems: list[str] = []
        nation_ids = {n.id for n in self.nations}
        for sensor in self.sensors:
            if sensor.owner not in nation_ids:
                problems.append(f"sensor {sensor.id!r}: unknown owner nation {sensor.owner!r}")
        for obj in self.objects:
            if obj.owner is not None and obj.owner not in nation_ids:
                problems.append(f"object {obj.id!r}: unknown owner nation {obj.owner!r}")
        for spare in self.spares:
            if spare.owner is None or spare.owner not in nation_ids:
                problems.append(f"spare {spare.id!r}: unknown owner nation {spare.owner!r}")
        for agreement in self.agreements:
            unknown = [n for n in agreement.nations if n not in nation_ids]
            if unknown:
                problems.append(f"agreement {agreement.id!r}: unknown nations {unknown}")
        for persona in self.personas:
            if persona.nation is not None and persona.nation not in nation_ids:
                problems.append(f"persona {persona.id!r}: unknown nation {persona.nation!r}")
        for objective in self.objectives:
            for nation in objective.nations:
                if nation not in nation_ids:
                    problems.append(f"objective {objective.id!r}: unknown nation {nation!r}")
        for inject in self.msel:
            problems.extend(self._inject_problems(inject, nation_ids))
        inventories = [(n.id, n.side, n.counterspace) for n in self.nations]
        problems.extend(inventory_problems(inventories, {o.id: o.owner for o in self.objects}))
        return problems

    def _inject_problems(self, inject: Inject, nation_ids: set[str]) -> list[str]:
        label = f"inject {inject.id!r}"
        problems: list[str] = []
        if inject.move > self.moves:
            problems.append(f"{label}: move {inject.move} is after the last move {self.moves}")
        if inject.offset_hours >= self.move_length_hours:
            problems.append(
                f"{label}: offset_hours {inject.offset_hours} is not inside "
                f"a move of {self.move_length_hours} h"
            )
        target = inject.target
        if target is not None and self.object(target) is None and self.sensor(target) is None:
            problems.append(f"{label}: unknown target {inject.target!r} (neither an object nor a sensor)")
        if inject.actor is not None and inject.actor not in nation_ids:
            problems.append(f"{label}: unknown actor nation {inject.actor!r}")
        if inject.persona is not None and self.persona(inject.persona) is None:
            problems.append(f"{label}: unknown persona {inject.persona!r}")
        for recipient in inject.recipients:
            if recipient not in nation_ids:
                problems.append(f"{label}: unknown recipient {recipient!r}")
        for nation in inject.releasable_to:
            if nation not in nation_ids:
                problems.append(f"{label}: unknown releasable_to nation {nation!r}")
        objective_ids = {o.id for o in self.objectives}
        for objective in inject.objectives:
            if objective not in objective_ids:
                problems.append(f"{label}: unknown objective {objective!r}")
        if inject.condition is not None:
            problems.extend(f"{label}: {p}" for p in self._condition_problems(inject, nation_ids))
        return problems

    def _condition_problems(self, inject: Inject, nation_ids: set[str]) -> list[str]:
        assert inject.condition is not None
        problems: list[str] = []
        for cond in inject.condition.walk():
            for ref in (cond.after_inject, cond.inject_resolved):
                if ref is not None and self.inject(ref) is None:
                    problems.append(f"condition names unknown inject {ref!r}")
                elif ref == inject.id:
                    problems.append(f"condition waits for the inject itself {ref!r}")
            asset = cond.asset_status.asset if cond.asset_status else None
            if cond.order_kind_by is not None:
                asset = cond.order_kind_by.asset
            if asset is not None and self.object(asset) is None:
                problems.append(f"condition names unknown object {asset!r}")
            for spec in (cond.order_kind_by, cond.capability_below):
                if spec is not None and spec.nation not in nation_ids:
                    problems.append(f"condition names unknown nation {spec.nation!r}")
        return problems
