"""Monte Carlo preview of an inject: the outcome distribution, vectorized over samples."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.effects import _effect_targets, success_probability
from wargame.adjudication.manoeuvres import Truth
from wargame.domain.common import AssetStatus
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState

F64 = NDArray[np.float64]


def sample_hits(p_success: F64, alive: NDArray[np.bool_], n_samples: int, seed: int) -> NDArray[np.bool_]:
    """(n_samples, n_target) hit matrix: one uniform draw per sample and target."""
    draws = np.random.default_rng(seed).random((n_samples, p_success.size))
    return (draws < p_success[None, :]) & alive[None, :]


def preview(state: ExerciseState, inject: Inject | None, n_samples: int) -> dict[str, Any]:
    """Distribution of the outcome of `inject` (None: no inject) over n_samples draws.

    Returns p_success and hit frequency per target, the distribution of the number of targets
    hit, the escalation level distribution and the mean/5th/95th percentile of capability per
    nation and mission area. Deterministic for a state (seeded by exercise seed, move, 'preview').
    """
    rules = state.ruleset
    rule = None if inject is None else rules.effects.get(inject.type)
    truth = Truth.of(state)
    targets = [] if inject is None or rule is None else _effect_targets(state, rule, inject)
    p = np.zeros(0)
    if rule is not None and inject is not None:
        p = np.array([success_probability(state, rule, inject, t, truth) for t in targets])
    alive = np.array([truth.status[t] != AssetStatus.DESTROYED for t in targets], dtype=bool)
    hits = sample_hits(p, alive, n_samples, seed=state.seed * 1_000_003 + state.move)
    n_hit = hits.sum(axis=1)
    level = np.where(n_hit > 0, rule.escalation_level if rule else 0, 0)
    level = np.maximum(level, state.escalation_level)
    service = rules.capability.service_by_status
    capability: dict[str, dict[str, list[F64]]] = {}
    target_pos = {t: k for k, t in enumerate(targets)}
    for nation in state.played_nations():
        for obj in state.scenario.objects:
            asset = state.assets.get(obj.id)
            if asset is None or asset.owner != nation or obj.mission is None:
                continue
            base = service[asset.status]
            share = np.full(n_samples, base)
            if obj.id in target_pos and rule is not None:
                share = np.where(hits[:, target_pos[obj.id]], service[rule.status], base)
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
    return {
        "n_samples": n_samples,
        "targets": {
            t: {"p_success": float(p[k]), "hit_frequency": float(hits[:, k].mean())}
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
