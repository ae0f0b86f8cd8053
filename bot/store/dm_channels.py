"""The DM channel id of each user, cached so that a DM costs one request instead of two."""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_db
from bot.store.sql import Sql


class DmChannelRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def get(self, user_id: str) -> str | None:
        async with self._conn.execute(
            "SELECT channel_id FROM dm_channels WHERE user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def put(self, user_id: str, channel_id: str, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO dm_channels (user_id, channel_id, cached_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " cached_at = excluded.cached_at",
            (user_id, channel_id, to_db(now)),
        )

    async def forget(self, user_id: str) -> None:
        await self._conn.execute("DELETE FROM dm_channels WHERE user_id = ?", (user_id,))

    async def count(self) -> int:
        async with self._conn.execute("SELECT COUNT(*) FROM dm_channels") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def unopened(self, after: int, limit: int) -> list[tuple[int, str]]:
        """Active DM subscriptions past id `after` whose DM channel is not known yet, oldest
        first: (subscription id, user id)."""
        async with self._conn.execute(
            "SELECT s.id, s.target FROM subscriptions s"
            " LEFT JOIN dm_channels d ON d.user_id = s.target"
            " WHERE s.target_kind = 'dm' AND s.active = 1 AND s.id > ? AND d.user_id IS NULL"
            " ORDER BY s.id LIMIT ?",
            (after, limit),
        ) as cursor:
            return [(int(row[0]), str(row[1])) for row in await cursor.fetchall()]
