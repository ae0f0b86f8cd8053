"""The welcome each new DM subscriber gets: a queue of its own beside the outbox, one row per
subscription, sent by the leader within the DM-open budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.clock import from_db, to_db
from bot.store.sql import Row, Sql

DM_CLOSED = "dm_closed"  # a subscription's disabled reason while the user's DMs are closed


class WelcomeState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DM_CLOSED = "dm_closed"  # Discord answered 50007: the user's DMs are closed to the bot
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Welcome:
    id: int
    subscription_id: int
    state: WelcomeState
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime


_COLUMNS = "id, subscription_id, state, attempts, next_attempt_at, last_error, created_at"


def _build(row: Row) -> Welcome:
    return Welcome(
        int(row[0]),
        int(row[1]),
        WelcomeState(row[2]),
        int(row[3]),
        from_db(row[4]),
        row[5],
        from_db(row[6]),
    )


class WelcomeRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def queue(self, subscription_id: int, now: datetime) -> None:
        """Queue (or queue again) the subscription's welcome, due now."""
        await self._conn.execute(
            "INSERT INTO welcomes (subscription_id, state, attempts, next_attempt_at, created_at)"
            " VALUES (?, 'pending', 0, ?, ?) ON CONFLICT (subscription_id) DO UPDATE SET"
            " state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,"
            " last_error = NULL, message_id = NULL, sent_at = NULL,"
            " created_at = excluded.created_at",
            (subscription_id, to_db(now), to_db(now)),
        )

    async def of(self, subscription_id: int) -> Welcome | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM welcomes WHERE subscription_id = ?", (subscription_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _build(row) if row else None

    async def due(self, now: datetime, limit: int) -> list[Welcome]:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM welcomes WHERE state = 'pending' AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id LIMIT ?",
            (to_db(now), limit),
        ) as cursor:
            return [_build(row) for row in await cursor.fetchall()]

    async def sent(self, welcome_id: int, message_id: str, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE welcomes SET state = 'sent', message_id = ?, sent_at = ?,"
            " attempts = attempts + 1 WHERE id = ?",
            (message_id, to_db(now), welcome_id),
        )

    async def retry(self, welcome_id: int, error: str | None, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE welcomes SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1"
            " WHERE id = ?",
            (to_db(at), error, welcome_id),
        )

    async def finish(self, welcome_id: int, state: WelcomeState, error: str) -> None:
        """A welcome that will not be sent (DMs closed, user gone, too old)."""
        await self._conn.execute(
            "UPDATE welcomes SET state = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?",
            (state.value, error[:500], welcome_id),
        )

    async def count(self, state: WelcomeState) -> int:
        async with self._conn.execute(
            "SELECT COUNT(*) FROM welcomes WHERE state = ?", (state.value,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
