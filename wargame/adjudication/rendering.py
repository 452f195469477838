"""A nation's picture as its seat sees it: fused tracks with estimated positions, and ground truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.estimates import estimated_ecef_km
from wargame.adjudication.fusion import SOURCES
from wargame.adjudication.orbits import ecef_to_geodetic
from wargame.adjudication.picture_set import Blobs, custody_from, fused_from_records, truth_from
from wargame.domain.pictures import PictureSet
from wargame.domain.ruleset_model import Ruleset

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]


@dataclass(frozen=True)
class NationPicture:
    """One nation's picture after a move: its held objects in catalog order, (n_held,) columns."""

    nation: str
    move: int
    epoch: datetime
    previous_epoch: datetime | None
    nations: tuple[str, ...]
    """Bit order of `contributors`."""
    index: I64
    """Catalog index of each held object."""
    sigma_km: F64
    source: I64
    """Index into fusion.SOURCES."""
    contributors: I64
    """Bit k set: nations[k]'s data went into the track."""
    age_min: F64
    """Minutes from the latest observation to the track's epoch; NaN: never observed."""
    delayed: BOOL
    """The track is a partner's delayed release: it is valid at `previous_epoch`."""
    lat_deg: F64
    lon_deg: F64
    alt_km: F64
    """Estimated position at the track's epoch (never the truth)."""
    ecef_km: F64
    """(n_held, 3) the same estimated positions, Earth-fixed km (for element sets)."""

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def contributor_names(self, row: int) -> tuple[str, ...]:
        mask = int(self.contributors[row])
        return tuple(n for k, n in enumerate(self.nations) if mask >> k & 1)


def nation_picture(
    nation: str, pictures: PictureSet, blobs: Blobs, rules: Ruleset, seed: int
) -> NationPicture:
    """Render `nation`'s picture of a move from the move's blobs: fused exactly as the core fused
    it, with positions drawn from the nation's own 1-sigma around the truth (keyed by exercise
    seed, move and nation), delayed tracks at the previous epoch."""
    record = custody_from(blobs, pictures.custody)
    truth = truth_from(blobs, pictures.truth)
    assert record is not None and truth is not None
    previous = custody_from(blobs, pictures.previous_custody)
    previous_truth = truth_from(blobs, pictures.previous_truth)
    fused = fused_from_records(record, previous, rules, holders=[record.nations.index(nation)])
    n = 0  # the one row fused: this nation's
    held = np.flatnonzero(fused.held[n])
    bits = 1 << np.arange(len(record.nations), dtype=np.int64)
    contributors = bits @ fused.contributors[n][:, held].astype(np.int64)
    delayed = fused.delayed_only[n, held] & (previous_truth is not None)
    position = truth.pos_ecef_km[held].astype(np.float64)
    if previous_truth is not None and delayed.any():
        old = held[delayed]
        inside = old < previous_truth.n_obj
        rows = np.flatnonzero(delayed)[inside]
        position[rows] = previous_truth.pos_ecef_km[old[inside]]
    sigma = fused.sigma_km[n, held]
    estimate = estimated_ecef_km(position, sigma, (seed, pictures.move, "picture", nation))
    lat, lon, alt = ecef_to_geodetic(estimate)
    age = -fused.obs_min[n, held]
    if previous is not None:
        age = np.where(delayed, age - (record.epoch - previous.epoch).total_seconds() / 60.0, age)
    return NationPicture(
        nation=nation,
        move=pictures.move,
        epoch=record.epoch,
        previous_epoch=previous.epoch if previous is not None else None,
        nations=record.nations,
        index=held.astype(np.int64),
        sigma_km=sigma,
        source=fused.source[n, held],
        contributors=contributors,
        age_min=age,
        delayed=delayed,
        lat_deg=lat,
        lon_deg=lon,
        alt_km=alt,
        ecef_km=estimate,
    )


@dataclass(frozen=True)
class TruthPicture:
    """Ground truth of every object of a move's record, (n_obj,) columns in catalog order."""

    move: int
    epoch: datetime
    lat_deg: F64
    lon_deg: F64
    alt_km: F64
    decayed: BOOL


def truth_picture(pictures: PictureSet, blobs: Blobs) -> TruthPicture:
    truth = truth_from(blobs, pictures.truth)
    assert truth is not None
    lat, lon, alt = ecef_to_geodetic(truth.pos_ecef_km.astype(np.float64))
    return TruthPicture(
        move=pictures.move,
        epoch=truth.epoch,
        lat_deg=lat,
        lon_deg=lon,
        alt_km=alt,
        decayed=np.isnan(truth.pos_ecef_km[:, 0]),
    )


def rows(picture: NationPicture, ids: Sequence[str]) -> dict[str, dict[str, object]]:
    """The picture as Track-shaped rows by object id (tests and small pictures)."""
    return {
        ids[int(k)]: {
            "object_id": ids[int(k)],
            "sigma_km": float(picture.sigma_km[r]),
            "source": SOURCES[int(picture.source[r])],
            "contributors": picture.contributor_names(r),
            "age_min": None if np.isnan(picture.age_min[r]) else float(picture.age_min[r]),
            "delayed": bool(picture.delayed[r]),
            "lat_deg": float(picture.lat_deg[r]),
            "lon_deg": float(picture.lon_deg[r]),
            "alt_km": float(picture.alt_km[r]),
        }
        for r, k in enumerate(picture.index)
    }
