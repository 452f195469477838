"""A small fuzz run against a real server process: every frame gets a structured reply, nothing changes."""

from __future__ import annotations

from wargame.ops.fuzz import run_fuzz


def test_malformed_oversized_and_unauthorized_frames_change_nothing() -> None:
    result = run_fuzz(frames=1500, connections=3, seed=11)
    assert result["crashes"] == 0 and result["state_changes"] == 0
    assert result["unexpected_replies"] == 0
    assert result["structured_replies"] == result["frames"] == 1500
    counts = result["counts"]
    assert counts["error:bad_json"] and counts["error:bad_message"] and counts["error:too_large"]
    assert counts["rejected:forbidden"] and counts["error:unauthorized_handshake"]
    assert counts["error:hello_required"]  # forbidden commands sent before hello


def test_every_forbidden_frame_is_a_well_formed_control_command() -> None:
    """So a 'forbidden' rejection is about the seat, not a malformed command."""
    from wargame.domain.commands import command_adapter
    from wargame.domain.decide import CONTROL_COMMANDS as CONTROL_TYPES
    from wargame.ops.fuzz import CONTROL_COMMANDS

    parsed = [command_adapter.validate_python(c) for c in CONTROL_COMMANDS]
    assert {c.type for c in parsed} == CONTROL_TYPES
