"""The binary picture resource (`wargame.picture/1`): a seat's picture or the truth, columnar."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.fusion import SOURCES
from wargame.adjudication.orbits import REGIMES
from wargame.adjudication.picture_set import Blobs, custody_from
from wargame.adjudication.rendering import NationPicture, TruthPicture, nation_picture, truth_picture
from wargame.domain.pictures import PictureSet
from wargame.domain.state import ExerciseState

FORMAT = "wargame.picture/1"
KINDS = ("payload", "rocket_body", "debris")
MISSIONS = ("", "PNT", "SATCOM", "ISR", "MISSILE_WARNING", "SSA", "WEATHER")
STATUSES = ("nominal", "degraded", "disabled", "destroyed")
LAT_SCALE = 90.0 / 32767.0
LON_SCALE = 180.0 / 32767.0
AGE_NEVER = 65535
CONTENT_TYPE = "application/vnd.wargame.picture"


@dataclass(frozen=True)
class Directory:
    """What a seat may know of each object it holds, in catalog order: id, name, owner, kind,
    mission and regime (the public catalog's and the scenario's cards)."""

    ids: Sequence[str]
    names: Sequence[str]
    owners: Sequence[str | None]
    kinds: Sequence[str]
    missions: Sequence[str | None]
    regime_idx: NDArray[np.int64]


def _dictionary(
    values: Sequence[Any], rows: NDArray[np.int64], first: Sequence[str] = ()
) -> tuple[list[str], NDArray[np.uint8]]:
    """Dictionary-code values[rows] (None as ""): the dictionary and (n,) u8 codes."""
    picked = ["" if values[int(k)] is None else str(values[int(k)]) for k in rows]
    names = list(dict.fromkeys([*first, *picked]))
    if len(names) > 256:
        raise ValueError(f"{len(names)} distinct values do not fit a u8 dictionary")
    code = {n: i for i, n in enumerate(names)}
    return names, np.array([code[p] for p in picked], dtype=np.uint8)


def _strings(values: Sequence[str], rows: NDArray[np.int64]) -> bytes:
    return "\n".join(values[int(k)] for k in rows).encode()


def _pack(header: dict[str, Any], columns: dict[str, tuple[str, bytes, dict[str, Any]]]) -> bytes:
    """Header length (u32 LE), header JSON, zero padding to 8, then each column 8-aligned."""
    specs: dict[str, Any] = {}
    body = bytearray()
    for name, (kind, data, extra) in columns.items():
        specs[name] = {"type": kind, "offset": len(body), "length": len(data), **extra}
        body += data
        body += b"\0" * (-len(body) % 8)
    head = json.dumps({**header, "columns": specs}, separators=(",", ":")).encode()
    start = 4 + len(head)
    return len(head).to_bytes(4, "little") + head + b"\0" * (-start % 8) + bytes(body)


def _positions(
    lat: NDArray[np.float64], lon: NDArray[np.float64], alt: NDArray[np.float64]
) -> dict[str, Any]:
    """Estimated (or true) geodetic positions, quantized for display: lat/lon as i16 (0.003 and
    0.005 degrees), altitude in whole km."""
    lon = (lon + 180.0) % 360.0 - 180.0
    lat_code = np.rint(np.nan_to_num(lat) / LAT_SCALE).astype("<i2")
    lon_code = np.clip(np.rint(np.nan_to_num(lon) / LON_SCALE), -32767, 32767).astype("<i2")
    return {
        "lat": ("i16", lat_code.tobytes(), {"scale": LAT_SCALE}),
        "lon": ("i16", lon_code.tobytes(), {"scale": LON_SCALE}),
        "alt_km": ("u16", np.clip(np.rint(np.nan_to_num(alt)), 0, 65535).astype("<u2").tobytes(), {}),
    }


def _cards(directory: Directory, rows: NDArray[np.int64]) -> tuple[dict[str, Any], dict[str, Any]]:
    owners, owner_codes = _dictionary(directory.owners, rows, [""])
    kinds, kind_codes = _dictionary(directory.kinds, rows, KINDS)
    missions, mission_codes = _dictionary(directory.missions, rows, MISSIONS)
    columns: dict[str, Any] = {
        "object_id": ("str", _strings(directory.ids, rows), {}),
        "name": ("str", _strings(directory.names, rows), {}),
        "owner": ("u8", owner_codes.tobytes(), {}),
        "kind": ("u8", kind_codes.tobytes(), {}),
        "mission": ("u8", mission_codes.tobytes(), {}),
        "regime": ("u8", directory.regime_idx[rows].astype(np.uint8).tobytes(), {}),
    }
    dictionaries = {"owner": owners, "kind": kinds, "mission": missions, "regime": list(REGIMES)}
    return columns, dictionaries


def _by_id(ids: Sequence[str], rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """The order that sorts `rows` by object id."""
    return np.array(sorted(range(len(rows)), key=lambda r: ids[int(rows[r])]), dtype=np.int64)


def encode_picture(picture: NationPicture, directory: Directory) -> bytes:
    """A nation's picture as the seat receives it: one row per held object, sorted by id."""
    order = _by_id(directory.ids, picture.index)
    rows = picture.index[order]
    columns, dictionaries = _cards(directory, rows)
    contributor_sets = sorted({int(m) for m in picture.contributors[order]})
    code = {m: i for i, m in enumerate(contributor_sets)}
    age = picture.age_min[order]
    age_code = np.where(np.isnan(age), AGE_NEVER, np.clip(np.rint(np.nan_to_num(age)), 0, AGE_NEVER - 1))
    contributors = np.array([code[int(m)] for m in picture.contributors[order]], "<u2")
    columns.update(
        {
            "source": ("u8", picture.source[order].astype(np.uint8).tobytes(), {}),
            "contributors": ("u16", contributors.tobytes(), {}),
            "sigma_km": ("f32", picture.sigma_km[order].astype("<f4").tobytes(), {}),
            "age_min": ("u16", age_code.astype("<u2").tobytes(), {}),
            "delayed": ("u8", picture.delayed[order].astype(np.uint8).tobytes(), {}),
            **_positions(picture.lat_deg[order], picture.lon_deg[order], picture.alt_km[order]),
        }
    )
    dictionaries["source"] = list(SOURCES)
    dictionaries["contributors"] = [
        [n for k, n in enumerate(picture.nations) if mask >> k & 1] for mask in contributor_sets
    ]
    header = {
        "format": FORMAT,
        "kind": "picture",
        "nation": picture.nation,
        "move": picture.move,
        "epoch": picture.epoch.isoformat(),
        "previous_epoch": picture.previous_epoch.isoformat() if picture.previous_epoch else None,
        "rows": int(rows.size),
        "dictionaries": dictionaries,
    }
    return _pack(header, columns)


def encode_truth(truth: TruthPicture, directory: Directory, statuses: Sequence[str]) -> bytes:
    """Ground truth of every object of the move (control seats): true positions and statuses
    (`statuses`: one STATUSES value per object, catalog order)."""
    n = truth.lat_deg.shape[0]
    order = _by_id(directory.ids, np.arange(n, dtype=np.int64))
    columns, dictionaries = _cards(directory, order)
    status_code = np.array([STATUSES.index(statuses[int(k)]) for k in order], dtype=np.uint8)
    columns.update(
        {
            "status": ("u8", status_code.tobytes(), {}),
            "decayed": ("u8", truth.decayed[order].astype(np.uint8).tobytes(), {}),
            **_positions(truth.lat_deg[order], truth.lon_deg[order], truth.alt_km[order]),
        }
    )
    dictionaries["status"] = list(STATUSES)
    header = {
        "format": FORMAT,
        "kind": "truth",
        "nation": None,
        "move": truth.move,
        "epoch": truth.epoch.isoformat(),
        "previous_epoch": None,
        "rows": n,
        "dictionaries": dictionaries,
    }
    return _pack(header, columns)


def directory_for(state: ExerciseState, pictures: PictureSet, blobs: Blobs) -> Directory:
    """Cards of every object of a move's record (catalog order): the background catalog's, then
    the others of the state's catalog order, with each object's regime as the record has it."""
    record = custody_from(blobs, pictures.custody)
    assert record is not None
    n_obj = record.n_obj
    bg = state.background
    extra = state.object_ids()[len(bg) : max(len(bg), n_obj)]
    cards = [state.object_card(k) for k in extra]
    return Directory(
        ids=[*bg.ids, *extra][:n_obj],
        names=[*bg.names, *(c["name"] or k for c, k in zip(cards, extra, strict=True))][:n_obj],
        owners=[*bg.owners, *(c["owner"] for c in cards)][:n_obj],
        kinds=[*bg.kinds, *(c["kind"] or "debris" for c in cards)][:n_obj],
        missions=[*bg.missions, *(c["mission"] for c in cards)][:n_obj],
        regime_idx=record.regime_idx,
    )


def render_resource(state: ExerciseState, pictures: PictureSet, blobs: Blobs, nation: str | None) -> bytes:
    """`nation`'s picture of the move (its estimates), or with None the ground truth."""
    directory = directory_for(state, pictures, blobs)
    if nation is not None:
        return encode_picture(nation_picture(nation, pictures, blobs, state.ruleset, state.seed), directory)
    truth = truth_picture(pictures, blobs)
    statuses = [
        asset.status.value if (asset := state.assets.get(k)) is not None else "nominal" for k in directory.ids
    ]
    return encode_truth(truth, directory, statuses)


DTYPES = {"u8": "<u1", "u16": "<u2", "i16": "<i2", "u32": "<u4", "f32": "<f4"}
"""numpy dtypes of the resource's numeric column types."""


def decode_rows(data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(header without its column layout, rows): a resource read back into one dict per object,
    sorted by object id, dictionary columns decoded and scaled columns scaled (what a person
    reading `wargame replay --picture` wants; the browser decodes the columns itself)."""
    size = int.from_bytes(data[:4], "little")
    header = json.loads(data[4 : 4 + size])
    start = 4 + size + (-(4 + size) % 8)
    dictionaries = header["dictionaries"]
    columns: dict[str, list[Any]] = {}
    for name, spec in header["columns"].items():
        raw = data[start + spec["offset"] : start + spec["offset"] + spec["length"]]
        if spec["type"] == "str":
            columns[name] = raw.decode().split("\n") if header["rows"] else []
            continue
        values = np.frombuffer(raw, dtype=DTYPES[spec["type"]])
        if "scale" in spec:
            columns[name] = (values * spec["scale"]).tolist()
        elif name in dictionaries:
            columns[name] = [dictionaries[name][int(k)] for k in values]
        else:
            columns[name] = values.tolist()
    rows = [{name: values[r] for name, values in columns.items()} for r in range(header["rows"])]
    return {k: v for k, v in header.items() if k != "columns"}, rows
