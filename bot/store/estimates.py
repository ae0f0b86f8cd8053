"""Reopening estimates: every change of a pair's expected reopening, kept so slips stay visible."""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.domain import Direction, ReopenEstimate, Source
from bot.store.sql import Row, Sql

_COLUMNS = "id, asset, direction, old_estimate, new_estimate, actor, source, changed_at, event_id"

# The estimates of a pair's current halt: those after the last one that cleared the estimate
# (the pair reopened, or an operator withdrew the estimate).
_SINCE_LAST_CLEAR = (
    "asset = ? AND direction = ? AND id > COALESCE((SELECT MAX(c.id) FROM reopen_estimates c"
    " WHERE c.asset = ? AND c.direction = ? AND c.new_estimate IS NULL), 0)"
)
# How often the estimate of a halt was moved from one time to another (the first one is no slip).
REVISIONS_SQL = (
    "(SELECT COUNT(*) FROM reopen_estimates e WHERE e.asset = s.asset"
    " AND e.direction = s.direction AND e.old_estimate IS NOT NULL AND e.new_estimate IS NOT NULL"
    " AND e.id > COALESCE((SELECT MAX(c.id) FROM reopen_estimates c WHERE c.asset = s.asset"
    " AND c.direction = s.direction AND c.new_estimate IS NULL), 0))"
)


def _estimate(row: Row) -> ReopenEstimate:
    return ReopenEstimate(
        id=row[0],
        asset=row[1],
        direction=Direction(row[2]),
        old_estimate=maybe_from_db(row[3]),
        new_estimate=maybe_from_db(row[4]),
        actor=row[5],
        source=Source(row[6]),
        changed_at=from_db(row[7]),
        event_id=row[8],
    )


class EstimateRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def record(
        self,
        asset: str,
        direction: Direction,
        old: datetime | None,
        new: datetime | None,
        *,
        actor: str,
        source: Source,
        changed_at: datetime,
        event_id: int | None,
    ) -> ReopenEstimate:
        """One change of the estimate (call inside the transaction that makes the change)."""
        row_id = await self._conn.insert(
            "INSERT INTO reopen_estimates (asset, direction, old_estimate, new_estimate, actor,"
            " source, changed_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                asset,
                direction.value,
                to_db(old) if old else None,
                to_db(new) if new else None,
                actor,
                source.value,
                to_db(changed_at),
                event_id,
            ),
        )
        return ReopenEstimate(
            row_id, asset, direction, old, new, actor, source, changed_at, event_id
        )

    async def current_halt(self, asset: str, direction: Direction) -> list[ReopenEstimate]:
        """The estimates given since the pair last had none, oldest first."""
        pair = (asset, direction.value)
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM reopen_estimates WHERE {_SINCE_LAST_CLEAR} ORDER BY id",
            pair + pair,
        ) as cursor:
            return [_estimate(row) for row in await cursor.fetchall()]

    async def current_halts(self) -> list[ReopenEstimate]:
        """`current_halt` of every pair at once, oldest first."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM reopen_estimates r WHERE r.id > COALESCE((SELECT MAX(c.id)"
            " FROM reopen_estimates c WHERE c.asset = r.asset AND c.direction = r.direction"
            " AND c.new_estimate IS NULL), 0) ORDER BY r.id"
        ) as cursor:
            return [_estimate(row) for row in await cursor.fetchall()]

    async def revisions(self, asset: str, direction: Direction) -> int:
        """How often the current halt's estimate slipped from one time to another."""
        return sum(
            1
            for e in await self.current_halt(asset, direction)
            if e.old_estimate is not None and e.new_estimate is not None
        )
