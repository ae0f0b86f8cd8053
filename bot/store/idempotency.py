"""The answers to writes that carried an Idempotency-Key, per token, kept for a day.

A key is claimed before its write and given the answer after it; a claim without an answer is a
write still under way, or one whose process died between the write and the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_db, to_db
from bot.store.sql import Sql


@dataclass(frozen=True, slots=True)
class StoredKey:
    fingerprint: str
    status: int | None  # None: no answer recorded yet
    body: str | None
    created_at: datetime


class IdempotencyRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def claim(
        self, token_id: int, key: str, fingerprint: str, now: datetime, expired_before: datetime
    ) -> StoredKey | None:
        """Claim `key` for a new write; None when claimed now, else what the key already holds.
        Keys older than `expired_before` (this one and every other: the table stays a day's
        worth) are forgotten first. In a write transaction."""
        await self.forget_before(expired_before)
        async with self._conn.execute(
            "SELECT fingerprint, status, body, created_at FROM idempotency_keys"
            " WHERE token_id = ? AND key = ?",
            (token_id, key),
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            status = None if row[1] is None else int(row[1])
            return StoredKey(str(row[0]), status, row[2], from_db(row[3]))
        await self._conn.execute(
            "INSERT INTO idempotency_keys (token_id, key, fingerprint, created_at)"
            " VALUES (?, ?, ?, ?)",
            (token_id, key, fingerprint, to_db(now)),
        )
        return None

    async def answer(self, token_id: int, key: str, status: int, body: str) -> None:
        await self._conn.execute(
            "UPDATE idempotency_keys SET status = ?, body = ? WHERE token_id = ? AND key = ?",
            (status, body, token_id, key),
        )

    async def forget_before(self, moment: datetime) -> int:
        async with self._conn.execute(
            "DELETE FROM idempotency_keys WHERE created_at < ?", (to_db(moment),)
        ) as cursor:
            return int(cursor.rowcount)
