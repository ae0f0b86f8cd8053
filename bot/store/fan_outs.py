"""Fan-outs the operators watch: one row per event whose fan-out gets a progress message, and
the counts that message shows, read from the outbox."""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_db, to_db
from bot.domain.deliveries import FanOutCounts, LaneNow, ProgressMessage, Watched
from bot.store.sql import Sql


class FanOutRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def unwatched(self, since: datetime, more_than: int) -> list[int]:
        """Events since `since` (not the operators' own) with more than `more_than` deliveries
        and no progress message yet, oldest first; an event whose DM rows are still being
        written waits for them, so that its message starts from the whole count."""
        async with self._conn.execute(
            "SELECT e.id FROM events e WHERE e.created_at >= ? AND e.kind != 'operator'"
            " AND NOT EXISTS (SELECT 1 FROM fan_outs f WHERE f.event_id = e.id)"
            " AND NOT EXISTS (SELECT 1 FROM dm_backlog b WHERE b.event_id = e.id)"
            " AND (SELECT COUNT(*) FROM deliveries d WHERE d.event_id = e.id) > ?"
            " ORDER BY e.id",
            (to_db(since), more_than),
        ) as cursor:
            return [int(row[0]) for row in await cursor.fetchall()]

    async def watch(self, event_id: int, notice_id: int, now: datetime) -> bool:
        """Record the fan-out's progress message; False when another process already did."""
        cursor = await self._conn.execute(
            "INSERT INTO fan_outs (event_id, notice_id, started_at) VALUES (?, ?, ?)"
            " ON CONFLICT (event_id) DO NOTHING",
            (event_id, notice_id, to_db(now)),
        )
        added = cursor.rowcount == 1
        await cursor.close()
        return added

    async def watched(self) -> list[Watched]:
        """The fan-outs whose progress message has not had its last edit yet."""
        async with self._conn.execute(
            "SELECT event_id, notice_id, edited_at FROM fan_outs WHERE finished_at IS NULL"
            " ORDER BY event_id"
        ) as cursor:
            rows = await cursor.fetchall()
        return [Watched(int(r[0]), int(r[1]), from_db(r[2]) if r[2] else None) for r in rows]

    async def edited(self, event_id: int, now: datetime, finished: bool) -> None:
        await self._conn.execute(
            "UPDATE fan_outs SET edited_at = ?, finished_at = CASE WHEN ? = 1 THEN ?"
            " ELSE finished_at END WHERE event_id = ?",
            (to_db(now), 1 if finished else 0, to_db(now), event_id),
        )

    async def messages(self, notice_id: int) -> list[ProgressMessage]:
        """Where the progress message went: each Discord channel it was sent to."""
        async with self._conn.execute(
            "SELECT s.target, d.message_id, s.locale FROM deliveries d"
            " JOIN subscriptions s ON s.id = d.subscription_id"
            " WHERE d.event_id = ? AND d.state = 'sent' AND s.target_kind = 'channel'"
            " AND d.message_id IS NOT NULL ORDER BY d.id",
            (notice_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return [ProgressMessage(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def latest(self) -> int | None:
        """The latest event (not the operators' own) with deliveries."""
        async with self._conn.execute(
            "SELECT MAX(e.id) FROM events e WHERE e.kind != 'operator'"
            " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)"
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    async def counts(self, event_id: int) -> FanOutCounts | None:
        """The event's deliveries by lane and state, and why those that failed did."""
        async with self._conn.execute(
            "SELECT created_at FROM events WHERE id = ?", (event_id,)
        ) as cursor:
            event = await cursor.fetchone()
        if event is None:
            return None
        async with self._conn.execute(
            "SELECT lane, state, COUNT(*), MAX(sent_at) FROM deliveries WHERE event_id = ?"
            " GROUP BY lane, state",
            (event_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        async with self._conn.execute(
            "SELECT COALESCE(last_error, ''), state, COUNT(*) FROM deliveries"
            " WHERE event_id = ? AND state IN ('failed', 'expired')"
            " GROUP BY COALESCE(last_error, ''), state",
            (event_id,),
        ) as cursor:
            errors = {(str(r[0]), str(r[1])): int(r[2]) for r in await cursor.fetchall()}
        sent = [from_db(r[3]) for r in rows if r[3]]
        return FanOutCounts(
            event_id,
            from_db(event[0]),
            {(int(r[0]), str(r[1])): int(r[2]) for r in rows},
            errors,
            max(sent) if sent else None,
        )

    async def lanes_now(self) -> dict[int, LaneNow]:
        """For each lane with deliveries queued: how many, and since when the oldest waits."""
        async with self._conn.execute(
            "SELECT lane, COUNT(*), MIN(created_at) FROM deliveries WHERE state = 'pending'"
            " GROUP BY lane"
        ) as cursor:
            rows = await cursor.fetchall()
        return {int(r[0]): LaneNow(int(r[1]), from_db(r[2]) if r[2] else None) for r in rows}
