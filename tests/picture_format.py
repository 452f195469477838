"""A reader of the binary picture resource (`wargame.picture/1`) for tests: header and columns."""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np

DTYPES = {"u8": "<u1", "u16": "<u2", "i16": "<i2", "u32": "<u4", "f32": "<f4"}


def read_picture(data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, columns): numeric columns as numpy arrays (scaled when the header says so),
    string columns as lists."""
    (size,) = struct.unpack("<I", data[:4])
    header = json.loads(data[4 : 4 + size])
    start = -(-(4 + size) // 8) * 8
    columns: dict[str, Any] = {}
    for name, spec in header["columns"].items():
        raw = data[start + spec["offset"] : start + spec["offset"] + spec["length"]]
        if spec["type"] == "str":
            columns[name] = raw.decode().split("\n") if header["rows"] else []
            continue
        values = np.frombuffer(raw, dtype=DTYPES[spec["type"]])
        assert values.size == header["rows"], (name, values.size, header["rows"])
        columns[name] = values * spec["scale"] if "scale" in spec else values
    return header, columns


def rows(data: bytes) -> dict[str, dict[str, Any]]:
    """The picture as rows by object id, dictionary columns decoded."""
    header, columns = read_picture(data)
    dictionaries = header["dictionaries"]
    out: dict[str, dict[str, Any]] = {}
    for r, object_id in enumerate(columns["object_id"]):
        row: dict[str, Any] = {}
        for name, values in columns.items():
            value = values[r]
            if name in dictionaries and name != "object_id":
                value = dictionaries[name][int(value)]
            row[name] = value.item() if hasattr(value, "item") else value
        out[object_id] = row
    return out
