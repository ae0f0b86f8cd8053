"""Events: one per operator action, order or notice; what the outbox fans out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_db, to_db
from bot.domain import Event, EventKind, Source

_COLUMNS = "id, kind, actor, source, assets, payload, created_at"


def _event(row: aiosqlite.Row) -> Event:
    return Event(
        id=row[0],
        kind=EventKind(row[1]),
        actor=row[2],
        source=Source(row[3]),
        assets=tuple(json.loads(row[4])),
        payload=json.loads(row[5]),
        created_at=from_db(row[6]),
    )


class EventRepo:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection

    async def add(
        self,
        kind: EventKind,
        *,
        actor: str,
        source: Source,
        payload: dict[str, Any],
        assets: Sequence[str] = (),
        created_at: datetime,
    ) -> Event:
        cursor = await self._conn.execute(
            "INSERT INTO events (kind, actor, source, assets, payload, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                kind.value,
                actor,
                source.value,
                json.dumps(list(assets)),
                json.dumps(payload, ensure_ascii=False),
                to_db(created_at),
            ),
        )
        event_id = cursor.lastrowid
        await cursor.close()
        assert event_id is not None
        return Event(
            id=event_id,
            kind=kind,
            actor=actor,
            source=source,
            payload=payload,
            assets=tuple(assets),
            created_at=created_at,
        )

    async def get(self, event_id: int) -> Event | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _event(row) if row else None

    async def latest(self, limit: int = 50, kinds: Sequence[EventKind] = ()) -> list[Event]:
        wanted = [k.value for k in kinds] or [k.value for k in EventKind]
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE kind IN (SELECT value FROM json_each(?))"
            " ORDER BY id DESC LIMIT ?",
            (json.dumps(wanted), limit),
        ) as cursor:
            return [_event(row) for row in await cursor.fetchall()]

    async def count(self) -> int:
        async with self._conn.execute("SELECT COUNT(*) FROM events") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
