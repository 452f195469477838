"""The canonical texts events are hashed as: RFC 8785 (JCS) now, Python's json printing before."""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from typing import Any

import rfc8785

RFC8785 = "rfc8785-sha256"
"""The recipe of events sealed from now on (their `hash_recipe`): SHA-256 of the RFC 8785 text."""

PYTHON_JSON = "python-json-sha256"
"""The recipe of events sealed by earlier releases (no `hash_recipe`): SHA-256 of the text
Python's `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` printed."""

RECIPES = (RFC8785, PYTHON_JSON)

SAFE_INTEGER = 2**53 - 1
"""Integers beyond +-(2**53 - 1) cannot pass through an IEEE double exactly (RFC 8785 3.2.2.3):
such an integer in an event is refused when it is sealed."""


class UnstorableEvent(ValueError):
    """An event holds something its canonical text cannot carry exactly (NaN, an infinity, an
    integer beyond +-(2**53 - 1), a lone surrogate): it is refused, not stored."""


def text_hash(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes, lowercase hex: an event's hash from its canonical text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recipe_of(fields: dict[str, Any]) -> str:
    """The recipe an envelope's fields (or its parsed text) say it was hashed by."""
    recipe = fields.get("hash_recipe") or PYTHON_JSON
    return str(recipe)


def canonical_text(fields: dict[str, Any], *, strict: bool = True) -> str:
    """The canonical text of envelope fields under the recipe they name. `strict=False` reads
    every number as an IEEE double, as a parser of the text does (for re-checking stored text)."""
    recipe = recipe_of(fields)
    if recipe == RFC8785:
        return jcs_text(fields, strict=strict)
    if recipe == PYTHON_JSON:
        return python_text(fields)
    raise UnstorableEvent(f"unknown hash recipe {recipe!r}")


# -- RFC 8785 --------------------------------------------------------------------------------


def jcs_text(data: Any, *, strict: bool = True) -> str:
    """The RFC 8785 (JSON Canonicalization Scheme) text of JSON data.

    Exactly `rfc8785.dumps` (tests compare them on generated data), done faster: numbers are
    first put in a form whose Python printing is already the ECMAScript one (an integral double
    becomes an int; the rare double Python would print with an exponent is printed by `rfc8785`
    and spliced in), then the C `json` encoder writes the text, sorting keys by code point. That
    equals RFC 8785's UTF-16 order unless a key holds a character beyond U+FFFF: a text with one
    anywhere (or with a lone surrogate) is written by `rfc8785` itself.

    `strict` refuses integers beyond +-(2**53 - 1) (UnstorableEvent); otherwise they are read as
    the doubles a JSON parser would make of them. NaN and infinities are always refused.
    """
    numbers: list[str] = []
    prepared = _prepared(data, numbers, strict)
    text = json.dumps(prepared, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if numbers:
        spliced = _MARKER_TEXT.subn(lambda m: numbers[int(m.group(1))], text)
        if spliced[1] != len(numbers):  # the data held our marker itself (never seen): go slow
            return _rfc8785_text(data, strict)
        text = spliced[0]
    if not text.isascii() and _BEYOND_BMP.search(text):
        return _rfc8785_text(data, strict)
    return text


_NONCE = secrets.token_hex(8)
_MARKER = f"\x00{_NONCE}:"
"""A string no event holds (a NUL and a secret drawn per process), standing in for a number
while the encoder runs; it is written `"\\u0000<nonce>:<index>"`."""
_MARKER_TEXT = re.compile(rf'"\\u0000{_NONCE}:(\d+)"')
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff\ud800-\udfff]")
_LOWEST_POSITIONAL = 1e-4
"""Python prints a non-integral double below this with an exponent (ECMAScript: below 1e-6)."""
_EXACT_INTEGRAL = float(2**53)
"""An integral double below this in magnitude prints as that integer in both languages."""


def _prepared(value: Any, numbers: list[str], strict: bool) -> Any:
    """`value` with its numbers in the form Python prints as ECMAScript does (the leaves of a
    container are handled inline: this walk runs over every value of a multi-megabyte body)."""
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            leaf = type(item)
            if leaf is str or leaf is bool or item is None:
                out[key] = item
            elif leaf is float and -_EXACT_INTEGRAL < item < _EXACT_INTEGRAL and item.is_integer():
                out[key] = int(item)
            elif leaf is float and _LOWEST_POSITIONAL <= abs(item) < _EXACT_INTEGRAL:
                out[key] = item
            else:
                out[key] = _prepared(item, numbers, strict)
        return out
    if kind is list or kind is tuple:
        items = []
        for item in value:
            leaf = type(item)
            if leaf is str or leaf is bool or item is None:
                items.append(item)
            elif leaf is float and -_EXACT_INTEGRAL < item < _EXACT_INTEGRAL and item.is_integer():
                items.append(int(item))
            elif leaf is float and _LOWEST_POSITIONAL <= abs(item) < _EXACT_INTEGRAL:
                items.append(item)
            else:
                items.append(_prepared(item, numbers, strict))
        return items
    if kind is float:
        return _double(value, numbers)
    if kind is int and not -SAFE_INTEGER <= value <= SAFE_INTEGER:
        if strict:
            raise UnstorableEvent(f"the integer {value} is beyond +-(2**53 - 1): JSON cannot hold it exactly")
        return _double(float(value), numbers)
    return value


def _double(value: float, numbers: list[str]) -> Any:
    if value.is_integer():
        if -_EXACT_INTEGRAL < value < _EXACT_INTEGRAL:
            return int(value)  # 3.0 -> 3, -0.0 -> 0
    elif not math.isfinite(value):
        raise UnstorableEvent("it holds NaN or an infinite number, which cannot be recorded")
    elif abs(value) >= _LOWEST_POSITIONAL:
        return value  # Python's shortest repr, positional: the ECMAScript text too
    numbers.append(ecmascript_number(value))
    return f"{_MARKER}{len(numbers) - 1}"


def ecmascript_number(value: float) -> str:
    """A finite double as ECMAScript's Number::toString writes it (RFC 8785 3.2.2.3), from the
    shortest round-trip digits Python's repr finds (the same digits ECMAScript requires)."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + ("" if fraction == "0" else fraction)
    point = len(whole) + int(exponent or 0)  # value = 0.<digits> * 10**point
    significant = digits.lstrip("0")
    point -= len(digits) - len(significant)
    digits = significant.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    power = point - 1
    head = digits[0] + (f".{digits[1:]}" if count > 1 else "")
    return f"{sign}{head}e{'+' if power >= 0 else '-'}{abs(power)}"


def _rfc8785_text(data: Any, strict: bool) -> str:
    try:
        return rfc8785.dumps(data if strict else _doubles(data)).decode("utf-8")
    except rfc8785.IntegerDomainError as exc:
        raise UnstorableEvent(f"{exc}, which JSON cannot carry exactly") from exc
    except rfc8785.FloatDomainError as exc:
        raise UnstorableEvent("it holds NaN or an infinite number, which cannot be recorded") from exc
    except rfc8785.CanonicalizationError as exc:
        raise UnstorableEvent(f"it cannot be written as RFC 8785 JSON: {exc}") from exc


def _doubles(value: Any) -> Any:
    """Integers beyond the safe range as the doubles a JSON parser makes of them."""
    if isinstance(value, dict):
        return {key: _doubles(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_doubles(item) for item in value]
    if type(value) is int and not -SAFE_INTEGER <= value <= SAFE_INTEGER:
        return float(value)
    return value


# -- the recipe of earlier releases ----------------------------------------------------------


def python_text(data: Any) -> str:
    """The text events sealed by earlier releases hash: keys sorted, separators "," and ":",
    characters as themselves, numbers as Python prints them, -0.0 written 0.0; NaN and
    infinities refused (UnstorableEvent)."""
    try:
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise UnstorableEvent("it holds NaN or an infinite number, which cannot be recorded") from exc
    if _NEGATIVE_ZERO.search(text):  # rare: only then walk the data (or a string looked like it)
        zeroed = _without_negative_zero(data)
        text = json.dumps(zeroed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text


def python_text_signed_zero(data: Any) -> str:
    """The text rows written before migration 0004 hashed: like `python_text`, with -0.0 kept
    and NaN allowed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_NEGATIVE_ZERO = re.compile(r"-0\.0[,\]}]")
"""-0.0 as a number in JSON written by Python: no other number ends so (a string holding it
matches too, which only costs a second pass)."""


def _without_negative_zero(data: Any) -> Any:
    if isinstance(data, float):
        return 0.0 if data == 0.0 and math.copysign(1.0, data) < 0 else data
    if isinstance(data, dict):
        return {key: _without_negative_zero(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_without_negative_zero(value) for value in data]
    return data
