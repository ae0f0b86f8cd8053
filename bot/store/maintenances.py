"""Scheduled maintenance windows, the (asset, direction) pairs they cover, and their reminders."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.clock import from_db, maybe_from_db, to_db
from bot.domain import (
    Direction,
    Maintenance,
    MaintenancePair,
    MaintenanceState,
    NewMaintenance,
    Reason,
    Source,
    State,
)
from bot.store.sql import Row, Sql

_COLUMNS = (
    "id, state, direction, all_assets, assets, starts_at, ends_at, reason, note_ja, note_en,"
    " created_by, source, created_at, updated_at, sequence, started_at, ended_at, cancelled_at"
)
_PAIRS = (
    "asset, direction, prior_state, prior_reason, prior_note, prior_expected_reopen,"
    " start_history_id, outcome, prior_note_en"
)
ACTIVE = (MaintenanceState.SCHEDULED.value, MaintenanceState.IN_PROGRESS.value)

Pair = tuple[str, Direction]


def _pair(row: Row) -> MaintenancePair:
    return MaintenancePair(
        asset=row[0],
        direction=Direction(row[1]),
        prior_state=State(row[2]) if row[2] else None,
        prior_reason=Reason(row[3]) if row[3] else None,
        prior_note=row[4],
        prior_expected_reopen=maybe_from_db(row[5]),
        start_history_id=row[6],
        outcome=row[7],
        prior_note_en=row[8],
    )


class MaintenanceRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def _pairs(self, maintenance_id: int) -> tuple[MaintenancePair, ...]:
        async with self._conn.execute(
            f"SELECT {_PAIRS} FROM maintenance_pairs p JOIN assets a ON a.code = p.asset"
            " WHERE p.maintenance_id = ? ORDER BY a.position, a.code, p.direction",
            (maintenance_id,),
        ) as cursor:
            return tuple(_pair(row) for row in await cursor.fetchall())

    async def _build(self, row: Row) -> Maintenance:
        return Maintenance(
            id=row[0],
            state=MaintenanceState(row[1]),
            direction=row[2],
            all_assets=bool(row[3]),
            assets=tuple(json.loads(row[4])),
            starts_at=from_db(row[5]),
            ends_at=from_db(row[6]),
            reason=Reason(row[7]),
            note_ja=row[8],
            note_en=row[9],
            created_by=row[10],
            source=Source(row[11]),
            created_at=from_db(row[12]),
            updated_at=from_db(row[13]),
            sequence=row[14],
            started_at=maybe_from_db(row[15]),
            ended_at=maybe_from_db(row[16]),
            cancelled_at=maybe_from_db(row[17]),
            pairs=await self._pairs(row[0]),
        )

    async def get(self, maintenance_id: int) -> Maintenance | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM maintenances WHERE id = ?", (maintenance_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return await self._build(row) if row else None

    async def list(self, states: Sequence[MaintenanceState] = ()) -> list[Maintenance]:
        """Windows in the given states (all when none given), soonest start first."""
        wanted = [s.value for s in states] or [s.value for s in MaintenanceState]
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM maintenances"
            " WHERE state IN (SELECT value FROM json_each(?) AS j) ORDER BY starts_at, id",
            (json.dumps(wanted),),
        ) as cursor:
            rows = await cursor.fetchall()
        return [await self._build(row) for row in rows]

    async def overlapping(
        self,
        pairs: Iterable[Pair],
        starts_at: datetime,
        ends_at: datetime,
        exclude: int | None = None,
    ) -> Maintenance | None:
        """The first active window sharing a pair with [starts_at, ends_at), if any."""
        keys = json.dumps([f"{asset}|{direction.value}" for asset, direction in pairs])
        async with self._conn.execute(
            "SELECT m.id FROM maintenances m JOIN maintenance_pairs p ON p.maintenance_id = m.id"
            " WHERE m.state IN (?, ?) AND m.id != COALESCE(?, 0)"
            " AND m.starts_at < ? AND ? < m.ends_at"
            " AND p.asset || '|' || p.direction IN (SELECT value FROM json_each(?) AS k)"
            " ORDER BY m.starts_at, m.id LIMIT 1",
            (*ACTIVE, exclude, to_db(ends_at), to_db(starts_at), keys),
        ) as cursor:
            row = await cursor.fetchone()
        return await self.get(row[0]) if row else None

    async def add(
        self,
        new: NewMaintenance,
        pairs: Sequence[Pair],
        *,
        actor: str,
        source: Source,
        now: datetime,
    ) -> Maintenance:
        maintenance_id = await self._conn.insert(
            "INSERT INTO maintenances (state, direction, all_assets, assets, starts_at, ends_at,"
            " reason, note_ja, note_en, created_by, source, created_at, updated_at)"
            " VALUES ('scheduled', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.direction,
                int(new.all_assets),
                json.dumps(list(new.assets)),
                to_db(new.starts_at),
                to_db(new.ends_at),
                new.reason.value,
                new.note_ja,
                new.note_en,
                actor,
                source.value,
                to_db(now),
                to_db(now),
            ),
        )
        await self._conn.executemany(
            "INSERT INTO maintenance_pairs (maintenance_id, asset, direction) VALUES (?, ?, ?)",
            [(maintenance_id, asset, direction.value) for asset, direction in pairs],
        )
        saved = await self.get(maintenance_id)
        assert saved is not None
        return saved

    async def latest_history_ids(self, pairs: Iterable[Pair]) -> dict[Pair, int]:
        """Each pair's newest status_history row: who touched it last."""
        found: dict[Pair, int] = {}
        for asset, direction in pairs:
            async with self._conn.execute(
                "SELECT MAX(id) FROM status_history WHERE asset = ? AND direction = ?",
                (asset, direction.value),
            ) as cursor:
                row = await cursor.fetchone()
            if row and row[0] is not None:
                found[(asset, direction)] = int(row[0])
        return found

    async def mark_started(
        self, maintenance_id: int, pairs: Sequence[MaintenancePair], now: datetime
    ) -> None:
        """In progress, remembering each pair's prior status and the history row that took it."""
        await self._conn.execute(
            "UPDATE maintenances SET state = 'in_progress', started_at = ?, updated_at = ?"
            " WHERE id = ?",
            (to_db(now), to_db(now), maintenance_id),
        )
        await self._conn.executemany(
            "UPDATE maintenance_pairs SET prior_state = ?, prior_reason = ?, prior_note = ?,"
            " prior_expected_reopen = ?, start_history_id = ?, prior_note_en = ?"
            " WHERE maintenance_id = ? AND asset = ? AND direction = ?",
            [
                (
                    p.prior_state.value if p.prior_state else None,
                    p.prior_reason.value if p.prior_reason else None,
                    p.prior_note,
                    to_db(p.prior_expected_reopen) if p.prior_expected_reopen else None,
                    p.start_history_id,
                    p.prior_note_en,
                    maintenance_id,
                    p.asset,
                    p.direction.value,
                )
                for p in pairs
            ],
        )

    async def mark_ended(
        self,
        maintenance_id: int,
        state: MaintenanceState,
        outcomes: dict[Pair, str],
        now: datetime,
        *,
        started_at: datetime | None = None,
    ) -> None:
        """Completed or cancelled; `outcomes` says which pairs were restored and which left."""
        cancelled = to_db(now) if state is MaintenanceState.CANCELLED else None
        await self._conn.execute(
            "UPDATE maintenances SET state = ?, ended_at = ?, updated_at = ?,"
            " cancelled_at = COALESCE(?, cancelled_at), started_at = COALESCE(started_at, ?),"
            " sequence = sequence + ? WHERE id = ?",
            (
                state.value,
                to_db(now),
                to_db(now),
                cancelled,
                to_db(started_at) if started_at else None,
                1 if cancelled else 0,  # a calendar entry changes only when it is cancelled
                maintenance_id,
            ),
        )
        await self._conn.executemany(
            "UPDATE maintenance_pairs SET outcome = ?"
            " WHERE maintenance_id = ? AND asset = ? AND direction = ?",
            [
                (outcome, maintenance_id, asset, direction.value)
                for (asset, direction), outcome in outcomes.items()
            ],
        )

    async def cancel_scheduled(self, maintenance_id: int, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE maintenances SET state = 'cancelled', cancelled_at = ?, updated_at = ?,"
            " sequence = sequence + 1 WHERE id = ?",
            (to_db(now), to_db(now), maintenance_id),
        )

    async def extend(self, maintenance_id: int, ends_at: datetime, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE maintenances SET ends_at = ?, updated_at = ?, sequence = sequence + 1"
            " WHERE id = ?",
            (to_db(ends_at), to_db(now), maintenance_id),
        )

    async def translate_note(self, maintenance_id: int, note_en: str, now: datetime) -> None:
        """The note's English; the calendar event changes, so its SEQUENCE moves on."""
        await self._conn.execute(
            "UPDATE maintenances SET note_en = ?, updated_at = ?, sequence = sequence + 1"
            " WHERE id = ?",
            (note_en, to_db(now), maintenance_id),
        )

    async def claim_reminder(self, maintenance_id: int, lead_hours: float, now: datetime) -> bool:
        """Mark the reminder done; False if it already was, so each one happens at most once."""
        cursor = await self._conn.execute(
            "INSERT INTO maintenance_reminders (maintenance_id, lead_hours, fired_at)"
            " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (maintenance_id, lead_hours, to_db(now)),
        )
        claimed = cursor.rowcount == 1
        await cursor.close()
        return claimed

    async def reminders_done(self) -> set[tuple[int, float]]:
        async with self._conn.execute(
            "SELECT maintenance_id, lead_hours FROM maintenance_reminders"
        ) as cursor:
            return {(r[0], float(r[1])) for r in await cursor.fetchall()}
