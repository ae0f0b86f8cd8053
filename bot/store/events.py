"""Events: one per operator action, order or notice; what the outbox fans out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.clock import from_db, to_db
from bot.domain import Event, EventKind, Source
from bot.store.audit import EVENT, AuditRepo
from bot.store.sql import Row, Sql

_COLUMNS = "id, kind, actor, source, assets, payload, created_at"


def _event(row: Row) -> Event:
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
    def __init__(self, connection: Sql) -> None:
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
        event_id = await self._conn.insert(
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
        # In the same transaction, under the write lock: the chain has no gaps or forks.
        await AuditRepo(self._conn).append(EVENT, event_id)
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
            f"SELECT {_COLUMNS} FROM events WHERE kind IN (SELECT value FROM json_each(?) AS j)"
            " ORDER BY id DESC LIMIT ?",
            (json.dumps(wanted), limit),
        ) as cursor:
            return [_event(row) for row in await cursor.fetchall()]

    async def count(self) -> int:
        async with self._conn.execute("SELECT COUNT(*) FROM events") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
