"""How far the word has got: the counts behind a fan-out's progress, for the front ends."""

from __future__ import annotations

from bot.domain import InvalidInput
from bot.domain.deliveries import FanOutCounts
from bot.store import Database


class DeliveryReport:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def counts(self, event_id: int | None = None) -> FanOutCounts | None:
        """The deliveries of the event named, or of the latest one with any; None when nothing
        was ever delivered."""
        repo = self._db.repos.fan_outs
        if event_id is None:
            latest = await repo.latest()
            if latest is None:
                return None
            event_id = latest
        found = await repo.counts(event_id)
        if found is None or not found.states:
            raise InvalidInput(
                "fan_out_not_found", f"event {event_id} has no deliveries", given=event_id
            )
        return found
