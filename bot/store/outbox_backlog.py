"""DM rows written after the transaction of the change that queued them.

Writing 100,000 DM rows takes most of a second, and nothing of a fan-out can be sent before its
transaction commits: the channels and webhooks, first in the queue, would wait for the DMs to be
written. With more than `INLINE_DMS` DM subscriptions, `fan_out` writes the other rows and one
`dm_backlog` row (the event, the last subscription it covers, how far it has got), in the
change's transaction. The leader's dispatcher then writes the DM rows (`fan_out_more`), a batch
of subscription ids per transaction with the merges and promotions they bring, the oldest event
first, so that a subscriber's rows are written in the order of its events. A crash loses
nothing: the backlog row says where to carry on, and a batch is written whole or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain import Event
from bot.domain.lanes import Lane
from bot.store.sql import Sql

INLINE_DMS = 1_000  # up to this many DM subscriptions, a fan-out is written in one go
BATCH_IDS = 5_000  # subscription ids per batch: a few tens of milliseconds of writing


class BatchTaken(Exception):
    """Another process wrote this batch meanwhile: this transaction rolls back."""


@dataclass(frozen=True, slots=True)
class Backlog:
    event_id: int
    done_id: int  # DM rows are written for the subscriptions with ids up to this one
    last_id: int  # the last subscription that wanted the event when it was made

    def next_batch(self) -> tuple[int, int]:
        """The next batch: the subscriptions lo < id <= hi."""
        return self.done_id, min(self.done_id + BATCH_IDS, self.last_id)


class DmBacklog:
    """The DM backlog of large fan-outs; `OutboxRepo` is one."""

    _conn: Sql

    async def _defers(self) -> bool:
        """Whether a new fan-out leaves its DM rows for later: when there are many DM
        subscriptions, or an earlier fan-out's are not all written yet (a subscriber's rows
        are written in the order of its events)."""
        async with self._conn.execute(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions"
            "   WHERE target_kind = 'dm' AND active = 1 LIMIT ?) AS d),"
            " (SELECT COUNT(*) FROM dm_backlog)",
            (INLINE_DMS + 1,),
        ) as cursor:
            row = await cursor.fetchone()
        return row is not None and (int(row[0]) > INLINE_DMS or int(row[1]) > 0)

    async def _defer(self, event: Event, matching: tuple[str, tuple[object, ...]]) -> int:
        """Leave the event's DM rows for later; return how many there will be."""
        where, params = matching
        async with self._conn.execute(
            f"SELECT COUNT(*), MAX(s.id) FROM subscriptions s{where} AND s.target_kind = 'dm'"
            # Queued already (fan_out called again for the event): one row per subscription.
            " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ?"
            "   AND d.lane IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j))",
            (*params, event.id, json.dumps([int(Lane.CRITICAL_DMS), int(Lane.DMS)])),
        ) as cursor:
            row = await cursor.fetchone()
        queued = int(row[0]) if row else 0
        if queued:
            cursor = await self._conn.execute(
                "INSERT INTO dm_backlog (event_id, done_id, last_id) VALUES (?, 0, ?)"
                " ON CONFLICT (event_id) DO NOTHING",
                (event.id, int(row[1])),
            )
            if cursor.rowcount != 1:
                queued = 0  # the event's DM rows are being written already
            await cursor.close()
        return queued

    async def _backlog(self) -> Backlog | None:
        async with self._conn.execute(
            "SELECT event_id, done_id, last_id FROM dm_backlog ORDER BY event_id LIMIT 1"
        ) as cursor:
            row = await cursor.fetchone()
        return Backlog(int(row[0]), int(row[1]), int(row[2])) if row else None

    async def _advance(self, backlog: Backlog, done_id: int) -> None:
        """Record a batch written; the backlog row goes with the last one."""
        if done_id >= backlog.last_id:
            sql = "DELETE FROM dm_backlog WHERE event_id = ? AND done_id = ?"
            params: tuple[object, ...] = (backlog.event_id, backlog.done_id)
        else:
            sql = "UPDATE dm_backlog SET done_id = ? WHERE event_id = ? AND done_id = ?"
            params = (done_id, backlog.event_id, backlog.done_id)
        cursor = await self._conn.execute(sql, params)
        moved = cursor.rowcount == 1
        await cursor.close()
        if not moved:
            raise BatchTaken(f"the DM rows of event {backlog.event_id} were written elsewhere")

    async def backlog(self) -> int:
        """How many subscription ids the backlog has still to go through: 0 when every DM row
        is written (an upper bound on the rows to come)."""
        async with self._conn.execute(
            "SELECT COALESCE(SUM(last_id - done_id), 0) FROM dm_backlog"
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
