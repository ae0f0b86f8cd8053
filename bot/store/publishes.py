"""Publishes (crossposts) per announcement channel, shared by the cluster and kept across
restarts, and the alerts posted there unpublished since the last one. Times: epoch seconds."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True, slots=True)
class PublishLedger:
    """What the publish budget decides from: one channel's recent publishes and state."""

    recent: tuple[float, ...]  # publish times within the window asked for, oldest first
    unpublished: int
    blocked_until: float | None


class PublishRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def ledger(self, channel_id: str, since: float) -> PublishLedger:
        async with self._conn.execute(
            "SELECT published_at FROM publishes WHERE channel_id = ? AND published_at > ?"
            " ORDER BY published_at",
            (channel_id, since),
        ) as cursor:
            recent = tuple(float(row[0]) for row in await cursor.fetchall())
        async with self._conn.execute(
            "SELECT unpublished, blocked_until FROM announcement_channels WHERE channel_id = ?",
            (channel_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return PublishLedger(recent, 0, None)
        return PublishLedger(recent, int(row[0]), None if row[1] is None else float(row[1]))

    async def published(self, channel_id: str, at: float, forget_before: float) -> None:
        """Count a publish and start the unpublished count again; drop rows long past."""
        await self._conn.execute(
            "INSERT INTO publishes (channel_id, published_at) VALUES (?, ?)", (channel_id, at)
        )
        await self._conn.execute(
            "DELETE FROM publishes WHERE channel_id = ? AND published_at < ?",
            (channel_id, forget_before),
        )
        await self._set(channel_id, "unpublished = 0", 0)

    async def unpublished(self, channel_id: str) -> None:
        """One more alert posted in the channel without being published."""
        await self._set(channel_id, "unpublished = announcement_channels.unpublished + 1", 1)

    async def blocked(self, channel_id: str, until: float) -> None:
        """Discord answered 429 to a publish: no other is tried before `until`."""
        await self._conn.execute(
            "INSERT INTO announcement_channels (channel_id, unpublished, blocked_until)"
            " VALUES (?, 0, ?) ON CONFLICT (channel_id) DO UPDATE SET"
            " blocked_until = excluded.blocked_until",
            (channel_id, until),
        )

    async def _set(self, channel_id: str, change: str, first: int) -> None:
        await self._conn.execute(
            "INSERT INTO announcement_channels (channel_id, unpublished) VALUES (?, ?)"
            f" ON CONFLICT (channel_id) DO UPDATE SET {change}",
            (channel_id, first),
        )
