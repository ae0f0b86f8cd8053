"""The outbox: one delivery row per (event, matching subscription), written with the event."""

from __future__ import annotations

import json

import aiosqlite

from bot.clock import to_db
from bot.domain import Event, EventFilter, EventKind


class OutboxRepo:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection

    async def fan_out(self, event: Event) -> int:
        """Queue the event for every active subscription that wants it; return how many."""
        # The filters that want this kind of event (EventFilter.wants, in SQL).
        wanted = [f.value for f in EventFilter if f.wants(event.kind)]
        any_asset = 0 if event.kind is EventKind.STATUS else 1
        now = to_db(event.created_at)
        cursor = await self._conn.execute(
            "INSERT OR IGNORE INTO deliveries (event_id, subscription_id, next_attempt_at,"
            " created_at)"
            " SELECT ?, s.id, ?, ? FROM subscriptions s"
            " WHERE s.active = 1 AND s.events IN (SELECT value FROM json_each(?))"
            " AND (? = 1 OR s.all_assets = 1 OR EXISTS ("
            "   SELECT 1 FROM subscription_assets sa WHERE sa.subscription_id = s.id"
            "   AND sa.asset IN (SELECT value FROM json_each(?))))",
            (event.id, now, now, json.dumps(wanted), any_asset, json.dumps(list(event.assets))),
        )
        count = cursor.rowcount
        await cursor.close()
        return count

    async def count(self, state: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM deliveries" + (" WHERE state = ?" if state else "")
        async with self._conn.execute(sql, (state,) if state else ()) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
