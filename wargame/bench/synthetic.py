"""Seeded synthetic catalog (LEO/MEO/GEO/HEO mix), sensor network and ruleset for benchmarks."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import yaml
from sgp4.api import WGS72, Satrec

from wargame.adjudication.catalog import Catalog
from wargame.adjudication.orbits import SGP4_EPOCH, WGS72_RADIUS_KM, XKE_PER_MIN, regime_index
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import KeplerianOrbit, Sensor
from wargame.resources import shipped_root

EPOCH = datetime(2031, 3, 1, tzinfo=UTC)
NATIONS: tuple[str, ...] = (
    "USA", "GBR", "CAN", "AUS", "NZL", "DEU", "FRA", "JPN", "ITA", "NOR", "KOR", "ESP",
)
REGIME_MIX: tuple[tuple[str, float], ...] = (
    ("leo_shell", 0.30),
    ("leo_sso", 0.25),
    ("leo_debris", 0.17),
    ("meo_gnss", 0.06),
    ("meo_other", 0.02),
    ("geo", 0.13),
    ("heo", 0.07),
)
"""Share of each family: roughly the public catalog's mix (LEO ~72 %, GEO ~13 %)."""


def _elements(rng: np.random.Generator, family: str, n: int) -> np.ndarray:
    """(n, 6) rows of a_km, e, i_deg, raan_deg, argp_deg, ma_deg for one family."""
    out = np.empty((n, 6))
    out[:, 3:] = rng.uniform(0.0, 360.0, (n, 3))
    re_km = WGS72_RADIUS_KM
    if family == "leo_shell":
        out[:, 0] = re_km + rng.choice([340.0, 540.0, 550.0, 560.0, 570.0, 1200.0], n)
        out[:, 1] = rng.uniform(0.0, 0.002, n)
        out[:, 2] = rng.choice([43.0, 53.0, 53.2, 70.0, 87.9, 97.6], n)
    elif family == "leo_sso":
        alt = rng.uniform(450.0, 900.0, n)
        out[:, 0] = re_km + alt
        out[:, 1] = rng.uniform(0.0, 0.005, n)
        out[:, 2] = 96.5 + alt / 500.0
    elif family == "leo_debris":
        out[:, 0] = re_km + rng.uniform(650.0, 1400.0, n)
        out[:, 1] = rng.uniform(0.0, 0.03, n)
        out[:, 2] = rng.uniform(60.0, 105.0, n)
    elif family == "meo_gnss":
        out[:, 0] = rng.choice([25508.0, 26560.0, 29600.0, 27906.0], n)
        out[:, 1] = rng.uniform(0.0, 0.01, n)
        out[:, 2] = rng.choice([55.0, 56.0, 64.8], n)
    elif family == "meo_other":
        out[:, 0] = re_km + rng.uniform(2500.0, 20000.0, n)
        out[:, 1] = rng.uniform(0.0, 0.1, n)
        out[:, 2] = rng.uniform(0.0, 90.0, n)
    elif family == "geo":
        out[:, 0] = 42164.0 + rng.normal(0.0, 30.0, n)
        out[:, 1] = rng.uniform(0.0, 0.001, n)
        out[:, 2] = rng.uniform(0.0, 15.0, n)
    else:
        molniya = rng.random(n) < 0.4
        out[:, 0] = np.where(molniya, 26600.0, 24400.0)
        out[:, 1] = np.where(molniya, 0.72, 0.73)
        out[:, 2] = np.where(molniya, 63.4, rng.uniform(0.0, 28.0, n))
    return out


def synthetic_elements(n_obj: int, seed: int) -> np.ndarray:
    """(n_obj, 6) mean elements drawn from REGIME_MIX (seeded, deterministic)."""
    rng = np.random.default_rng(seed)
    counts = [round(share * n_obj) for _f, share in REGIME_MIX]
    counts[0] += n_obj - sum(counts)
    return np.concatenate([_elements(rng, f, c) for (f, _s), c in zip(REGIME_MIX, counts, strict=True)])


def satrec_of(row: np.ndarray, satnum: int, epoch: datetime = EPOCH) -> Satrec:
    a_km, ecc, inc, raan, argp, ma = (float(x) for x in row)
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", satnum % 100000, (epoch - SGP4_EPOCH) / timedelta(days=1), 1.0e-5, 0.0, 0.0,
        ecc, math.radians(argp), math.radians(inc), math.radians(ma),
        XKE_PER_MIN * (a_km / WGS72_RADIUS_KM) ** -1.5, math.radians(raan),
    )
    return sat


def synthetic_catalog(ruleset: Ruleset, n_obj: int, n_assets: int, seed: int) -> Catalog:
    """Catalog of n_obj objects; the first n_assets of a shuffled order are owned payloads."""
    elements = synthetic_elements(n_obj, seed)
    rng = np.random.default_rng(seed + 1)
    satrecs = tuple(satrec_of(row, k) for k, row in enumerate(elements))
    ids = tuple(f"OBJ-{k:06d}" for k in range(n_obj))
    assets = rng.permutation(n_obj)[:n_assets]
    owner_idx = np.full(n_obj, -1, dtype=np.int64)
    owner_idx[assets] = rng.integers(0, len(NATIONS), n_assets)
    is_payload = owner_idx >= 0
    return Catalog(
        ids=ids,
        index={obj_id: k for k, obj_id in enumerate(ids)},
        nations=NATIONS,
        owner=tuple(NATIONS[o] if o >= 0 else None for o in owner_idx.tolist()),
        owner_idx=owner_idx,
        is_payload=is_payload,
        created_in_play=np.zeros(n_obj, dtype=bool),
        regime_idx=np.array([regime_index(s, ruleset.regimes) for s in satrecs], dtype=np.int64),
        satrecs=satrecs,
    )


SENSOR_MIX: tuple[tuple[str, int], ...] = (
    ("phased_array_radar", 18),
    ("tracking_radar", 12),
    ("deep_space_radar", 8),
    ("optical_geo", 14),
    ("rf_geolocation", 6),
    ("space_based_optical", 2),
)


def synthetic_sensors(seed: int) -> list[Sensor]:
    """60 sensors of the standard ruleset's models spread over the 12 nations (seeded)."""
    rng = np.random.default_rng(seed + 2)
    sensors: list[Sensor] = []
    for model, count in SENSOR_MIX:
        for k in range(count):
            owner = NATIONS[len(sensors) % len(NATIONS)]
            orbit = None
            if model == "space_based_optical":
                orbit = KeplerianOrbit(
                    kind="keplerian", epoch=EPOCH, semi_major_axis_km=WGS72_RADIUS_KM + 786.0,
                    eccentricity=0.001, inclination_deg=98.6, raan_deg=float(rng.uniform(0, 360)),
                    arg_perigee_deg=0.0, mean_anomaly_deg=float(rng.uniform(0, 360)),
                )
            sensors.append(
                Sensor(
                    id=f"{model}-{k}", name=f"{model} {k}", owner=owner, model=model,
                    lat_deg=float(rng.uniform(-60.0, 70.0)), lon_deg=float(rng.uniform(-180.0, 180.0)),
                    alt_km=float(rng.uniform(0.0, 2.0)), orbit=orbit,
                )
            )
    return sensors


def standard_ruleset() -> Ruleset:
    """The shipped rulesets/standard.yaml."""
    path = shipped_root() / "rulesets" / "standard.yaml"
    return Ruleset.model_validate(yaml.safe_load(path.read_text()))
