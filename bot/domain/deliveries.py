"""What the operators see of a fan-out, as the store reads it from the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FanOutCounts:
    event_id: int
    started_at: datetime  # the event's time
    states: dict[tuple[int, str], int]  # (lane, state) -> deliveries
    errors: dict[tuple[str, str], int]  # (last error, state) of those failed or expired
    last_sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class Watched:
    """A fan-out with a progress message: `notice_id` is the operators' event that carries it."""

    event_id: int
    notice_id: int
    edited_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProgressMessage:
    channel_id: str
    message_id: str
    locale: str


@dataclass(frozen=True, slots=True)
class LaneNow:
    queued: int
    oldest: datetime | None  # when the oldest delivery still queued was queued
