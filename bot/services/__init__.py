"""Use cases: each change is one transaction in the store, and wakes the dispatcher."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.clock import utcnow
from bot.domain import Event

if TYPE_CHECKING:
    from bot.store import Database

EventListener = Callable[[Event], None]


class EventWriter:
    """A service whose changes write events: its database, its clock, and whom it tells of an
    event once the event's transaction has committed (the dispatcher, the jobs)."""

    def __init__(
        self,
        db: Database,
        *,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._on_event = on_event
        self._clock = clock

    def _announce(self, event: Event) -> None:
        """After the commit, never inside it: a listener must find the event's rows there."""
        if self._on_event:
            self._on_event(event)


__all__ = ["EventListener", "EventWriter"]
