"""The leader's lease: taken only once it has run out, renewed only by its holder's token.

Every time comes from the database's clock in the same statement, so that processes on
different hosts agree on when a lease runs out.
"""

from __future__ import annotations

from bot.domain import Lease
from bot.store.sql import Sql


class LeaseRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def acquire(self, name: str, holder: str, token: str, seconds: float) -> Lease | None:
        """Take the lease if it is free or has run out (the term rises); None if someone holds
        it. Call inside a write transaction."""
        now = self._conn.dialect.now_epoch
        async with self._conn.execute(
            "INSERT INTO leases (name, holder, token, term, expires_at, renewed_at)"
            f" VALUES (?, ?, ?, 1, {now} + ?, {now})"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " token = excluded.token, term = leases.term + 1, expires_at = excluded.expires_at,"
            f" renewed_at = excluded.renewed_at WHERE leases.expires_at < {now}"
            f" RETURNING holder, term, expires_at, {now}",
            (name, holder, token, seconds),
        ) as cursor:
            row = await cursor.fetchone()
        return Lease(name, row[0], int(row[1]), float(row[2]), float(row[3])) if row else None

    async def renew(self, name: str, token: str, seconds: float) -> Lease | None:
        """Extend the lease this token holds, if it has not run out; None otherwise."""
        now = self._conn.dialect.now_epoch
        async with self._conn.execute(
            f"UPDATE leases SET expires_at = {now} + ?, renewed_at = {now}"
            f" WHERE name = ? AND token = ? AND expires_at >= {now}"
            f" RETURNING holder, term, expires_at, {now}",
            (seconds, name, token),
        ) as cursor:
            row = await cursor.fetchone()
        return Lease(name, row[0], int(row[1]), float(row[2]), float(row[3])) if row else None

    async def release(self, name: str, token: str) -> None:
        """Give the lease up at once (a clean stop), so a standby need not wait it out."""
        now = self._conn.dialect.now_epoch
        await self._conn.execute(
            f"UPDATE leases SET expires_at = {now} - 1 WHERE name = ? AND token = ?",
            (name, token),
        )

    async def current(self, name: str) -> Lease | None:
        now = self._conn.dialect.now_epoch
        async with self._conn.execute(
            f"SELECT holder, term, expires_at, {now} FROM leases WHERE name = ?", (name,)
        ) as cursor:
            row = await cursor.fetchone()
        return Lease(name, row[0], int(row[1]), float(row[2]), float(row[3])) if row else None
