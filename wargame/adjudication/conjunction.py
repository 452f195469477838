"""Collision probability (Foster 2D, isotropic covariance) and the screening result type."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

_MAX_SERIES_TERMS = 20000


def pc_isotropic(miss_km: F64, sigma_km: F64, hard_body_radius_km: float | F64) -> F64:
    """Foster 2D collision probability for an isotropic combined covariance (exact series).

    Pc = P(|X| <= R) with X ~ N(m, s^2 I_2) in the encounter plane = 1 - Q_1(m/s, R/s)
    (Marcum Q). With J ~ Poisson(m^2 / 2s^2) and N ~ Poisson(R^2 / 2s^2) independent,
    Pc = P(N > J) = sum_{k>=1} Pois(k; R^2/2s^2) * P(J <= k - 1): a positive series summed to
    convergence. Inputs broadcast together; s = 0 gives the step function [m < R].
    """
    miss, sigma, radius = np.broadcast_arrays(
        np.asarray(miss_km, dtype=np.float64),
        np.asarray(sigma_km, dtype=np.float64),
        np.asarray(hard_body_radius_km, dtype=np.float64),
    )
    out_shape = miss.shape
    miss, sigma, radius = miss.ravel(), sigma.ravel(), radius.ravel()
    pc = np.where(miss < radius, 1.0, 0.0)
    ok = sigma > 0.0
    if not np.any(ok):
        return pc.reshape(out_shape)
    mu = 0.5 * (miss[ok] / sigma[ok]) ** 2
    y = 0.5 * (radius[ok] / sigma[ok]) ** 2
    y_max = float(np.max(y))
    n_terms = int(min(_MAX_SERIES_TERMS, np.ceil(y_max + 12.0 * np.sqrt(y_max) + 40.0)))
    k = np.arange(n_terms + 1, dtype=np.float64)  # 0..K
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.maximum(k[1:], 1.0)))])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_mu = np.log(mu)[:, None]
        log_y = np.log(y)[:, None]
        # log Pois(k; mu) and log Pois(k; y), shape (m, K + 1); 0 * log 0 := 0.
        log_p_j = np.where(k[None, :] == 0, 0.0, k[None, :] * log_mu) - mu[:, None] - log_fact
        log_p_n = np.where(k[None, :] == 0, 0.0, k[None, :] * log_y) - y[:, None] - log_fact
    cdf_j = np.cumsum(np.exp(log_p_j), axis=1)  # P(J <= k)
    pc_ok = np.sum(np.exp(log_p_n[:, 1:]) * cdf_j[:, :-1], axis=1)
    pc[ok] = np.clip(pc_ok, 0.0, 1.0)
    return pc.reshape(out_shape)


@dataclass(frozen=True)
class ScreeningHits:
    """Close pairs found by screening, parallel arrays of shape (n_hit,)."""

    primary: I64
    """Catalog index of the asset."""
    secondary: I64
    """Catalog index of the other object."""
    step: I64
    """Sampled step nearest the time of closest approach."""
    tca_offset_min: F64
    """Refined time of closest approach, minutes after the ephemeris start."""
    miss_km: F64
    """Refined miss distance (linear relative motion around the sampled minimum)."""
