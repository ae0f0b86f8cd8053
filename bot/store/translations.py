"""Translations added after the fact, and the texts customers read that still have no English."""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_db, to_db
from bot.domain import Source, Translation, Untranslated
from bot.store.audit import TRANSLATION, AuditRepo
from bot.store.sql import Row, Sql

_COLUMNS = "id, subject, subject_key, field, old_text, new_text, actor, source, translated_at"

# Each kind of customer-facing text that has a Japanese original and may lack its English.
_UNTRANSLATED = (
    "SELECT 'status_note', asset || '/' || direction, note, since FROM asset_status"
    " WHERE note <> '' AND note_en = ''"
    " UNION ALL SELECT 'order_summary', CAST(id AS TEXT), summary_ja, created_at FROM orders"
    " WHERE summary_ja <> '' AND summary_en = ''"
    " UNION ALL SELECT 'order_issuer', CAST(id AS TEXT), issuer, created_at FROM orders"
    " WHERE issuer_en = ''"
    " UNION ALL SELECT 'incident_update', CAST(id AS TEXT), message_ja, posted_at"
    " FROM incident_updates WHERE message_ja <> '' AND message_en = ''"
    " UNION ALL SELECT 'incident_title', CAST(id AS TEXT), title_ja, started_at FROM incidents"
    " WHERE title_en = ''"
    " UNION ALL SELECT 'maintenance_note', CAST(id AS TEXT), note_ja, created_at FROM maintenances"
    " WHERE note_ja <> '' AND note_en = '' AND state IN ('scheduled', 'in_progress')"
)


def _translation(row: Row) -> Translation:
    return Translation(
        id=row[0],
        subject=row[1],
        subject_key=row[2],
        field=row[3],
        old_text=row[4],
        new_text=row[5],
        actor=row[6],
        source=Source(row[7]),
        translated_at=from_db(row[8]),
    )


class TranslationRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def record(
        self,
        subject: str,
        subject_key: str,
        field: str,
        old_text: str,
        new_text: str,
        *,
        actor: str,
        source: Source,
        at: datetime,
    ) -> None:
        row_id = await self._conn.insert(
            f"INSERT INTO translations ({_COLUMNS.removeprefix('id, ')})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (subject, subject_key, field, old_text, new_text, actor, source.value, to_db(at)),
        )
        await AuditRepo(self._conn).append(TRANSLATION, row_id)

    async def history(self, subject: str, subject_key: str) -> list[Translation]:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM translations WHERE subject = ? AND subject_key = ?"
            " ORDER BY id",
            (subject, subject_key),
        ) as cursor:
            return [_translation(row) for row in await cursor.fetchall()]

    async def untranslated(self, limit: int = 200) -> list[Untranslated]:
        """Newest first."""
        async with self._conn.execute(
            f"SELECT * FROM ({_UNTRANSLATED}) AS u ORDER BY 4 DESC, 1, 2 LIMIT ?", (limit,)
        ) as cursor:
            return [
                Untranslated(row[0], row[1], row[2], from_db(row[3]))
                for row in await cursor.fetchall()
            ]

    async def count_untranslated(self) -> int:
        async with self._conn.execute(f"SELECT COUNT(*) FROM ({_UNTRANSLATED}) AS u") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
