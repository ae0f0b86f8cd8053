"""The per-token bucket, without I/O: a burst, then the rate, then 429 with the wait."""

from __future__ import annotations

import pytest

from bot.services.rate_limit import TokenBucket


def test_a_burst_then_refusals_with_the_time_to_wait() -> None:
    bucket = TokenBucket(rate=10, burst=20)
    level, now = 0.0, 1000.0
    for _ in range(20):
        verdict = bucket.take(level, now, now)
        assert verdict.allowed and verdict.retry_after == 0
        level = verdict.level
    refused = bucket.take(level, now, now)
    assert not refused.allowed and refused.level == level
    assert refused.retry_after == pytest.approx(0.1)
    # A tenth of a second later one write has drained: exactly one more fits.
    later = bucket.take(level, now, now + 0.1)
    assert later.allowed and later.level == pytest.approx(20)
    assert not bucket.take(later.level, now + 0.1, now + 0.1).allowed


def test_a_quiet_spell_refills_no_more_than_the_burst() -> None:
    bucket = TokenBucket(rate=10, burst=20)
    verdict = bucket.take(20.0, 0.0, 3600.0)
    assert verdict.allowed and verdict.level == 1.0
    # A clock that steps back (another replica's view) never adds credit.
    assert not bucket.take(20.0, 100.0, 50.0).allowed
