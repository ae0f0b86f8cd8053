"""Which report-deadline reminders have been dealt with: sent, or skipped as too late."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.domain import SkippedReminder
from bot.store.sql import Sql


class ReminderRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def claim(self, order_id: int, kind: str, now: datetime) -> bool:
        """Mark the reminder done; False if it already was, so each one happens at most once."""
        return await self._insert(order_id, kind, now, skipped=False)

    async def skip(self, order_id: int, kind: str, now: datetime) -> bool:
        """Mark the reminder done without sending it; False if it already was dealt with."""
        return await self._insert(order_id, kind, now, skipped=True)

    async def _insert(self, order_id: int, kind: str, now: datetime, *, skipped: bool) -> bool:
        cursor = await self._conn.execute(
            "INSERT INTO reminders_sent (order_id, kind, fired_at, skipped_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (order_id, kind, to_db(now), to_db(now) if skipped else None),
        )
        claimed = cursor.rowcount == 1
        await cursor.close()
        return claimed

    async def done(self) -> dict[tuple[int, str], datetime]:
        async with self._conn.execute(
            "SELECT order_id, kind, fired_at FROM reminders_sent"
        ) as cursor:
            return {(r[0], r[1]): from_db(r[2]) for r in await cursor.fetchall()}

    async def skipped(
        self, order_id: int | None = None, *, unannounced: bool = False
    ) -> list[SkippedReminder]:
        """Skipped reminders, of one order or all, oldest order first."""
        sql = (
            "SELECT order_id, kind, skipped_at, skip_announced_at FROM reminders_sent"
            " WHERE skipped_at IS NOT NULL"
        )
        params: list[object] = []
        if order_id is not None:
            sql += " AND order_id = ?"
            params.append(order_id)
        if unannounced:
            sql += " AND skip_announced_at IS NULL"
        sql += " ORDER BY order_id, kind"  # before_24h, then due
        async with self._conn.execute(sql, params) as cursor:
            rows = await cursor.fetchall()
        return [SkippedReminder(r[0], r[1], from_db(r[2]), maybe_from_db(r[3])) for r in rows]

    async def mark_announced(self, keys: Iterable[tuple[int, str]], now: datetime) -> None:
        await self._conn.executemany(
            "UPDATE reminders_sent SET skip_announced_at = ?"
            " WHERE order_id = ? AND kind = ? AND skip_announced_at IS NULL",
            [(to_db(now), order_id, kind) for order_id, kind in keys],
        )
