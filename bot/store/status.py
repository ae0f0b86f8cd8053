"""Current status per (asset, direction) and the audit trail of every change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.domain import AssetStatus, Direction, Reason, Source, State, StatusChange
from bot.store.estimates import REVISIONS_SQL
from bot.store.sql import Row, Sql

_STATUS = "asset, direction, state, reason, note, since, expected_reopen, updated_by, note_en"
_HISTORY = (
    "id, asset, direction, old_state, new_state, reason, note, expected_reopen, actor, source,"
    " changed_at, event_id, note_en"
)


def _status(row: Row) -> AssetStatus:
    return AssetStatus(
        asset=row[0],
        direction=Direction(row[1]),
        state=State(row[2]),
        reason=Reason(row[3]),
        note=row[4],
        since=from_db(row[5]),
        expected_reopen=maybe_from_db(row[6]),
        updated_by=row[7],
        note_en=row[8],
        estimate_revisions=int(row[9]),
    )


def _change(row: Row) -> StatusChange:
    return StatusChange(
        id=row[0],
        asset=row[1],
        direction=Direction(row[2]),
        old_state=State(row[3]) if row[3] else None,
        new_state=State(row[4]),
        reason=Reason(row[5]),
        note=row[6],
        expected_reopen=maybe_from_db(row[7]),
        actor=row[8],
        source=Source(row[9]),
        changed_at=from_db(row[10]),
        event_id=row[11],
        note_en=row[12],
    )


class StatusRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def current(self, asset: str | None = None) -> list[AssetStatus]:
        """Status rows in the assets' listed order (deposit before withdrawal)."""
        where, params = ("WHERE s.asset = ?", (asset,)) if asset else ("", ())
        async with self._conn.execute(
            "SELECT s.asset, s.direction, s.state, s.reason, s.note, s.since, s.expected_reopen,"
            f" s.updated_by, s.note_en, {REVISIONS_SQL}"
            f" FROM asset_status s JOIN assets a ON a.code = s.asset {where}"
            " ORDER BY a.position, a.code, s.direction",
            params,
        ) as cursor:
            return [_status(row) for row in await cursor.fetchall()]

    async def exists(self, asset: str, direction: Direction) -> bool:
        async with self._conn.execute(
            "SELECT 1 FROM asset_status WHERE asset = ? AND direction = ?",
            (asset, direction.value),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def set_estimate(self, asset: str, direction: Direction, when: datetime | None) -> None:
        """Move a pair's expected reopening without changing its state."""
        await self._conn.execute(
            "UPDATE asset_status SET expected_reopen = ? WHERE asset = ? AND direction = ?",
            (to_db(when) if when else None, asset, direction.value),
        )

    async def record(self, change: StatusChange) -> StatusChange:
        """Write the new status and its history row (call inside a transaction)."""
        await self._conn.execute(
            f"INSERT INTO asset_status ({_STATUS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (asset, direction) DO UPDATE SET state = excluded.state,"
            " reason = excluded.reason, note = excluded.note, since = excluded.since,"
            " expected_reopen = excluded.expected_reopen, updated_by = excluded.updated_by,"
            " note_en = excluded.note_en",
            (
                change.asset,
                change.direction.value,
                change.new_state.value,
                change.reason.value,
                change.note,
                to_db(change.changed_at),
                to_db(change.expected_reopen) if change.expected_reopen else None,
                change.actor,
                change.note_en,
            ),
        )
        row_id = await self._conn.insert(
            "INSERT INTO status_history (asset, direction, old_state, new_state, reason, note,"
            " expected_reopen, actor, source, changed_at, event_id, note_en)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.asset,
                change.direction.value,
                change.old_state.value if change.old_state else None,
                change.new_state.value,
                change.reason.value,
                change.note,
                to_db(change.expected_reopen) if change.expected_reopen else None,
                change.actor,
                change.source.value,
                to_db(change.changed_at),
                change.event_id,
                change.note_en,
            ),
        )
        return replace(change, id=row_id)

    async def history(self, asset: str | None = None, limit: int = 20) -> list[StatusChange]:
        """Newest first; all assets when `asset` is None."""
        where, params = ("WHERE asset = ?", (asset, limit)) if asset else ("", (limit,))
        async with self._conn.execute(
            f"SELECT {_HISTORY} FROM status_history {where} ORDER BY id DESC LIMIT ?", params
        ) as cursor:
            return [_change(row) for row in await cursor.fetchall()]

    async def recent_per_asset(self, assets: Sequence[str], limit: int) -> list[StatusChange]:
        """The newest `limit` changes of each asset, newest first: one statement, each part a
        short walk down the (asset, id) index however long the history grows."""
        if not assets:
            return []
        part = f"SELECT * FROM (SELECT {_HISTORY} FROM status_history WHERE asset = ?"
        part += " ORDER BY id DESC LIMIT ?) AS recent"
        params: list[object] = []
        for code in assets:
            params += [code, limit]
        async with self._conn.execute(
            " UNION ALL ".join([part] * len(assets)) + " ORDER BY id DESC", params
        ) as cursor:
            return [_change(row) for row in await cursor.fetchall()]

    async def translate_note(self, asset: str, direction: Direction, note_en: str) -> None:
        """Give the pair's current note its English, here and on the history row that set it."""
        await self._conn.execute(
            "UPDATE asset_status SET note_en = ? WHERE asset = ? AND direction = ?",
            (note_en, asset, direction.value),
        )
        await self._conn.execute(
            "UPDATE status_history SET note_en = ? WHERE id ="
            " (SELECT MAX(id) FROM status_history WHERE asset = ? AND direction = ?)",
            (note_en, asset, direction.value),
        )

    async def fill_note_en(self, note: str, note_en: str) -> None:
        """The English of a note wherever that exact note still has none."""
        for table in ("asset_status", "status_history"):
            await self._conn.execute(
                f"UPDATE {table} SET note_en = ? WHERE note = ? AND note_en = ''", (note_en, note)
            )

    async def changes_since(self, moment: datetime) -> list[StatusChange]:
        """Every change at or after `moment`, oldest first."""
        async with self._conn.execute(
            f"SELECT {_HISTORY} FROM status_history WHERE changed_at >= ? ORDER BY changed_at, id",
            (to_db(moment),),
        ) as cursor:
            return [_change(row) for row in await cursor.fetchall()]

    async def states_before(self, moment: datetime) -> dict[tuple[str, Direction], State]:
        """Each pair's state just before `moment`: its last change earlier than that."""
        async with self._conn.execute(
            "SELECT asset, direction, new_state FROM status_history WHERE id IN ("
            " SELECT MAX(id) FROM status_history WHERE changed_at < ? GROUP BY asset, direction)",
            (to_db(moment),),
        ) as cursor:
            return {(r[0], Direction(r[1])): State(r[2]) for r in await cursor.fetchall()}

    async def count_history(self) -> int:
        async with self._conn.execute("SELECT COUNT(*) FROM status_history") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
