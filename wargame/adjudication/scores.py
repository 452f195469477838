"""Move metrics: capability per nation and mission area, escalation, custody and sharing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from wargame.adjudication.fusion import FusedPicture
from wargame.adjudication.manoeuvres import Truth
from wargame.domain.common import AssetStatus, MissionArea, SharingLevel
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.sharing import release_summary
from wargame.domain.state import ExerciseState


def capability(
    state: ExerciseState, truth: Truth, timed: Mapping[str, tuple[float, AssetStatus]] | None = None
) -> dict[str, dict[str, float]]:
    """Mean service share per played nation and mission area over its assets of that area.

    Service per asset is capability.service_by_status[status]; a SATCOM asset with anti-jam on
    delivers at most orders.anti_jam_service_factor. An asset impaired only over a region (a
    downlink jammer's) loses its status's share only on that region's share of its footprint.
    `timed` gives, for assets whose status an inject released during the move changed, the
    share of the move before it took hold and the status before: their service is weighted by
    time (the status before for that share of the move, the status at its end for the rest).
    The SSA area also counts the nation's sensors, each at capability.ssa_sensor_weight (when
    the ruleset sets it). Areas where a nation has nothing are absent.
    """
    rules = state.ruleset
    service: dict[str, dict[str, list[tuple[float, float]]]] = {n: {} for n in state.played_nations()}
    arrived = [state.scenario.spare(k) for k, s in state.responses.spares.items() if s.arrived]
    for obj in (*state.scenario.objects, *(s for s in arrived if s is not None)):
        asset = state.assets.get(obj.id)
        if asset is None or obj.mission is None or asset.owner not in service:
            continue
        share = asset_service(rules, obj.mission, truth.status[obj.id], truth.anti_jam.get(obj.id, False))
        share *= hardening_cost(state, obj.id)
        if (regional := truth.regional_share.get(obj.id)) is not None:
            share = 1.0 - regional * (1.0 - share)  # full service outside the denied region
        if timed is not None and obj.id in timed:
            before, status = timed[obj.id]
            earlier = asset_service(rules, obj.mission, status, truth.anti_jam.get(obj.id, False))
            share = before * earlier + (1.0 - before) * share
        service[asset.owner].setdefault(obj.mission.value, []).append((share, 1.0))
    sensor_weight = rules.capability.ssa_sensor_weight
    if sensor_weight:
        for sensor in state.scenario.sensors:
            if sensor.owner in service:
                share = rules.capability.service_by_status[truth.status[sensor.id]]
                service[sensor.owner].setdefault(MissionArea.SSA.value, []).append((share, sensor_weight))
    return {
        nation: {area: _weighted_mean(values) for area, values in sorted(areas.items())}
        for nation, areas in service.items()
    }


def hardening_cost(state: ExerciseState, asset_id: str) -> float:
    """The service share a hardened ground segment leaves (responses.ground_segment.harden), 1.0
    when the asset is not hardened this move."""
    rules = state.ruleset.responses
    hardened = any(p.action == "harden" for p in state.responses.protections_of(asset_id, state.move))
    return rules.ground_segment.harden.service_factor if rules is not None and hardened else 1.0


def _weighted_mean(shares_and_weights: list[tuple[float, float]]) -> float:
    shares, weights = zip(*shares_and_weights, strict=True)
    return float(np.average(shares, weights=weights))


def asset_service(rules: Ruleset, mission: MissionArea, status: AssetStatus, anti_jam: bool) -> float:
    """Share of its service one asset delivers: capability.service_by_status[status], at most
    orders.anti_jam_service_factor for a SATCOM asset with anti-jam on."""
    share = rules.capability.service_by_status[status]
    if mission == MissionArea.SATCOM and anti_jam:
        share = min(share, rules.orders.anti_jam_service_factor)
    return share


def escalation(state: ExerciseState, levels: Iterable[int]) -> int:
    """The highest of the current escalation level and the levels of this move's effects."""
    return max([state.escalation_level, *levels])


def custody_counts(
    nations: tuple[str, ...], fused: FusedPicture, max_sigma_km: float = np.inf
) -> dict[str, int]:
    """Number of objects each played nation holds in its fused picture, at or below
    `max_sigma_km` if given (custody.precise_sigma_km: the precise count)."""
    counts = np.sum(fused.held & (fused.sigma_km <= max_sigma_km), axis=1)
    return {n: int(c) for n, c in zip(nations, counts, strict=True)}


def shared_products(state: ExerciseState) -> dict[str, dict[str, str]]:
    """The level each played nation releases its tracks at to each other played nation this
    move (domain.sharing.release_summary: 'withhold' when nothing)."""
    return release_summary(state)


def cohesion(products: dict[str, dict[str, str]]) -> float:
    """Reciprocity of sharing in 0..1: the share of directed sharing links (any level but
    withhold) whose reverse link also exists; 0.0 when nobody shares."""
    withhold = SharingLevel.WITHHOLD.value
    links = {(a, b) for a, row in products.items() for b, level in row.items() if level != withhold}
    if not links:
        return 0.0
    return sum((b, a) in links for a, b in links) / len(links)
