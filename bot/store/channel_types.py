"""Each subscribed Discord channel's type (Discord's number), as last seen by any process."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from bot.clock import to_db
from bot.store.sql import Sql


class ChannelTypeRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def of(self, channel_id: str) -> int | None:
        """The channel's type, or None when no process has seen it yet."""
        async with self._conn.execute(
            "SELECT channel_type FROM channel_types WHERE channel_id = ?", (channel_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def record(self, channel_id: str, channel_type: int, at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO channel_types (channel_id, channel_type, learned_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel_id) DO UPDATE SET channel_type = excluded.channel_type,"
            " learned_at = excluded.learned_at",
            (channel_id, channel_type, to_db(at)),
        )

    async def record_subscribed(self, types: Mapping[str, int], at: datetime) -> int:
        """Record the types of those of `types`' channels that are subscription targets and
        not known with that type already (a server's channels, as the gateway shows them); how
        many were new or changed."""
        if not types:
            return 0
        async with self._conn.execute(
            "SELECT s.target, t.channel_type FROM subscriptions s"
            " LEFT JOIN channel_types t ON t.channel_id = s.target"
            " WHERE s.target_kind = 'channel'"
            " AND s.target IN (SELECT value FROM json_each(?) AS j)",
            (json.dumps(sorted(types)),),
        ) as cursor:
            rows = await cursor.fetchall()
        changed = [str(row[0]) for row in rows if row[1] is None or int(row[1]) != types[row[0]]]
        for channel_id in changed:
            await self.record(channel_id, types[channel_id], at)
        return len(changed)
