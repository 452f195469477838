"""Protocol messages: parsing errors name what is wrong; the shipped schema matches the models."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.protocol.messages import (
    MAX_FRAME_BYTES,
    CommandMessage,
    ErrorMessage,
    Hello,
    parse_client_message,
    protocol_schema_text,
)

REPO = Path(__file__).resolve().parents[2]


def test_frontend_schema_is_generated_from_the_models() -> None:
    shipped = (REPO / "frontend" / "schema" / "protocol.json").read_text(encoding="utf-8")
    assert shipped == protocol_schema_text(), (
        "run `wargame schema` and commit frontend/schema/protocol.json"
    )


def test_hello_and_command_parse() -> None:
    assert parse_client_message('{"type": "hello", "last_pos": 4}') == Hello(
        type="hello", last_pos=4
    )
    message = parse_client_message(
        json.dumps(
            {
                "type": "command",
                "command_id": "abc-1",
                "command": {
                    "type": "submit_order",
                    "reason": "r",
                    "order": {"kind": "manoeuvre", "asset_id": "sat", "dv_m_per_s": 0.5},
                },
            }
        )
    )
    assert isinstance(message, CommandMessage)
    assert message.command.type == "submit_order"


def test_errors_name_the_field() -> None:
    error = parse_client_message(
        json.dumps(
            {
                "type": "command",
                "command_id": "abc",
                "command": {
                    "type": "submit_order",
                    "order": {"kind": "manoeuvre", "asset_id": "sat", "dv_m_per_s": "fast"},
                },
            }
        )
    )
    assert isinstance(error, ErrorMessage) and error.code == "bad_message"
    assert any(d.loc.endswith("dv_m_per_s") for d in error.details)
    unknown = parse_client_message('{"type": "hello", "last_pos": 1, "admin": true}')
    assert isinstance(unknown, ErrorMessage) and unknown.details[0].loc == "hello.admin"


def test_size_limit_is_checked_before_parsing() -> None:
    error = parse_client_message('"' + "x" * MAX_FRAME_BYTES + '"')
    assert isinstance(error, ErrorMessage) and error.code == "too_large"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        ["type", "command", "command_id", "last_pos", "order", "kind", "x"]
                    ),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ).map(json.dumps),
    )
)
def test_any_frame_parses_or_gives_a_structured_error(frame: str | bytes) -> None:
    result = parse_client_message(frame)
    if isinstance(result, ErrorMessage):
        assert result.code in ("bad_json", "bad_message", "too_large") and result.message
