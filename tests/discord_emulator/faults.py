"""Fault injection for the message-create routes, and the counters tests read."""

from __future__ import annotations

import enum
import random
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
    # When each message was created (monotonic clock): who sent when, across a takeover.
    created_at: list[float] = field(default_factory=list, repr=False)
