"""Monte Carlo preview of an inject or a whole move: outcome distributions, vectorized over samples."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.effects import _effect_targets, pending_injects, success_probability
from wargame.adjudication.manoeuvres import Truth, apply_anti_jam, apply_recoveries, move_orders
from wargame.adjudication.responses import apply_responses
from wargame.adjudication.scores import asset_service
from wargame.adjudication.statuses import SEVERITY
from wargame.domain.common import AssetStatus
from wargame.domain.inject_params import InvalidParams, recorded_params
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]


def sample_hits(p_success: F64, alive: NDArray[np.bool_], n_samples: int, seed: int) -> NDArray[np.bool_]:
    """(n_samples, n_target) hit matrix: one uniform draw per sample and target."""
    draws = np.random.default_rng(seed).random((n_samples, p_success.size))
    return (draws < p_success[None, :]) & alive[None, :]


def preview(state: ExerciseState, inject: Inject | None, n_samples: int) -> dict[str, Any]:
    """Distribution of the outcome of `inject`, or with None of every released, unresolved
    inject of the move together, over n_samples draws (one (n_samples, n_column) draw matrix;
    a column is one (inject, target)).

    Returns p_success and hit frequency per target (the union over injects), the distribution
    of the number of targets hit, the escalation level distribution and the mean/5th/95th
    percentile of capability per nation and mission area (each asset takes its worst status).
    Deterministic for a state (seeded by exercise seed and move). Like the move, it starts from
    the state after this move's anti-jam orders, recoveries and response orders (safe mode,
    restored links; evasion burns are not counted): they change the odds of jamming and spoofing
    and the capability a target had before it was hit.
    """
    rules = state.ruleset
    truth = Truth.of(state)
    apply_anti_jam(state, move_orders(state), truth)
    apply_recoveries(state, truth)
    apply_responses(state, move_orders(state), truth, ())  # safe mode, restored links (not evasion)
    injects = pending_injects(state) if inject is None else [inject]
    col_target: list[str] = []
    col_status: list[int] = []
    col_level: list[int] = []
    p_list: list[float] = []
    for inj in injects:
        rule = rules.effects.get(inj.type)
        if rule is None or isinstance(recorded_params(inj.type, inj.params), InvalidParams):
            continue  # no effect rule, or params the move would resolve as invalid
        for t in _effect_targets(state, rule, inj):
            col_target.append(t)
            col_status.append(SEVERITY.index(rule.status))
            col_level.append(rule.escalation_level)
            p_list.append(success_probability(state, rule, inj, t, truth))
    p = np.array(p_list, dtype=np.float64)
    alive = np.array([truth.status[t] != AssetStatus.DESTROYED for t in col_target], dtype=bool)
    hits = sample_hits(p, alive, n_samples, seed=state.seed * 1_000_003 + state.move)
    targets = sorted(set(col_target))
    target_pos = {t: k for k, t in enumerate(targets)}
    col_of = np.array([target_pos[t] for t in col_target], dtype=np.int64)
    # worst hit severity per (sample, target); -1 = not hit
    worst = np.full((n_samples, len(targets)), -1, dtype=np.int64)
    if col_of.size:
        sev = np.where(hits, np.array(col_status, dtype=np.int64)[None, :], -1)
        np.maximum.at(worst.T, col_of, sev.T)
    target_hit = worst >= 0
    n_hit = target_hit.sum(axis=1)
    lv = np.where(hits, np.array(col_level, dtype=np.int64)[None, :], 0)
    level = np.maximum(lv.max(axis=1, initial=0), state.escalation_level)
    service = rules.capability.service_by_status
    service_by_sev = np.array([service.get(s, 0.0) for s in SEVERITY])
    capability: dict[str, dict[str, list[F64]]] = {}
    for nation in state.played_nations():
        for obj in state.scenario.objects:
            asset = state.assets.get(obj.id)
            if asset is None or asset.owner != nation or obj.mission is None:
                continue
            before = asset_service(rules, obj.mission, truth.status[obj.id], truth.anti_jam[obj.id])
            share = np.full(n_samples, before)
            if obj.id in target_pos:
                w = worst[:, target_pos[obj.id]]
                share = np.where(w >= 0, np.minimum(share, service_by_sev[np.maximum(w, 0)]), share)
            capability.setdefault(nation, {}).setdefault(obj.mission.value, []).append(share)
    summary = {
        nation: {
            area: {
                "mean": float(np.mean(np.mean(shares, axis=0))),
                "p05": float(np.percentile(np.mean(shares, axis=0), 5)),
                "p95": float(np.percentile(np.mean(shares, axis=0), 95)),
            }
            for area, shares in areas.items()
        }
        for nation, areas in capability.items()
    }
    p_target = np.zeros(len(targets))
    if col_of.size:
        np.maximum.at(p_target, col_of, p)
    return {
        "n_samples": n_samples,
        "injects": [inj.id for inj in injects],
        "targets": {
            t: {"p_success": float(p_target[k]), "hit_frequency": float(target_hit[:, k].mean())}
            for t, k in target_pos.items()
        },
        "targets_hit": {
            str(k): int(c) for k, c in enumerate(np.bincount(n_hit, minlength=len(targets) + 1))
        },
        "escalation_level": {
            str(k): int(c) for k, c in zip(*np.unique(level, return_counts=True), strict=True)
        },
        "capability": summary,
    }
