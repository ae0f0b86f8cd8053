"""The back office's bearer tokens: only a SHA-256 of each is kept, looked up by that hash.

A token's rate-limit bucket lives on its row, so that every replica counts the same writes; its
times are on the database's clock, as the lease's are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.store.sql import Row, Sql


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    name: str
    scopes: frozenset[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Bucket:
    """A token's rate-limit state as read in a write transaction, with the database's time."""

    level: float
    at: float
    now: float


_COLUMNS = "id, name, scopes, created_at, last_used_at, revoked_at"


def _token(row: Row) -> ApiToken:
    return ApiToken(
        id=int(row[0]),
        name=str(row[1]),
        scopes=frozenset(json.loads(row[2])),
        created_at=from_db(row[3]),
        last_used_at=maybe_from_db(row[4]),
        revoked_at=maybe_from_db(row[5]),
    )


class TokenRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def add(
        self, name: str, token_hash: str, scopes: frozenset[str], now: datetime
    ) -> ApiToken | None:
        """A new token; None when the name is taken (revoked names stay taken)."""
        async with self._conn.execute(
            "INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?)"
            f" ON CONFLICT DO NOTHING RETURNING {_COLUMNS}",
            (name, token_hash, json.dumps(sorted(scopes)), to_db(now)),
        ) as cursor:
            row = await cursor.fetchone()
        return _token(row) if row else None

    async def all(self) -> list[ApiToken]:
        async with self._conn.execute(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY name") as cur:
            return [_token(row) for row in await cur.fetchall()]

    async def revoke(self, name: str, now: datetime) -> ApiToken | None:
        """Revoke the live token of that name; None when there is none."""
        async with self._conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"
            f" RETURNING {_COLUMNS}",
            (to_db(now), name),
        ) as cursor:
            row = await cursor.fetchone()
        return _token(row) if row else None

    async def use(self, token_hash: str, now: datetime) -> tuple[ApiToken, Bucket] | None:
        """The live token with this hash, marked used now, and its bucket; None for a token
        never issued or revoked (the caller cannot tell which). In a write transaction."""
        clock = self._conn.dialect.now_epoch
        async with self._conn.execute(
            "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND revoked_at IS NULL"
            f" RETURNING {_COLUMNS}, bucket_level, bucket_at, {clock}",
            (to_db(now), token_hash),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return _token(row), Bucket(float(row[6]), float(row[7]), float(row[8]))

    async def find(self, token_hash: str) -> ApiToken | None:
        """The live token with this hash, read only; None for a token never issued or revoked."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash,),
        ) as cursor:
            row = await cursor.fetchone()
        return _token(row) if row else None

    async def mark_used(self, uses: Mapping[int, datetime]) -> None:
        """When each token (by id) was last used, as gathered by a process since its last batch."""
        if not uses:
            return
        await self._conn.executemany(
            "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
            [(to_db(at), token_id) for token_id, at in uses.items()],
        )

    async def set_bucket(self, token_id: int, level: float, at: float) -> None:
        await self._conn.execute(
            "UPDATE api_tokens SET bucket_level = ?, bucket_at = ? WHERE id = ?",
            (level, at, token_id),
        )
