"""Sealed orders applied at the move start: anti-jam switches, manoeuvres, and status recoveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wargame.adjudication.burns import mean_keplerian_after_burn
from wargame.adjudication.catalog import CatalogDefaults
from wargame.adjudication.regional import regional_shares
from wargame.domain.common import AssetStatus
from wargame.domain.events import AntiJamSet, AssetStatusChanged, ManoeuvreExecuted
from wargame.domain.orders import AntiJamOrder, ManoeuvreOrder
from wargame.domain.scenario_model import Orbit
from wargame.domain.state import ExerciseState, StatusState, SubmittedOrder


@dataclass
class Truth:
    """Working copy of the ground truth that changes during one adjudication (by asset id; the
    status maps also hold every scenario sensor, by sensor id)."""

    status: dict[str, AssetStatus]
    until_move: dict[str, int | None]
    reversible: dict[str, bool]
    """Whether the white cell may restore it from its status (StatusState.status_reversible)."""
    anti_jam: dict[str, bool]
    orbits: dict[str, Orbit]
    propellant_m_per_s: dict[str, float]
    regional_share: dict[str, float] = field(default_factory=dict)
    """Space objects whose status holds only over a region (a downlink jammer's): the share of
    their footprint it covers (adjudication/regional.py); absent: the status is global."""
    avoided: set[str] = field(default_factory=set)
    """Assets that executed a collision-avoidance manoeuvre of at least
    conjunction.avoidance_dv_m_per_s this move."""
    evasion_dv: dict[str, float] = field(default_factory=dict)
    """|dv| (m/s) of the evasion burns each asset executed this move (adjudication/responses.py)."""

    @classmethod
    def of(cls, state: ExerciseState) -> Truth:
        """The truth at the move start. Background objects not in `state.assets` are nominal on
        their catalog orbits: the maps answer for them without holding 47,000 entries."""
        assets = state.assets
        holders = {**assets, **status_holders_of_sensors(state)}
        bg = state.background

        def column(explicit: dict[str, Any], fallback: Any) -> CatalogDefaults[Any]:
            return CatalogDefaults(explicit, bg, fallback)

        return cls(
            status=column({k: a.status for k, a in holders.items()}, lambda _k: AssetStatus.NOMINAL),
            until_move=column({k: a.status_until_move for k, a in holders.items()}, lambda _k: None),
            reversible=column({k: a.status_reversible for k, a in holders.items()}, lambda _k: True),
            anti_jam=column({k: a.anti_jam for k, a in assets.items()}, lambda _k: False),
            orbits=column({k: a.orbit for k, a in assets.items()}, bg.orbit),
            propellant_m_per_s=column(
                {k: a.propellant_dv_m_per_s for k, a in assets.items()}, lambda _k: 0.0
            ),
            regional_share=regional_shares(state),
        )


def status_holders_of_sensors(state: ExerciseState) -> dict[str, StatusState]:
    """The status of every scenario sensor (nominal unless an effect changed it), by id."""
    found = (state.sensor_state(s.id) for s in state.scenario.sensors)
    return {holder.id: holder for holder in found if holder is not None}


def move_orders(state: ExerciseState) -> list[SubmittedOrder]:
    """Sealed orders of the current move, sorted by (nation, order id) for determinism."""
    orders = [
        submitted
        for nation in state.nations.values()
        for submitted in nation.orders.values()
        if submitted.move == state.move
    ]
    return sorted(orders, key=lambda o: (o.nation, o.order_id))


def apply_anti_jam(state: ExerciseState, orders: list[SubmittedOrder], truth: Truth) -> list[AntiJamSet]:
    """AntiJamSet for each anti-jam order on an asset the ordering nation owns."""
    events: list[AntiJamSet] = []
    for submitted in orders:
        order = submitted.order
        if not isinstance(order, AntiJamOrder):
            continue
        asset = state.asset(order.asset_id)
        if asset is None or asset.owner != submitted.nation:
            continue
        truth.anti_jam[order.asset_id] = order.enabled
        events.append(AntiJamSet(asset_id=order.asset_id, owner=submitted.nation, enabled=order.enabled))
    return events


def apply_manoeuvres(
    state: ExerciseState, orders: list[SubmittedOrder], truth: Truth, move_start: datetime
) -> list[ManoeuvreExecuted]:
    """ManoeuvreExecuted for each valid manoeuvre order, applied in order at the move start.

    Valid: the nation owns the asset, the asset is not destroyed, the norm |dv| of the
    (radial, along-track, cross-track) delta-v is within orders.max_manoeuvre_dv_m_per_s and
    the remaining propellant covers |dv|.
    """
    max_dv = state.ruleset.orders.max_manoeuvre_dv_m_per_s
    events: list[ManoeuvreExecuted] = []
    for submitted in orders:
        order = submitted.order
        if not isinstance(order, ManoeuvreOrder):
            continue
        asset_id = order.asset_id
        asset = state.asset(asset_id)
        cost = order.dv_norm_m_per_s
        if (
            asset is None
            or asset.owner != submitted.nation
            or truth.status[asset_id] == AssetStatus.DESTROYED
            or cost > max_dv
            or cost > truth.propellant_m_per_s[asset_id]
        ):
            continue
        try:
            new_orbit = mean_keplerian_after_burn(truth.orbits[asset_id], move_start, order.dv_rtn_m_per_s)
        except ValueError:
            continue
        truth.orbits[asset_id] = new_orbit
        truth.propellant_m_per_s[asset_id] -= cost
        if (
            order.purpose == "collision_avoidance"
            and cost >= state.ruleset.conjunction.avoidance_dv_m_per_s
        ):
            truth.avoided.add(asset_id)
        events.append(
            ManoeuvreExecuted(
                asset_id=asset_id,
                owner=submitted.nation,
                dv_m_per_s=order.dv_m_per_s,
                dv_radial_m_per_s=order.dv_radial_m_per_s,
                dv_cross_track_m_per_s=order.dv_cross_track_m_per_s,
                orbit=new_orbit,
                propellant_dv_m_per_s=truth.propellant_m_per_s[asset_id],
            )
        )
    return events


def apply_recoveries(state: ExerciseState, truth: Truth) -> list[AssetStatusChanged]:
    """Back to nominal (cause 'recovered') for assets and sensors whose status_until_move <=
    state.move. The owner is told unless it believes it nominal already (an unnoticed effect
    ended)."""
    events: list[AssetStatusChanged] = []
    holders: dict[str, StatusState] = {**state.assets, **state.sensors}
    for asset_id in sorted(holders):
        asset = holders[asset_id]
        until = asset.status_until_move
        if until is None or until > state.move or asset.status == AssetStatus.NOMINAL:
            continue
        truth.status[asset_id] = AssetStatus.NOMINAL
        truth.until_move[asset_id] = None
        truth.reversible[asset_id] = True
        truth.regional_share.pop(asset_id, None)
        belief = asset.owner_belief
        events.append(
            AssetStatusChanged(
                asset_id=asset_id,
                owner=asset.owner,
                status=AssetStatus.NOMINAL,
                cause="recovered",
                noticed_by_owner=belief is None or belief.status is not AssetStatus.NOMINAL,
            )
        )
    return events
