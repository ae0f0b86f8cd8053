"""How many writes a token may make: a token bucket, its state kept in the database.

Each token may write `rate` times a second on average, and `burst` times at once after a quiet
spell: a back-office script that retries a batch gets through, a runaway loop gets 429 before
it floods subscribers with alerts. The bucket is stored as a level (writes not yet drained) and
the moment it was measured, so the policy is pure: the caller passes the time in.

Beats are too frequent to pay a database write each for their bucket: they are counted in
`LocalBuckets`, in the memory of the process that serves them, so each replica allows a token
its own `rate` and `burst` of beats.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_RATE_PER_SECOND = 10.0
DEFAULT_BURST = 20


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    level: float  # the bucket to store (unchanged when refused)
    retry_after: float  # seconds until one more write fits; 0 when allowed


@dataclass(frozen=True, slots=True)
class TokenBucket:
    rate: float = DEFAULT_RATE_PER_SECOND
    burst: int = DEFAULT_BURST

    def take(self, level: float, at: float, now: float) -> Verdict:
        """One write at `now`, given the bucket's `level` measured at `at`."""
        drained = max(0.0, level - max(0.0, now - at) * self.rate)
        if drained + 1 <= self.burst:
            return Verdict(True, drained + 1, 0.0)
        return Verdict(False, drained, (drained + 1 - self.burst) / self.rate)


@dataclass
class LocalBuckets:
    """A bucket per key (a token's id) in this process's memory, on its monotonic clock."""

    policy: TokenBucket
    clock: Callable[[], float] = time.monotonic
    _levels: dict[int, tuple[float, float]] = field(default_factory=dict, init=False, repr=False)

    def take(self, key: int) -> Verdict:
        now = self.clock()
        level, at = self._levels.get(key, (0.0, now))
        verdict = self.policy.take(level, at, now)
        if verdict.allowed:
            self._levels[key] = (verdict.level, now)
        return verdict
