"""The played red cell's counterspace orders, weapons' reach by regime, and nuclear area and belt effects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from adj_builders import adjudicate, after, make_ruleset, make_scenario, make_state

from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.move import rng_for
from wargame.adjudication.nuclear import belt_effects
from wargame.domain.addressing import address
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdHocInject, Rejection, SubmitOrder
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.counterspace import CounterspaceOrder, RadiationBelt, Weapon, WeaponReach
from wargame.domain.counterspace_events import CounterspaceFired
from wargame.domain.decide import CommandTerms, decide
from wargame.domain.events import AssetStatusChanged, InjectReleased, InjectResolved, OrderSubmitted
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject, Nation, SpaceObject
from wargame.domain.state import ExerciseState
from wargame.domain.streams import visible
from wargame.scenario.loader import load_ruleset

STANDARD = load_ruleset(Path(__file__).resolve().parents[2] / "rulesets" / "standard.yaml")
WEAPON_TYPES = (InjectType.DIRECT_ASCENT_ASAT, InjectType.CO_ORBITAL, InjectType.NUCLEAR_DETONATION)
TERMS = CommandTerms(key="team:RED/c1", at=make_scenario().start_time, lease_s=60.0)
RED_SEAT = Seat(role=Role.PLAYER, nation="RED")


def _ruleset(**overrides: Any) -> Ruleset:
    """The unit ruleset with the standard ruleset's weapon rules and nuclear section."""
    base = make_ruleset()
    effects = {**base.effects, **{t: STANDARD.effects[t] for t in WEAPON_TYPES}}
    return make_ruleset(effects=effects, nuclear=STANDARD.nuclear, **overrides)


ARSENAL = (
    Weapon(
        id="da",
        name="DA-ASAT",
        type=InjectType.DIRECT_ASCENT_ASAT,
        site_lat_deg=40.0,
        site_lon_deg=100.0,
        reach=WeaponReach(regimes=("LEO",)),
        magazine=1,
        cost="rung 5",
    ),
    Weapon(id="kv", name="LEO KV", type=InjectType.CO_ORBITAL, parent="RED-INSP", magazine=2),
)


def _state(**overrides: Any) -> ExerciseState:
    nations = [n for n in make_scenario().nations if n.id != "RED"]
    red = Nation(id="RED", name="Red", side="red", played=True, counterspace=ARSENAL)
    scenario = make_scenario(nations=(*nations, red))
    return make_state(scenario=scenario, ruleset=_ruleset(), **overrides)


def _order(state: ExerciseState, weapon: str, target: str, seat: Seat = RED_SEAT, **params: Any) -> Any:
    order = CounterspaceOrder(kind="counterspace", weapon_id=weapon, target=target, params=params)
    decided = decide(state, seat, SubmitOrder(type="submit_order", order=order, reason="test"), TERMS)
    return decided


def _submitted(state: ExerciseState, weapon: str, target: str) -> ExerciseState:
    decided = _order(state, weapon, target)
    assert not isinstance(decided, Rejection), decided
    return after(state, [p.body for p in decided])


def test_a_da_asat_cannot_reach_geo_in_any_path() -> None:
    state = _state()
    assert STANDARD.effects[InjectType.DIRECT_ASCENT_ASAT].regimes == ("LEO",)
    refused = _order(state, "da", "USA-WGS")  # GEO
    assert isinstance(refused, Rejection) and refused.code == "invalid"
    assert "'USA-WGS' is in GEO, out of reach" in refused.message and "LEO only" in refused.message
    adhoc = AdHocInject(
        type="adhoc_inject",
        inject_type=InjectType.DIRECT_ASCENT_ASAT,
        title="x",
        target="USA-WGS",
        actor="RED",
        recipients=("USA",),
    )
    white = Seat(role=Role.WHITE_CELL)
    refusal = decide(state, white, adhoc, TERMS)
    assert isinstance(refusal, Rejection) and "out of reach" in refusal.message
    # A recorded inject (an MSEL line from before the rule) resolves as a miss with the reason, no draw.
    recorded = Inject(id="i1", title="t", type=InjectType.DIRECT_ASCENT_ASAT, target="USA-WGS", actor="RED")
    events = adjudicate(_state(injects=(recorded,)))
    resolved = [e for e in events if isinstance(e, InjectResolved)]
    assert resolved[0].succeeded is False and resolved[0].p_success == 0.0
    assert resolved[0].outcome.startswith("out of reach: 'USA-WGS' is in GEO")
    assert not [e for e in events if isinstance(e, AssetStatusChanged) and e.asset_id == "USA-WGS"]


def test_red_order_refusals() -> None:
    state = _state()
    unknown = _order(state, "nope", "USA-LEO")
    assert isinstance(unknown, Rejection) and unknown.code == "unknown_target"
    not_theirs = _order(state, "da", "USA-LEO", seat=Seat(role=Role.PLAYER, nation="GBR"))
    assert isinstance(not_theirs, Rejection) and not_theirs.code == "not_owner"
    assert not_theirs.message == "weapon 'da' belongs to RED, not GBR"
    own = _order(state, "da", "RED-INSP")
    assert isinstance(own, Rejection) and "RED's own" in own.message
    launcher = _order(state, "kv", "USA-LEO", approacher="RED-GEO")
    assert isinstance(launcher, Rejection) and "params.approacher: set by the weapon" in launcher.message
    co_geo = _order(state, "kv", "USA-WGS")  # the KV's parent is in LEO
    assert isinstance(co_geo, Rejection) and "'USA-WGS' is in GEO, out of reach" in co_geo.message
    once = _submitted(state, "da", "USA-LEO")
    empty = _order(once, "da", "GBR-LEO")
    assert isinstance(empty, Rejection) and empty.code == "invalid"
    assert empty.message == "weapon 'da' has no uses left (magazine 1, 0 fired, 1 ordered this move)"
    assert once.last_seq == state.last_seq or once.nations["RED"].orders  # the order is sealed in RED's state


def test_a_red_order_resolves_through_the_effects_engine_and_spends_the_magazine() -> None:
    state = _submitted(_state(), "da", "USA-LEO")
    order_id = next(iter(state.nations["RED"].orders))
    events = adjudicate(state)
    released = [e for e in events if isinstance(e, InjectReleased)]
    assert len(released) == 1 and released[0].inject.id == f"CS-{order_id}"
    inject = released[0].inject
    assert (
        inject.actor == "RED"
        and inject.type is InjectType.DIRECT_ASCENT_ASAT
        and inject.recipients == ("RED",)
    )
    assert inject.params == {}  # a DA-ASAT takes no site param
    fired = [e for e in events if isinstance(e, CounterspaceFired)]
    assert fired[0].weapon_id == "da" and fired[0].uses_left == 0
    resolved = next(e for e in events if isinstance(e, InjectResolved) and e.inject_id == inject.id)
    p = STANDARD.effects[InjectType.DIRECT_ASCENT_ASAT].p_success  # USA-LEO has no protection
    assert resolved.p_success == p == 0.9
    draw = rng_for(state).random(1)[0]  # the move's first uniform: no other inject
    assert resolved.succeeded == (draw < p)
    changes = [e for e in events if isinstance(e, AssetStatusChanged) and e.asset_id == "USA-LEO"]
    assert bool(changes) == resolved.succeeded
    if changes:
        assert changes[0].cause == f"inject:{inject.id}" and changes[0].status is AssetStatus.DESTROYED
    later = after(state, events)
    assert later.weapons_used == {"da": 1} and later.injects[inject.id].resolved
    # Sealed: blue teams never receive the order or the firing, only what they observe.
    submitted = OrderSubmitted(
        order_id=order_id, nation="RED", order=state.nations["RED"].orders[order_id].order
    )
    for body in (submitted, fired[0], released[0]):
        audience = address(body, state)
        assert visible("team:RED", body.type, audience) and visible("white_cell", body.type, audience)
        assert not visible("team:USA", body.type, audience) and not visible("observer", body.type, audience)
    for change in changes:  # observable_by everyone: the owner and everyone see the kill
        assert visible("team:USA", change.type, address(change, state))


def test_seeded_hits_follow_the_rules_p_for_the_co_orbital_weapon() -> None:
    hits = 0
    for seed in range(40):
        state = _submitted(_state(seed=seed), "kv", "GBR-LEO")
        events = adjudicate(state)
        resolved = next(e for e in events if isinstance(e, InjectResolved))
        assert resolved.p_success == STANDARD.effects[InjectType.CO_ORBITAL].p_success  # GBR-LEO unprotected
        assert resolved.succeeded == (rng_for(state).random(1)[0] < resolved.p_success)
        hits += resolved.succeeded
    assert 0 < hits < 40


def test_a_nuclear_burst_hits_satellites_in_its_radius_only() -> None:
    rules = STANDARD.nuclear
    assert rules is not None and rules.area_radius_km == 1500.0 and rules.falloff_exponent == 2.0
    nuke = Inject(id="nuke", title="t", type=InjectType.NUCLEAR_DETONATION, target="GBR-LEO", actor="RED")
    gbr_leo = next(o for o in make_scenario().objects if o.id == "GBR-LEO").orbit
    near = [  # on GBR-LEO's orbit, 5 degrees (~600 km) and 20 degrees (~2,400 km) ahead
        SpaceObject(
            id=f"USA-{name}",
            name=name,
            owner="USA",
            orbit=gbr_leo.model_copy(update={"mean_anomaly_deg": gbr_leo.mean_anomaly_deg + ahead}),
        )  # type: ignore[union-attr]
        for name, ahead in (("NEAR", 5.0), ("FAR", 20.0))
    ]
    base = _state()
    scenario = base.scenario.model_copy(update={"objects": (*base.scenario.objects, *near)})
    state = make_state(scenario=scenario, ruleset=_ruleset(), injects=(nuke,))
    events = adjudicate(state)
    resolved = next(e for e in events if isinstance(e, InjectResolved))
    distance = resolved.details["distance_km"]
    assert "GBR-LEO" in distance and distance["GBR-LEO"] < 1.0 and len(distance) >= 2
    p_rule = STANDARD.effects[InjectType.NUCLEAR_DETONATION].p_success
    for target, d in distance.items():
        assert d <= rules.area_radius_km
        factor = (1.0 - d / rules.area_radius_km) ** rules.falloff_exponent
        assert resolved.details["p_by_target"][target] <= p_rule * factor + 1e-12
    assert 500.0 < distance["USA-NEAR"] < 700.0
    for geo in ("USA-FAR", "USA-WGS", "GBR-SKYNET", "JPN-GEO", "RED-GEO", "USA-GPS"):
        assert geo not in distance
    hit = {e.asset_id for e in events if isinstance(e, AssetStatusChanged) and e.inject_id == "nuke"}
    assert hit and hit <= set(distance) and set(resolved.details["hit"]) == hit
    belts = after(state, events).radiation_belts
    assert belts == (RadiationBelt(inject_id="nuke", move=1),)


def _belt_state(move: int, **changes: Any) -> ExerciseState:
    objects = [
        *make_scenario().objects,
        SpaceObject(
            id="USA-RADHARD",
            name="hardened",
            owner="USA",
            orbit=make_scenario().objects[2].orbit,
            protections=("radiation_hardened",),
        ),
    ]
    scenario = make_scenario(objects=tuple(objects))
    return make_state(
        scenario=scenario,
        ruleset=_ruleset(),
        move=move,
        radiation_belts=(RadiationBelt(inject_id="nuke", move=1),),
        **changes,
    )


def test_the_belt_degrades_unhardened_leo_over_moves_with_the_ruleset_p() -> None:
    rules = STANDARD.nuclear
    assert rules is not None
    leo = {"USA-LEO", "GBR-LEO", "JPN-IGS", "RED-INSP"}
    for move, p in ((2, rules.belt_p_per_move), (3, rules.belt_p_per_move * rules.belt_decay_per_move)):
        hits = 0
        trials = 300
        for seed in range(trials):
            state = _belt_state(move, seed=seed)
            rng = np.random.default_rng(seed)
            changes = belt_effects(state, Truth.of(state), rng)
            assert {c.asset_id for c in changes} <= leo  # never the hardened one, never MEO/GEO
            assert all(c.status is AssetStatus.DEGRADED and "radiation belt" in c.cause for c in changes)
            hits += len(changes)
        assert abs(hits / (trials * len(leo)) - p) < 0.05, (move, hits)
    # A second hit moves a degraded satellite on to disabled; the belt ends after belt_moves.
    degraded = _belt_state(2)
    assets = {
        **degraded.assets,
        "USA-LEO": degraded.assets["USA-LEO"].model_copy(update={"status": AssetStatus.DEGRADED}),
    }
    degraded = degraded.model_copy(update={"assets": assets})
    always = _ruleset().nuclear.model_copy(update={"belt_p_per_move": 1.0})  # type: ignore[union-attr]
    degraded = degraded.model_copy(
        update={"ruleset": degraded.ruleset.model_copy(update={"nuclear": always})}
    )
    changes = {
        c.asset_id: c.status for c in belt_effects(degraded, Truth.of(degraded), np.random.default_rng(1))
    }
    assert changes["USA-LEO"] is AssetStatus.DISABLED and changes["GBR-LEO"] is AssetStatus.DEGRADED
    ended = degraded.model_copy(update={"move": 1 + rules.belt_moves + 1})
    assert belt_effects(ended, Truth.of(ended), np.random.default_rng(1)) == []


def test_only_the_red_team_sees_its_arsenal_and_sealed_orders() -> None:
    from wargame.protocol.projection import view_for

    state = _submitted(_state(), "kv", "GBR-LEO")
    fired = after(state, adjudicate(state))
    red = view_for("team:RED", fired)
    assert [(w["id"], w["fired"], w["magazine"]) for w in red["arsenal"]] == [("da", 0, 1), ("kv", 1, 2)]
    assert [o["order"]["kind"] for o in view_for("team:RED", state)["orders"]] == ["counterspace"]
    for viewer in ("team:USA", "team:GBR", "observer"):
        seen = view_for(viewer, state)
        assert "arsenal" not in seen and "red-cell" not in str(seen)
        assert "counterspace" not in str(seen.get("orders", [])) and "'kv'" not in str(seen)
    control = view_for("white_cell", state)
    assert any(o["order"]["kind"] == "counterspace" for o in control["nations_state"]["RED"]["orders"])


def test_a_readjudicated_move_fires_the_red_order_once() -> None:
    from datetime import timedelta

    from wargame.domain.events import MoveClosing
    from wargame.domain.evolve import evolve_body
    from wargame.domain.override_events import MoveReadjudicated, ReadjudicationChanges

    state = _submitted(_state(), "kv", "GBR-LEO")
    closing = MoveClosing(
        move=1, command="white_cell/c", lease_until=state.scenario_time + timedelta(hours=1)
    )
    at_closing = evolve_body(state, closing)
    first = after(at_closing, adjudicate(at_closing))
    assert first.weapons_used == {"kv": 1}
    marker = MoveReadjudicated(
        move=1, supersedes=(), changes=ReadjudicationChanges(), reason="adjudicate the move again"
    )
    reset = evolve_body(first, marker)
    assert reset.weapons_used == {}
    again = after(reset, adjudicate(at_closing))
    assert again.weapons_used == {"kv": 1}
    fired = [i for i in again.injects if i.startswith("CS-")]
    assert len(fired) == 1 and again.injects[fired[0]].resolved


def test_the_red_team_is_told_its_weapon_fired_and_the_owner_sees_a_kill_without_its_cause() -> None:
    from wargame.domain.feed_events import TeamNotified

    for seed in range(10):
        state = _submitted(_state(seed=seed), "da", "USA-LEO")
        events = adjudicate(state)
        if any(isinstance(e, AssetStatusChanged) and e.asset_id == "USA-LEO" for e in events):
            break
    lines = [e for e in events if isinstance(e, TeamNotified)]
    red = [line.text for line in lines if line.nation == "RED"]
    assert red == [
        "Your DA-ASAT fired at ISR LEO (0 uses left); its outcome is what you observe",
        "USA ISR LEO: observed destroyed (your SSA picture)",  # a DA-ASAT is observable_by everyone
    ]
    usa = [line.text for line in lines if line.nation == "USA" and line.subject == "USA-LEO"]
    assert usa and usa[0].startswith("ISR LEO: destroyed") and "cause not known to you" in usa[0]
    assert not any("DA-ASAT" in line.text or "CS-" in line.text for line in lines if line.nation != "RED")
