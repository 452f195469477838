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
