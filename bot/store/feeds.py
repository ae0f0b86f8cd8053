"""The regulator feeds' state (validators, health, counts) and the items already seen."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.clock import maybe_from_db, to_db
from bot.domain import FeedState, SeenItem
from bot.store.sql import Row, Sql

_COLUMNS = (
    "name, url, etag, last_modified, initialised, last_success_at, last_error, last_error_at,"
    " consecutive_failures, polls, failures, items_seen"
)


def _state(row: Row) -> FeedState:
    return FeedState(
        name=row[0],
        url=row[1],
        etag=row[2],
        last_modified=row[3],
        initialised=bool(row[4]),
        last_success_at=maybe_from_db(row[5]),
        last_error=row[6],
        last_error_at=maybe_from_db(row[7]),
        consecutive_failures=row[8],
        polls=row[9],
        failures=row[10],
        items_seen=row[11],
    )


class FeedRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def get(self, name: str) -> FeedState | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM feeds WHERE name = ?", (name,)
        ) as cursor:
            row = await cursor.fetchone()
        return _state(row) if row else None

    async def ensure(self, name: str, url: str) -> None:
        """Create the feed's row; a feed whose URL changed starts over (validators, first poll)."""
        await self._conn.execute(
            "INSERT INTO feeds (name, url) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
            " url = excluded.url, etag = NULL, last_modified = NULL, initialised = 0"
            " WHERE feeds.url <> excluded.url",
            (name, url),
        )

    async def unseen(self, name: str, item_ids: Sequence[str]) -> set[str]:
        """Which of `item_ids` the feed has not recorded yet."""
        async with self._conn.execute(
            "SELECT value FROM json_each(?) AS j WHERE value NOT IN"
            " (SELECT item_id FROM feed_items WHERE feed = ?)",
            (json.dumps(list(item_ids)), name),
        ) as cursor:
            return {row[0] for row in await cursor.fetchall()}

    async def add_item(self, name: str, item: SeenItem, now: datetime) -> bool:
        """Record an item as seen; False if it already was (so it is never alerted twice)."""
        cursor = await self._conn.execute(
            "INSERT INTO feed_items (feed, item_id, title, link, published_at, matched,"
            " first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                name,
                item.item_id,
                item.title,
                item.link,
                to_db(item.published_at) if item.published_at else None,
                int(item.matched),
                to_db(now),
            ),
        )
        added = cursor.rowcount == 1
        await cursor.close()
        return added

    async def add_items(self, name: str, items: Iterable[SeenItem], now: datetime) -> int:
        added = 0
        for item in items:
            added += await self.add_item(name, item, now)
        return added

    async def record_success(
        self, name: str, *, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE feeds SET etag = ?, last_modified = ?, initialised = 1, last_success_at = ?,"
            " consecutive_failures = 0, polls = polls + 1,"
            " items_seen = (SELECT COUNT(*) FROM feed_items WHERE feed = ?) WHERE name = ?",
            (etag, last_modified, to_db(now), name, name),
        )

    async def record_failure(self, name: str, error: str, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE feeds SET last_error = ?, last_error_at = ?,"
            " consecutive_failures = consecutive_failures + 1, polls = polls + 1,"
            " failures = failures + 1 WHERE name = ?",
            (error, to_db(now), name),
        )

    async def items(self, name: str) -> list[SeenItem]:
        async with self._conn.execute(
            "SELECT item_id, title, link, published_at, matched FROM feed_items WHERE feed = ?"
            " ORDER BY first_seen_at, item_id",
            (name,),
        ) as cursor:
            rows = await cursor.fetchall()
        return [SeenItem(r[0], r[1], r[2], maybe_from_db(r[3]), bool(r[4])) for r in rows]

    async def list(self) -> list[FeedState]:
        async with self._conn.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY name") as cursor:
            return [_state(row) for row in await cursor.fetchall()]
