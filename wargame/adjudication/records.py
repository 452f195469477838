"""Per-move blobs: every nation's own custody and releases (custody record), and true positions."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.domain.common import UtcDatetime

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

CUSTODY_FORMAT = "wargame.custody/1"
TRUTH_FORMAT = "wargame.truth/1"

SIGMA_FLOOR_KM = 0.001
"""The smallest 1-sigma a custody record holds (1 m); smaller ones are stored as 1 m."""
SIGMA_STEPS_PER_OCTAVE = 16
"""Own 1-sigma is stored as a byte on a log scale: 16 steps per doubling (4.4 % apart, at most
2.2 % off), from 1 m to 60 km, which covers every held track (custody_max_sigma_km is at most
60 km; the schema says so)."""
SIGMA_CODE_MAX = 254
AGE_NEVER = 0xFFFF
"""Stored age (minutes before the record's epoch) of an estimate never observed."""


class RecordFormatError(ValueError):
    """Bytes that are not the record they were read as."""


def quantize_sigma_km(sigma_km: F64) -> NDArray[np.uint8]:
    """The byte code of each 1-sigma (finite, > 0); see SIGMA_STEPS_PER_OCTAVE."""
    octaves = np.log2(np.maximum(sigma_km, SIGMA_FLOOR_KM) / SIGMA_FLOOR_KM)
    return np.clip(np.rint(octaves * SIGMA_STEPS_PER_OCTAVE), 0, SIGMA_CODE_MAX).astype(np.uint8)


def sigma_from_code(code: NDArray[np.uint8]) -> F64:
    return SIGMA_FLOOR_KM * np.exp2(code.astype(np.float64) / SIGMA_STEPS_PER_OCTAVE)


def stored_sigma_km(sigma_km: F64) -> F64:
    """What a 1-sigma reads as once stored: the core works on these values, so a move replayed
    from the record gives the same pictures."""
    return sigma_from_code(quantize_sigma_km(sigma_km))


@dataclass(frozen=True)
class Release:
    """One partner's release of its own tracks to one receiver during the move."""

    releaser: int
    receiver: int
    level: str
    """full, degraded or delayed (withhold is no release)."""
    regimes: tuple[int, ...] | None = None
    """Regime codes the release covers; None: every regime."""
    objects: tuple[int, ...] | None = None
    """Catalog indices the release covers; None: every object (within `regimes`)."""

    def scope(self, regime_idx: I64) -> BOOL:
        """(n_obj,) the objects this release covers."""
        covered = np.ones(regime_idx.shape[0], dtype=bool)
        if self.regimes is not None:
            covered &= np.isin(regime_idx, np.asarray(self.regimes, dtype=np.int64))
        if self.objects is not None:
            chosen = np.zeros_like(covered)
            chosen[np.asarray(self.objects, dtype=np.int64)] = True
            covered &= chosen
        return covered

    def as_json(self) -> dict[str, Any]:
        return {
            "releaser": self.releaser,
            "receiver": self.receiver,
            "level": self.level,
            "regimes": None if self.regimes is None else list(self.regimes),
            "objects": None if self.objects is None else list(self.objects),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Release:
        regimes, objects = data.get("regimes"), data.get("objects")
        return cls(
            releaser=int(data["releaser"]),
            receiver=int(data["receiver"]),
            level=str(data["level"]),
            regimes=None if regimes is None else tuple(int(r) for r in regimes),
            objects=None if objects is None else tuple(int(o) for o in objects),
        )


@dataclass(frozen=True)
class CustodyRecord:
    """Everything a move's pictures are fused from, for every played nation.

    Arrays over the catalog are (n_obj,) in catalog order (which only grows at its end, so the
    indices of an older record still name the same objects); own tracks are (n_nation, n_obj).
    """

    move: int
    epoch: datetime
    """The end of the move: the time of every estimate."""
    nations: tuple[str, ...]
    own_sigma_km: F64
    """Own-only 1-sigma at `epoch` (stored values, see stored_sigma_km); inf: no own estimate."""
    own_age_min: F64
    """Minutes from the last own observation to `epoch`; NaN: never observed."""
    owner: BOOL
    """(n_nation, n_obj) a payload the nation owns (its telemetry: custody.owner_sigma_km)."""
    regime_idx: I64
    decayed: BOOL
    in_public_catalog: BOOL
    """(n_obj,) the object is in the public catalog (not made in play)."""
    public_catalog_sigma_km: F64
    """(n_obj,) 1-sigma of the public catalog's estimate at `epoch`."""
    catalog_granted: BOOL
    """(n_nation,) the scenario gives the nation the public catalog."""
    releases: tuple[Release, ...]

    @property
    def n_obj(self) -> int:
        return int(self.regime_idx.shape[0])


def _pack(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    columns: dict[str, Any] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, array in arrays.items():
        data = np.ascontiguousarray(array).tobytes()
        columns[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        chunks.append(data)
        offset += len(data)
    head = json.dumps({**header, "columns": columns}, sort_keys=True, separators=(",", ":")).encode()
    return zlib.compress(len(head).to_bytes(4, "little") + head + b"".join(chunks), 6)


def _unpack(data: bytes, expected_format: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    try:
        raw = zlib.decompress(data)
        size = int.from_bytes(raw[:4], "little")
        header = json.loads(raw[4 : 4 + size])
    except (zlib.error, ValueError) as exc:
        raise RecordFormatError(f"not a {expected_format} blob: {exc}") from None
    if header.get("format") != expected_format:
        raise RecordFormatError(f"not a {expected_format} blob (format {header.get('format')!r})")
    body = memoryview(raw)[4 + size :]
    arrays: dict[str, np.ndarray] = {}
    for name, spec in header["columns"].items():
        dtype = np.dtype(spec["dtype"])
        count = int(np.prod(spec["shape"], dtype=np.int64))
        start = int(spec["offset"])
        stop = start + count * dtype.itemsize
        if stop > len(body):
            raise RecordFormatError(f"{expected_format}: column {name} runs past the end")
        arrays[name] = np.frombuffer(body[start:stop], dtype=dtype).reshape(spec["shape"])
    return header, arrays


def encode_custody(record: CustodyRecord) -> bytes:
    """The record as a blob: per nation, the held objects (index deltas), 1-sigma codes and
    observation ages in whole minutes; columns compressed together."""
    header: dict[str, Any] = {
        "format": CUSTODY_FORMAT,
        "move": record.move,
        "epoch": record.epoch.isoformat(),
        "nations": list(record.nations),
        "n_obj": record.n_obj,
        "releases": [r.as_json() for r in record.releases],
    }
    arrays: dict[str, np.ndarray] = {
        "regime_idx": record.regime_idx.astype(np.uint8),
        "decayed": record.decayed.astype(np.uint8),
        "in_public_catalog": record.in_public_catalog.astype(np.uint8),
        "public_catalog_sigma_km": record.public_catalog_sigma_km.astype(np.float32),
        "catalog_granted": record.catalog_granted.astype(np.uint8),
    }
    for n in range(len(record.nations)):
        held = np.flatnonzero(np.isfinite(record.own_sigma_km[n]))
        owned = np.flatnonzero(record.owner[n])
        age = record.own_age_min[n, held]
        arrays[f"held.{n}"] = np.diff(held, prepend=0).astype(np.uint32)
        arrays[f"sigma.{n}"] = quantize_sigma_km(record.own_sigma_km[n, held])
        minutes = np.clip(np.rint(np.nan_to_num(age)), 0, AGE_NEVER - 1)
        arrays[f"age.{n}"] = np.where(np.isnan(age), AGE_NEVER, minutes).astype(np.uint16)
        arrays[f"owner.{n}"] = np.diff(owned, prepend=0).astype(np.uint32)
    return _pack(header, arrays)


def decode_custody(data: bytes) -> CustodyRecord:
    header, arrays = _unpack(data, CUSTODY_FORMAT)
    nations = tuple(header["nations"])
    n_obj = int(header["n_obj"])
    shape = (len(nations), n_obj)
    sigma = np.full(shape, np.inf)
    age = np.full(shape, np.nan)
    owner = np.zeros(shape, dtype=bool)
    for n in range(len(nations)):
        held = np.cumsum(arrays[f"held.{n}"].astype(np.int64))
        sigma[n, held] = sigma_from_code(arrays[f"sigma.{n}"])
        ages = arrays[f"age.{n}"].astype(np.float64)
        age[n, held] = np.where(ages == AGE_NEVER, np.nan, ages)
        owner[n, np.cumsum(arrays[f"owner.{n}"].astype(np.int64))] = True
    return CustodyRecord(
        move=int(header["move"]),
        epoch=datetime.fromisoformat(header["epoch"]),
        nations=nations,
        own_sigma_km=sigma,
        own_age_min=age,
        owner=owner,
        regime_idx=arrays["regime_idx"].astype(np.int64),
        decayed=arrays["decayed"].astype(bool),
        in_public_catalog=arrays["in_public_catalog"].astype(bool),
        public_catalog_sigma_km=arrays["public_catalog_sigma_km"].astype(np.float64),
        catalog_granted=arrays["catalog_granted"].astype(bool),
        releases=tuple(Release.from_json(r) for r in header["releases"]),
    )


@dataclass(frozen=True)
class TruthRecord:
    """True Earth-fixed positions of every object at one instant (catalog order), float32 km."""

    epoch: UtcDatetime
    pos_ecef_km: F32
    """(n_obj, 3); NaN where the object no longer propagates (decayed)."""

    @property
    def n_obj(self) -> int:
        return int(self.pos_ecef_km.shape[0])


def encode_truth(record: TruthRecord) -> bytes:
    header = {"format": TRUTH_FORMAT, "epoch": record.epoch.isoformat(), "n_obj": record.n_obj}
    return _pack(header, {"pos_ecef_km": record.pos_ecef_km.astype(np.float32)})


def decode_truth(data: bytes) -> TruthRecord:
    header, arrays = _unpack(data, TRUTH_FORMAT)
    return TruthRecord(epoch=datetime.fromisoformat(header["epoch"]), pos_ecef_km=arrays["pos_ecef_km"])
