"""Superseded alerts merged in the outbox, in the transaction that queues the newer one.

A subscriber's alert about a pair that has not been tried yet (`attempts = 0`: never claimed,
so never handed to Discord) is not sent on its own once a newer change to the same pair is
queued for the same subscriber: its row becomes `merged`, pointing at the newer row, which
tells the whole story in one message and keeps its own nonce. Held rows (quiet hours, digests)
merge the same way, so a summary lists a pair once. An alert merges only into one that covers
every pair it is about, so that nothing it says is lost. A merged row keeps pointing at the row
it merged into, which may be merged in turn: the chain ends at the delivery that tells it.
"""

from __future__ import annotations

import json
from typing import Any

from bot.domain import Event, EventKind
from bot.store.sql import Sql

EVERY_ID = (0, 2**62)  # a subscription id range that holds them all

# Row {o} (an older alert) may merge into its subscriber's row `n` of the new event: a held one
# into anything, a pending one only into another pending one (never into a hold).
_MERGEABLE = (
    "{o}.state IN ('pending', 'held') AND {o}.attempts = 0"
    " AND {o}.subscription_id > ? AND {o}.subscription_id <= ?"
    " AND {o}.event_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j)"
    " AND EXISTS (SELECT 1 FROM deliveries n WHERE n.event_id = ?"
    "   AND n.subscription_id = {o}.subscription_id"
    "   AND (n.state = 'pending' OR (n.state = 'held' AND {o}.state = 'held')))"
)
_NEWER = (
    "(SELECT n.id FROM deliveries n WHERE n.event_id = ?"
    " AND n.subscription_id = deliveries.subscription_id)"
)


def status_pairs(payload: dict[str, Any]) -> frozenset[tuple[str, str]]:
    """The (asset, direction) pairs a status event tells of: its changes and its estimates."""
    return frozenset(
        (str(row.get("asset")), str(row.get("direction")))
        for key in ("changes", "estimates")
        for row in payload.get(key, [])
    )


def _covered(payload: dict[str, Any], pairs: frozenset[tuple[str, str]]) -> bool:
    """Whether a newer alert about `pairs` says all that this one said, and more recent."""
    told = status_pairs(payload)
    return bool(told) and told <= pairs


class MergedAlerts:
    """The outbox's merging; `OutboxRepo` is one."""

    _conn: Sql

    async def _merge(self, event: Event, newer_than: int, ids: tuple[int, int] = EVERY_ID) -> int:
        """Merge what the new status event supersedes, for the subscriptions lo < id <= hi
        (the event's rows just written are those with ids above `newer_than`); return how many
        rows were merged."""
        pairs = status_pairs(event.payload)
        if event.kind is not EventKind.STATUS or not pairs:
            return 0
        async with self._conn.execute(
            "SELECT e.id, e.payload FROM events e WHERE e.kind = 'status' AND e.id < ?"
            " AND e.id IN (SELECT DISTINCT event_id FROM deliveries"
            "   WHERE state IN ('pending', 'held') AND attempts = 0"
            "   AND subscription_id > ? AND subscription_id <= ?)",
            (event.id, *ids),
        ) as cursor:
            rows = await cursor.fetchall()
        older = [int(r[0]) for r in rows if _covered(json.loads(r[1]), pairs)]
        if not older:
            return 0
        which = (*ids, json.dumps(older), event.id)
        cursor = await self._conn.execute(
            f"UPDATE deliveries SET state = 'merged', merged_into = {_NEWER},"
            f" claimed_until = NULL, claim_token = NULL WHERE {_MERGEABLE.format(o='deliveries')}",
            (event.id, *which),
        )
        merged = cursor.rowcount
        await cursor.close()
        if merged:
            # Each newer row counts what it tells (with what those told in turn), goes in the
            # highest lane among them and, due now, keeps the queue place of the oldest: a
            # subscriber still waiting for the first alert goes before one who already had it.
            # Its rows are the newest in the table, so those merged into them are found by id.
            # Only those just written are counted again: earlier batches counted theirs.
            await self._conn.execute(
                "UPDATE deliveries SET merged = m.n,"
                " lane = CASE WHEN m.lane < deliveries.lane THEN m.lane ELSE deliveries.lane END,"
                " next_attempt_at = CASE WHEN deliveries.state = 'pending'"
                " AND m.since < deliveries.next_attempt_at THEN m.since"
                " ELSE deliveries.next_attempt_at END"
                " FROM (SELECT o.merged_into AS id, COUNT(*) + SUM(o.merged) AS n,"
                "   MIN(o.lane) AS lane, MIN(CASE WHEN o.next_attempt_at < o.created_at"
                "   THEN o.next_attempt_at ELSE o.created_at END) AS since"
                "   FROM deliveries o WHERE o.state = 'merged' AND o.merged_into > ?"
                "   GROUP BY o.merged_into) AS m"
                " WHERE deliveries.id = m.id",
                (newer_than,),
            )
        return merged

    async def merged_events(self, delivery_id: int) -> list[int]:
        """The events of the alerts merged into this delivery, oldest first: those merged into
        it, and those merged into them before."""
        async with self._conn.execute(
            "WITH RECURSIVE told (id, event_id) AS ("
            " SELECT id, event_id FROM deliveries WHERE merged_into = ? AND state = 'merged'"
            " UNION ALL SELECT d.id, d.event_id FROM deliveries d"
            " JOIN told t ON d.merged_into = t.id WHERE d.state = 'merged')"
            " SELECT event_id FROM told ORDER BY event_id",
            (delivery_id,),
        ) as cursor:
            return [int(row[0]) for row in await cursor.fetchall()]
