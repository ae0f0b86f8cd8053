"""The listed assets."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import Asset
from bot.store.sql import Row, Sql

_COLUMNS = "code, name_ja, name_en, kind, position"


def _asset(row: Row) -> Asset:
    return Asset(code=row[0], name_ja=row[1], name_en=row[2], kind=row[3], position=row[4])


class AssetRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def upsert(self, assets: Iterable[Asset]) -> None:
        """Add new assets and refresh the names of known ones; codes never change."""
        await self._conn.executemany(
            "INSERT INTO assets (code, code_key, name_ja, name_en, kind, position)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET name_ja = excluded.name_ja,"
            " name_en = excluded.name_en, kind = excluded.kind, position = excluded.position",
            [(a.code, a.code.lower(), a.name_ja, a.name_en, a.kind, a.position) for a in assets],
        )

    async def all(self) -> list[Asset]:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM assets ORDER BY position, code"
        ) as cursor:
            return [_asset(row) for row in await cursor.fetchall()]

    async def find(self, code: str) -> Asset | None:
        """The asset whose code matches in any case (`pepecash`, `PEPECASH`)."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM assets WHERE code_key = ?", (code.strip().lower(),)
        ) as cursor:
            row = await cursor.fetchone()
        return _asset(row) if row else None
