"""Property test through the real adjudication core: random tutorial games (random releases,
withdrawals, forwards, ad-hoc injects, agreements, chat and orders) and, for every seat, every
event, snapshot, picture, rejection and AAR export checked against the entitlement oracle.

The default run is derandomized and small (about a minute); `--hypothesis-profile=deep` plays
many more games (tests/conftest.py registers the profile)."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings

from tests.leaks.actions import GameSpec, games, play
from tests.leaks.checks import check_game, dump

FAST = settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # a failure prints its (derandomized) game unshrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def leak_settings() -> settings:
    """The deep profile when it is loaded (manual runs), else the small derandomized one."""
    if settings.get_current_profile_name() == "deep":
        return settings(settings.get_profile("deep"), suppress_health_check=list(HealthCheck))
    return FAST


@leak_settings()
@given(games)
def test_no_seat_receives_a_fact_it_is_not_entitled_to(spec: GameSpec) -> None:
    problems = check_game(play(spec))
    assert not problems, dump(problems)
