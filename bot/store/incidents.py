"""Incidents, their timelines of updates, and the losses per asset where an incident has them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.domain import (
    Impact,
    Incident,
    IncidentLoss,
    IncidentStage,
    IncidentUpdate,
    NewIncident,
    Source,
)
from bot.store.sql import Row, Sql

_COLUMNS = (
    "id, slug, title_ja, title_en, impact, stage, all_assets, assets, created_by, source,"
    " started_at, updated_at, resolved_at"
)
_UPDATE_COLUMNS = (
    "id, incident_id, stage, message_ja, message_en, actor, source, posted_at, event_id,"
    " translated_by, translated_at"
)
_CLOSED = (IncidentStage.RESOLVED.value, IncidentStage.POSTMORTEM.value)


def _update(row: Row) -> IncidentUpdate:
    return IncidentUpdate(
        id=row[0],
        incident_id=row[1],
        stage=IncidentStage(row[2]),
        message_ja=row[3],
        message_en=row[4],
        actor=row[5],
        source=Source(row[6]),
        posted_at=from_db(row[7]),
        event_id=row[8],
        translated_by=row[9],
        translated_at=maybe_from_db(row[10]),
    )


class IncidentRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def _updates(self, incident_id: int) -> tuple[IncidentUpdate, ...]:
        async with self._conn.execute(
            f"SELECT {_UPDATE_COLUMNS} FROM incident_updates WHERE incident_id = ?"
            " ORDER BY posted_at, id",
            (incident_id,),
        ) as cursor:
            return tuple(_update(row) for row in await cursor.fetchall())

    async def _losses(self, incident_id: int) -> tuple[IncidentLoss, ...]:
        async with self._conn.execute(
            "SELECT l.asset, l.stolen, l.stolen_jpy, l.customers, l.customers_jpy"
            " FROM incident_losses l LEFT JOIN assets a ON a.code = l.asset"
            " WHERE l.incident_id = ? ORDER BY a.position, l.asset",
            (incident_id,),
        ) as cursor:
            return tuple(
                IncidentLoss(r[0], r[1], r[2], r[3], r[4]) for r in await cursor.fetchall()
            )

    async def _build(self, row: Row) -> Incident:
        return Incident(
            id=row[0],
            slug=row[1],
            title_ja=row[2],
            title_en=row[3],
            impact=Impact(row[4]),
            stage=IncidentStage(row[5]),
            all_assets=bool(row[6]),
            assets=tuple(json.loads(row[7])),
            created_by=row[8],
            source=Source(row[9]),
            started_at=from_db(row[10]),
            updated_at=from_db(row[11]),
            resolved_at=maybe_from_db(row[12]),
            updates=await self._updates(row[0]),
            losses=await self._losses(row[0]),
        )

    async def _select(self, where: str, params: tuple[object, ...]) -> list[Incident]:
        async with self._conn.execute(f"SELECT {_COLUMNS} FROM incidents {where}", params) as cur:
            rows = await cur.fetchall()
        return [await self._build(row) for row in rows]

    async def get(self, incident_id: int) -> Incident | None:
        found = await self._select("WHERE id = ?", (incident_id,))
        return found[0] if found else None

    async def find_slug(self, slug: str) -> Incident | None:
        found = await self._select("WHERE slug = ?", (slug,))
        return found[0] if found else None

    async def list_open(self) -> list[Incident]:
        """Incidents not yet resolved, the most recently started first."""
        return await self._select(
            "WHERE stage NOT IN (?, ?) ORDER BY started_at DESC, id DESC", _CLOSED
        )

    async def recent(self, limit: int) -> list[Incident]:
        """Every incident, the most recently updated first."""
        return await self._select("ORDER BY updated_at DESC, id DESC LIMIT ?", (limit,))

    async def get_update(self, update_id: int) -> IncidentUpdate | None:
        async with self._conn.execute(
            f"SELECT {_UPDATE_COLUMNS} FROM incident_updates WHERE id = ?", (update_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _update(row) if row else None

    async def add(
        self,
        new: NewIncident,
        *,
        all_assets: bool,
        assets: Iterable[str],
        actor: str,
        source: Source,
        started_at: datetime,
    ) -> int:
        incident_id = await self._conn.insert(
            "INSERT INTO incidents (slug, title_ja, title_en, impact, stage, all_assets, assets,"
            " created_by, source, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.slug,
                new.title_ja,
                new.title_en,
                new.impact.value,
                new.stage.value,
                int(all_assets),
                json.dumps([] if all_assets else list(assets)),
                actor,
                source.value,
                to_db(started_at),
                to_db(started_at),
            ),
        )
        return incident_id

    async def add_update(
        self,
        incident_id: int,
        stage: IncidentStage,
        message_ja: str,
        message_en: str,
        *,
        actor: str,
        source: Source,
        posted_at: datetime,
    ) -> int:
        update_id = await self._conn.insert(
            "INSERT INTO incident_updates (incident_id, stage, message_ja, message_en, actor,"
            " source, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                stage.value,
                message_ja,
                message_en,
                actor,
                source.value,
                to_db(posted_at),
            ),
        )
        return update_id

    async def link_event(self, update_id: int, event_id: int) -> None:
        await self._conn.execute(
            "UPDATE incident_updates SET event_id = ? WHERE id = ?", (event_id, update_id)
        )

    async def set_stage(
        self, incident_id: int, stage: IncidentStage, *, now: datetime, resolved: bool = False
    ) -> None:
        """The incident's stage after an update; `resolved` records when it was resolved."""
        await self._conn.execute(
            "UPDATE incidents SET stage = ?, updated_at = ?,"
            " resolved_at = CASE WHEN ? = 1 THEN ? ELSE resolved_at END WHERE id = ?",
            (stage.value, to_db(now), int(resolved), to_db(now), incident_id),
        )

    async def translate(
        self, update_id: int, message_en: str, *, actor: str, now: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE incident_updates SET message_en = ?, translated_by = ?, translated_at = ?"
            " WHERE id = ?",
            (message_en, actor, to_db(now), update_id),
        )

    async def translate_title(self, incident_id: int, title_en: str) -> None:
        await self._conn.execute(
            "UPDATE incidents SET title_en = ? WHERE id = ?", (title_en, incident_id)
        )

    async def add_losses(self, incident_id: int, losses: Iterable[IncidentLoss]) -> None:
        await self._conn.executemany(
            "INSERT INTO incident_losses (incident_id, asset, stolen, stolen_jpy,"
            " customers, customers_jpy) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                (incident_id, x.asset, x.stolen, x.stolen_jpy, x.customers, x.customers_jpy)
                for x in losses
            ],
        )

    async def count_updates(self) -> int:
        async with self._conn.execute("SELECT COUNT(*) FROM incident_updates") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
