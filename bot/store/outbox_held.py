"""Held alerts (quiet hours, daily digests) and the summaries that tell them, in the outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import from_db, in_window, next_local, to_db
from bot.domain.lanes import lane_table
from bot.store.sql import Sql


def lane_of_row(sql: Sql) -> str:
    """The lane of a row for subscription `s`, looked up in a `lane_table` passed as JSON."""
    found = sql.dialect.json_get("?", "(s.target_kind || ':' || s.events)")
    return f"CAST({found} AS INTEGER)"


@dataclass(frozen=True, slots=True)
class Summarised:
    """What one summary tells: the held events (oldest first, at most `limit`), and how many
    there were in all."""

    event_ids: list[int]
    total: int


class HeldAlerts:
    """The outbox's held rows; `OutboxRepo` is one."""

    _conn: Sql

    async def _windows(self, at: datetime, hhmm: str, zone: ZoneInfo) -> dict[str, str]:
        """{HH:MM: when it next comes} for the times that subscribers holding alerts at `at`
        hold them until; each such window is recorded as awaiting its release."""
        async with self._conn.execute(
            "SELECT DISTINCT alert_mode, quiet_from, quiet_until, digest_at FROM subscriptions"
            " WHERE alert_mode != 'instant'"
        ) as cursor:
            rows = await cursor.fetchall()
        windows: dict[str, str] = {}
        for mode, start, end, digest_at in rows:
            until = digest_at if mode == "digest" else end
            if mode == "quiet" and not in_window(hhmm, start, end):
                continue
            if until is not None and until not in windows:
                windows[until] = to_db(next_local(until, at, zone))
        # A window whose summaries already went is no window: an alert stamped just before
        # its end but written after its release goes at once (a time missing from the map
        # leaves the row pending), rather than held for a summary that will never come.
        return {
            until: window_end
            for until, window_end in windows.items()
            if await self._hold_window(window_end)
        }

    # -- held alerts and their summaries ---------------------------------------------------

    async def _hold_window(self, window_end: str) -> bool:
        """Record that alerts wait for this window's end; False when it is released already.

        Writes are serialised on both engines, so a release is either committed and seen
        here, or comes after this transaction and sees its held rows."""
        await self._conn.execute(
            "INSERT INTO held_windows (window_end) VALUES (?) ON CONFLICT (window_end) DO NOTHING",
            (window_end,),
        )
        async with self._conn.execute(
            "SELECT released_at FROM held_windows WHERE window_end = ?", (window_end,)
        ) as cursor:
            row = await cursor.fetchone()
        return row is not None and row[0] is None

    async def release_held(self, now: datetime) -> int:
        """Every window that has ended gets one summary per subscription holding alerts for
        it, queued now; the UNIQUE (subscription, window end) makes a repeat a no-op."""
        moment = to_db(now)
        async with self._conn.execute(
            "SELECT window_end FROM held_windows WHERE released_at IS NULL AND window_end <= ?",
            (moment,),
        ) as cursor:
            windows = [row[0] for row in await cursor.fetchall()]
        created = 0
        for window_end in windows:
            cursor = await self._conn.execute(
                # No event: the column's NULL default (a bare NULL under DISTINCT would be
                # text to PostgreSQL, which an integer column refuses).
                "INSERT INTO deliveries (subscription_id, state, next_attempt_at, created_at,"
                " window_end, lane) SELECT DISTINCT d.subscription_id, 'pending', ?, ?,"
                f" d.next_attempt_at, {lane_of_row(self._conn)} FROM deliveries d"
                " JOIN subscriptions s ON s.id = d.subscription_id"
                " WHERE d.state = 'held' AND d.next_attempt_at = ? ON CONFLICT DO NOTHING",
                (moment, moment, json.dumps(lane_table(False)), window_end),
            )
            created += cursor.rowcount
            await cursor.close()
            await self._conn.execute(
                "UPDATE held_windows SET released_at = ? WHERE window_end = ?",
                (moment, window_end),
            )
        return created

    async def next_release(self) -> datetime | None:
        """When the earliest window with held alerts ends."""
        async with self._conn.execute(
            "SELECT MIN(window_end) FROM held_windows WHERE released_at IS NULL"
        ) as cursor:
            row = await cursor.fetchone()
        return from_db(row[0]) if row and row[0] else None

    async def reschedule_held(self, subscription_id: int, due: datetime, now: datetime) -> int:
        """A subscriber changed its mode: what it holds for windows still ahead is told at the
        new mode's moment instead."""
        cursor = await self._conn.execute(
            "UPDATE deliveries SET next_attempt_at = ?"
            " WHERE subscription_id = ? AND state = 'held' AND next_attempt_at > ?",
            (to_db(due), subscription_id, to_db(now)),
        )
        count = cursor.rowcount
        await cursor.close()
        if count:
            # Moved, not late: the window at `due` is (re)opened for them.
            await self._conn.execute(
                "INSERT INTO held_windows (window_end) VALUES (?)"
                " ON CONFLICT (window_end) DO UPDATE SET released_at = NULL",
                (to_db(due),),
            )
        return count

    async def told(self, subscription_id: int, window_end: datetime, limit: int) -> Summarised:
        """The alerts a summary tells: held for this subscription until its window's end."""
        key = (subscription_id, to_db(window_end))
        async with self._conn.execute(
            "SELECT event_id FROM deliveries WHERE state = 'held' AND subscription_id = ?"
            " AND next_attempt_at = ? ORDER BY event_id LIMIT ?",
            (*key, limit),
        ) as cursor:
            ids = [int(row[0]) for row in await cursor.fetchall()]
        async with self._conn.execute(
            "SELECT COUNT(*) FROM deliveries WHERE state = 'held' AND subscription_id = ?"
            " AND next_attempt_at = ?",
            key,
        ) as cursor:
            row = await cursor.fetchone()
        return Summarised(ids, int(row[0]) if row else 0)

    async def mark_told(self, subscription_id: int, window_end: datetime) -> None:
        """Once its summary is sent, the held alerts are `summarised`."""
        await self._conn.execute(
            "UPDATE deliveries SET state = 'summarised' WHERE state = 'held'"
            " AND subscription_id = ? AND next_attempt_at = ?",
            (subscription_id, to_db(window_end)),
        )
