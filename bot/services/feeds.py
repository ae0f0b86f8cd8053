"""The regulator feeds' bookkeeping: which items were seen, and each feed's health."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.clock import utcnow
from bot.domain import FeedState, NotFound, SeenItem
from bot.store import Database

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 300


class FeedService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def list(self) -> list[FeedState]:
        return await self._db.repos.feeds.list()

    async def get(self, name: str) -> FeedState:
        state = await self._db.repos.feeds.get(name)
        if state is None:
            raise NotFound("feed", name)
        return state

    async def ensure(self, name: str, url: str) -> FeedState:
        async with self._db.transaction() as repos:
            await repos.feeds.ensure(name, url)
        return await self.get(name)

    async def unseen(self, name: str, item_ids: Sequence[str]) -> set[str]:
        return await self._db.repos.feeds.unseen(name, item_ids)

    async def record_success(
        self,
        name: str,
        items: Sequence[SeenItem],
        *,
        etag: str | None,
        last_modified: str | None,
    ) -> int:
        """Record items as seen (no alert) and a good poll with its validators; one transaction.

        The validators are stored last, with the items: if this never commits, the next poll
        fetches the whole feed again rather than missing an item.
        """
        now = self._clock()
        async with self._db.transaction() as repos:
            added = await repos.feeds.add_items(name, items, now)
            await repos.feeds.record_success(name, etag=etag, last_modified=last_modified, now=now)
        return added

    async def record_failure(self, name: str, error: str) -> FeedState:
        text = " ".join(error.split())[:MAX_ERROR_LENGTH]
        async with self._db.transaction() as repos:
            await repos.feeds.record_failure(name, text, self._clock())
        return await self.get(name)
