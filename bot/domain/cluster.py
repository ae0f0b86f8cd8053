"""The leader's lease."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lease:
    """Who leads, until when (seconds since the epoch, on the database's clock)."""

    name: str
    holder: str
    term: int
    expires_at: float
    now: float  # the database's time when this was read

    @property
    def remaining(self) -> float:
        return self.expires_at - self.now
