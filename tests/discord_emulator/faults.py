"""Fault injection for the message-create routes, Discord's anti-spam answers to opening DM
channels, and the counters tests read."""

from __future__ import annotations

import collections
import enum
import random
import time
from dataclasses import dataclass, field


@dataclass
class Faults:
    """Probabilities (0..1) of each fault per message/DM create request.

    `limit` caps the total number of injected faults (500s, 429s and drops), so a
    test can ask for "exactly one failure, then recovery" deterministically.
    """

    error_500_rate: float = 0.0
    error_429_rate: float = 0.0
    drop_rate: float = 0.0
    latency: float = 0.0
    seed: int | None = None
    limit: int | None = None
    _rng: random.Random = field(init=False, repr=False, compare=False)
    _injected: int = field(init=False, default=0, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def pick(self) -> Fault | None:
        if self.limit is not None and self._injected >= self.limit:
            return None
        for fault, rate in (
            (Fault.DROP, self.drop_rate),
            (Fault.ERROR_500, self.error_500_rate),
            (Fault.ERROR_429, self.error_429_rate),
        ):
            if rate > 0 and self._rng.random() < rate:
                self._injected += 1
                return fault
        return None


class OpenWindow:
    """What happened in the last `window` seconds: new DM channels (for the 40003 answer), a
    channel's publishes (for the crosspost limit)."""

    def __init__(self) -> None:
        self._opened: collections.deque[float] = collections.deque()

    def take(self, limit: tuple[int, float] | None) -> bool:
        """Count one more unless `limit` (how many, seconds) is reached; None: no limit."""
        if limit is None:
            return True
        most, window = limit
        now = time.monotonic()
        while self._opened and now - self._opened[0] >= window:
            self._opened.popleft()
        if len(self._opened) >= most:
            return False
        self._opened.append(now)
        return True

    def wait(self, limit: tuple[int, float]) -> float:
        """Seconds until the oldest counted one leaves the window."""
        return max(limit[1] - (time.monotonic() - self._opened[0]), 0.0) if self._opened else 0.0


class Fault(enum.Enum):
    DROP = "drop"
    ERROR_500 = "500"
    ERROR_429 = "429"


@dataclass
class Stats:
    requests: int = 0
    global_429s: int = 0
    route_429s: int = 0
    injected_500s: int = 0
    injected_429s: int = 0
    dropped: int = 0
    duplicate_nonces: int = 0
    messages_created: int = 0
    logins: int = 0  # GET /users/@me: once per REST client
    dm_open_requests: int = 0  # POST /users/@me/channels, answered or not
    dm_channels_opened: int = 0  # new DM channels
    dm_too_fast: int = 0  # 40003 answers
    quarantine_refusals: int = 0
    channel_lookups: int = 0  # GET /channels/{id}
    crossposts: int = 0
    crosspost_429s: int = 0
    role_changes: int = 0  # member roles given or taken
    # When each message was created (monotonic clock): who sent when, across a takeover.
    created_at: list[float] = field(default_factory=list, repr=False)
