"""The RFC 8785 recipe: our fast text equals the `rfc8785` package's on any JSON, and the worked
example of docs/log-format.md holds."""

from __future__ import annotations

import random
import struct
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.domain.audience import control_only
from wargame.domain.events import InjectResolved, PendingEvent
from wargame.eventlog.canonical import (
    RFC8785,
    SAFE_INTEGER,
    UnstorableEvent,
    canonical_text,
    ecmascript_number,
    jcs_text,
    python_text,
    text_hash,
)
from wargame.eventlog.chain import seal

NUMBERS = st.one_of(
    st.integers(min_value=-SAFE_INTEGER, max_value=SAFE_INTEGER),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),  # around Python's exponent switch
    st.integers(min_value=-(2**60), max_value=2**60).map(float),  # integral doubles, large ones too
)
KEYS = st.text(max_size=6) | st.sampled_from(["\U0001f600", "\ufb33", "\u20ac", "\r", "1", "\x80", "ö"])
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=600, deadline=None)
@given(JSON)
def test_our_text_is_the_rfc8785_package_text(data: Any) -> None:
    assert jcs_text(data).encode("utf-8") == rfc8785.dumps(data)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_double_is_written_as_ecmascript_writes_it(value: float) -> None:
    assert ecmascript_number(value) == rfc8785.dumps(value).decode("ascii")


def test_random_bit_patterns_of_doubles_print_as_the_package_prints_them() -> None:
    rng = random.Random(8785)
    for _ in range(20_000):
        (value,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        if value == value and abs(value) != float("inf"):
            assert ecmascript_number(value) == rfc8785.dumps(value).decode("ascii"), value


@pytest.mark.parametrize(
    ("bits", "text"),
    [  # RFC 8785, appendix B
        ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_the_numbers_of_rfc8785_appendix_b(bits: str, text: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert jcs_text([value]) == f"[{text}]"


def test_keys_sort_by_utf16_code_units_as_in_the_rfc_example() -> None:
    data = {
        "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One", "\U0001f600": "Emoji: Grinning Face", "\x80": "Control",
        "\xf6": "Latin Small Letter O With Diaeresis",
    }
    keys = ["\r", "1", "\x80", "\xf6", "\u20ac", "\U0001f600", "\ufb33"]  # the emoji before U+FB33
    assert jcs_text(data) == "{" + ",".join(f'"{k}":"{data[k]}"'.replace("\r", "\\r") for k in keys) + "}"


def test_what_cannot_be_carried_exactly_is_refused() -> None:
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(UnstorableEvent, match="NaN or an infinite"):
            jcs_text({"x": [1, bad]})
    with pytest.raises(UnstorableEvent, match="beyond"):
        jcs_text({"seed": 2**53})
    with pytest.raises(UnstorableEvent):
        jcs_text({"text": "half a pair \ud83d"})
    assert jcs_text({"seed": SAFE_INTEGER, "zero": -0.0}) == '{"seed":9007199254740991,"zero":0}'
    # read back from a text, a long integer is the double a parser makes of it
    assert jcs_text({"x": 10**20}, strict=False) == '{"x":100000000000000000000}'


def test_free_form_details_holding_an_unpaired_surrogate_or_a_long_integer_are_not_sealed() -> None:
    """Typed strings refuse a lone surrogate already (pydantic); free-form details need the recipe."""
    from tests.factories import make_created
    from wargame.eventlog.replay import fold

    at = make_created().scenario.start_time
    created = seal("c", [PendingEvent(body=make_created(), audience=control_only(), actor="white_cell")],
                   state=None, at=at)
    for details, why in (({"note": "broken \udc00 pair"}, "RFC 8785"), ({"count": 2**63}, "beyond")):
        body = InjectResolved(inject_id="INJ-1", outcome="x", p_success=0.5, succeeded=True, details=details)
        with pytest.raises(UnstorableEvent, match=f"inject_resolved not recorded: .*{why}"):
            seal("c", [PendingEvent(body=body, audience=control_only(), actor="white_cell")],
                 state=fold(created), at=at)


DOC_FIELDS: dict[str, Any] = {
    "seq": 7, "exercise_id": "demo", "prev_hash": "5" * 64, "actor": "team:JPN",
    "at": "2027-03-01T12:00:00Z", "scenario_time": "2027-03-01T06:00:00Z", "move": 1,
    "audience": ["control", "team:JPN"], "hash_recipe": RFC8785,
    "body": {"type": "close_approach_detected", "nation": "JPN", "asset_id": "jpn-qzs-1",
             "other_id": "red-insp", "range_km": 12.0},
}
DOC_TEXT = (
    '{"actor":"team:JPN","at":"2027-03-01T12:00:00Z","audience":["control","team:JPN"],'
    '"body":{"asset_id":"jpn-qzs-1","nation":"JPN","other_id":"red-insp","range_km":12,'
    '"type":"close_approach_detected"},"exercise_id":"demo","hash_recipe":"rfc8785-sha256","move":1,'
    '"prev_hash":"' + "5" * 64 + '","scenario_time":"2027-03-01T06:00:00Z","seq":7}'
)


def test_the_worked_example_of_the_log_format_document() -> None:
    """docs/log-format.md shows this text and hash; a reader recomputes them by hand."""
    assert canonical_text(DOC_FIELDS) == DOC_TEXT
    assert text_hash(DOC_TEXT) == "2844addbde2cc286056cac0ea91cdefcadc68822ad54310e7d57121928cc0eb6"
    older = {k: v for k, v in DOC_FIELDS.items() if k != "hash_recipe"}  # an earlier release's event
    assert '"range_km":12.0' in canonical_text(older) == python_text(older)
    older_hash = "76161dc0b2c69a6a7598cb5e687eb20bbe32e3db4da4122af315fce1cb3eca28"
    assert text_hash(canonical_text(older)) == older_hash
