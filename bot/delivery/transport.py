"""What every transport takes and how it reports failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.delivery.render import Embed
from bot.domain import Event, Subscription


@dataclass(frozen=True, slots=True)
class Held:
    """What a summary tells: the alerts held until `window_end` (the first of them, and how
    many there were in all)."""

    window_end: datetime
    events: tuple[Event, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One delivery, rendered: the embed for one subscriber, and a nonce unique to it.

    A summary has no event of its own: `held` says what it tells.
    """

    delivery_id: int
    subscription: Subscription
    event: Event | None
    embed: Embed
    payload: dict[str, Any]  # the event's payload, cut down to what concerns the subscriber
    components: list[dict[str, Any]] = field(default_factory=list)  # buttons (Discord only)
    held: Held | None = None

    @property
    def nonce(self) -> str:
        # Discord allows 25 characters; the delivery id is unique in this database.
        return f"dlv{self.delivery_id}"[:25]


class SendFailure(Exception):
    """A send that did not go through; the text is kept as the delivery's last error."""


class Transient(SendFailure):
    """Worth trying again later (rate limit, server error, network)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Permanent(SendFailure):
    """The target is gone or refuses us (403, 404): the subscription is disabled."""


class Rejected(SendFailure):
    """This message will never be accepted (e.g. 400); the subscription itself is fine."""


class Unavailable(SendFailure):
    """The transport itself cannot send (Discord refused the bot token): the delivery waits,
    unchanged, and nothing more for this transport is claimed until the service restarts."""


class Transport(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, outgoing: Outgoing) -> str:
        """Send and return the message id (or another receipt); raise a SendFailure."""
        ...
