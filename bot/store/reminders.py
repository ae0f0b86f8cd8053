"""Which report-deadline reminders have been dealt with (sent, or skipped as too late)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.clock import from_db, to_db


class ReminderRepo:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection

    async def claim(self, order_id: int, kind: str, now: datetime) -> bool:
        """Mark the reminder done; False if it already was, so each one happens at most once."""
        cursor = await self._conn.execute(
            "INSERT OR IGNORE INTO reminders_sent (order_id, kind, fired_at) VALUES (?, ?, ?)",
            (order_id, kind, to_db(now)),
        )
        claimed = cursor.rowcount == 1
        await cursor.close()
        return claimed

    async def done(self) -> dict[tuple[int, str], datetime]:
        async with self._conn.execute(
            "SELECT order_id, kind, fired_at FROM reminders_sent"
        ) as cursor:
            return {(r[0], r[1]): from_db(r[2]) for r in await cursor.fetchall()}
