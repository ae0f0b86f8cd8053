"""A global pacer for Discord requests: a token bucket that keeps below Discord's 50 requests/s.

Discord counts the global limit over any rolling second. A bucket at `rate` per second with a
burst of `burst` lets through at most `rate + burst` requests in such a second, so the burst is
kept small. Waiters are served in arrival order (asyncio.Lock is fair).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

DEFAULT_BURST = 3


class Pacer:
    def __init__(
        self,
        rate_per_second: float,
        burst: int = DEFAULT_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("the rate must be positive and the burst at least 1")
        self.interval = 1.0 / rate_per_second
        self.burst = burst
        self._clock = clock
        self._next = 0.0  # the moment the bucket is empty again (a virtual schedule)
        self._lock = asyncio.Lock()
        self.granted = 0

    async def acquire(self) -> None:
        """Wait for a slot. The schedule advances by exactly one interval per grant, so a late
        wake-up does not lower the long-run rate, and the burst bounds catching up."""
        async with self._lock:
            now = self._clock()
            earliest = self._next - (self.burst - 1) * self.interval
            if now < earliest:
                await asyncio.sleep(earliest - now)
                now = earliest
            self._next = max(self._next, now) + self.interval
            self.granted += 1
