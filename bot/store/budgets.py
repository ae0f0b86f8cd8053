"""Budgets the cluster shares (the DM-open budget): one row each, changed by compare-and-set.

The policy deciding the new values runs in Python between the read and the write; the version
column makes a write fail when another process wrote in between, and the caller tries again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.sql import Sql


@dataclass(frozen=True, slots=True)
class BudgetState:
    """What the cluster shares of a budget; times are epoch seconds."""

    next_at: float = 0.0
    level: int = 0
    level_since: float = 0.0
    epoch: int = 0
    restricted_at: float | None = None
    version: int = 0  # the stored row's version, for compare-and-set


DM_OPENS = "dm_opens"  # the DM-open budget's row


class BudgetRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def get(self, name: str) -> BudgetState:
        """The stored state; a fresh one (version 0) when none is stored yet."""
        async with self._conn.execute(
            "SELECT next_at, level, level_since, epoch, restricted_at, version"
            " FROM send_budgets WHERE name = ?",
            (name,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return BudgetState()
        restricted = None if row[4] is None else float(row[4])
        return BudgetState(
            float(row[0]), int(row[1]), float(row[2]), int(row[3]), restricted, int(row[5])
        )

    async def put(self, name: str, state: BudgetState) -> bool:
        """Store `state` if the row is still at `state.version`; False when another process
        changed it first."""
        values = (
            state.next_at,
            state.level,
            state.level_since,
            state.epoch,
            state.restricted_at,
        )
        if state.version == 0:
            sql = (
                "INSERT INTO send_budgets (name, next_at, level, level_since, epoch,"
                " restricted_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)"
                " ON CONFLICT (name) DO NOTHING"
            )
            cursor = await self._conn.execute(sql, (name, *values))
        else:
            cursor = await self._conn.execute(
                "UPDATE send_budgets SET next_at = ?, level = ?, level_since = ?, epoch = ?,"
                " restricted_at = ?, version = version + 1 WHERE name = ? AND version = ?",
                (*values, name, state.version),
            )
        changed = cursor.rowcount == 1
        await cursor.close()
        return changed
