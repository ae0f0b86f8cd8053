"""Heartbeats: each wallet node's last beat, and the pairs a silent one made `delayed`.

Beats arrive in batches (one UPDATE per heartbeat, of a row no read-model trigger watches), timed
by how long ago they came. Times are seconds since the epoch on the database's clock, so that
every replica and a new leader measure silence alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_db, to_db
from bot.domain import Direction, Reason, State
from bot.store.sql import Row, Sql


@dataclass(frozen=True, slots=True)
class Heartbeat:
    name: str
    assets: tuple[str, ...]
    direction: str  # deposit, withdrawal or both
    grace_seconds: float
    reason: Reason
    note: str
    note_en: str
    created_at: datetime
    last_beat_at: float
    streak: int
    tripped_at: float | None


@dataclass(frozen=True, slots=True)
class Beats:
    """A process's beats of one heartbeat since its last batch, each within the heartbeat's
    grace of the one before; times are seconds before the batch is written (the process's
    clock, not the database's: only the differences count)."""

    name: str
    count: int
    first_ago: float
    last_ago: float
    # A gap longer than the grace came before the first of them, inside this batch: they start
    # a run of their own whatever the row says.
    after_gap: bool = False


@dataclass(frozen=True, slots=True)
class HeldPair:
    """A pair a heartbeat made `delayed`, with what it was before and the row that did it."""

    asset: str
    direction: Direction
    prior_state: State
    prior_reason: Reason
    prior_note: str
    prior_note_en: str
    history_id: int


_COLUMNS = (
    "name, assets, direction, grace_seconds, reason, note, note_en, created_at, last_beat_at,"
    " streak, tripped_at"
)


def _heartbeat(row: Row) -> Heartbeat:
    return Heartbeat(
        name=str(row[0]),
        assets=tuple(json.loads(row[1])),
        direction=str(row[2]),
        grace_seconds=float(row[3]),
        reason=Reason(row[4]),
        note=str(row[5]),
        note_en=str(row[6]),
        created_at=from_db(row[7]),
        last_beat_at=float(row[8]),
        streak=int(row[9]),
        tripped_at=None if row[10] is None else float(row[10]),
    )


class HeartbeatRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def add(self, beat: Heartbeat) -> Heartbeat | None:
        """A new heartbeat, counted as beaten now; None when the name is taken."""
        now = self._conn.dialect.now_epoch
        async with self._conn.execute(
            f"INSERT INTO heartbeats ({_COLUMNS})"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, {now}, 0, NULL)"
            f" ON CONFLICT DO NOTHING RETURNING {_COLUMNS}",
            (
                beat.name,
                json.dumps(list(beat.assets)),
                beat.direction,
                beat.grace_seconds,
                beat.reason.value,
                beat.note,
                beat.note_en,
                to_db(beat.created_at),
            ),
        ) as cursor:
            row = await cursor.fetchone()
        return _heartbeat(row) if row else None

    async def all(self) -> tuple[list[Heartbeat], float]:
        """Every heartbeat, and the database's time now."""
        now = self._conn.dialect.now_epoch
        async with self._conn.execute(
            f"SELECT {_COLUMNS}, {now} FROM heartbeats ORDER BY name"
        ) as cursor:
            rows = list(await cursor.fetchall())
        if rows:
            return [_heartbeat(row) for row in rows], float(rows[0][11])
        return [], await self.now()

    async def now(self) -> float:
        async with self._conn.execute(f"SELECT {self._conn.dialect.now_epoch}") as cursor:
            row = await cursor.fetchone()
        return float(row[0])

    async def graces(self) -> dict[str, float]:
        """Every heartbeat's name and grace."""
        async with self._conn.execute("SELECT name, grace_seconds FROM heartbeats") as cursor:
            return {str(row[0]): float(row[1]) for row in await cursor.fetchall()}

    async def grace(self, name: str) -> float | None:
        """That heartbeat's grace; None when there is no such heartbeat."""
        async with self._conn.execute(
            "SELECT grace_seconds FROM heartbeats WHERE name = ?", (name,)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else float(row[0])

    async def beat_many(self, batch: Sequence[Beats]) -> None:
        """Record batches of beats. The last beat is `last_ago` before the database's now; a
        tripped heartbeat counts beats in a row: `count` more when the first of the batch came
        within the grace of the last beat recorded, else a new run of `count` (an untripped one
        keeps 0). A name with no row any more (removed meanwhile) changes nothing. Replicas write
        their batches independently: a late one never moves the last beat back."""
        if not batch:
            return
        now = self._conn.dialect.now_epoch
        await self._conn.executemany(
            "UPDATE heartbeats SET streak = CASE WHEN tripped_at IS NULL THEN 0"
            " WHEN ? = 1 THEN ?"
            f" WHEN {now} - ? - last_beat_at <= grace_seconds THEN streak + ? ELSE ? END,"
            f" last_beat_at = CASE WHEN {now} - ? > last_beat_at THEN {now} - ?"
            " ELSE last_beat_at END WHERE name = ?",
            [
                (
                    int(b.after_gap),
                    b.count,
                    b.first_ago,
                    b.count,
                    b.count,
                    b.last_ago,
                    b.last_ago,
                    b.name,
                )
                for b in batch
            ],
        )

    async def remove(self, name: str) -> bool:
        await self._conn.execute("DELETE FROM heartbeat_pairs WHERE heartbeat = ?", (name,))
        async with self._conn.execute(
            "DELETE FROM heartbeats WHERE name = ? RETURNING name", (name,)
        ) as cursor:
            return await cursor.fetchone() is not None

    async def trip(self, name: str, at: float, held: Sequence[HeldPair]) -> None:
        await self._conn.execute(
            "UPDATE heartbeats SET tripped_at = ?, streak = 0 WHERE name = ?", (at, name)
        )
        if not held:
            return
        await self._conn.executemany(
            "INSERT INTO heartbeat_pairs (heartbeat, asset, direction, prior_state,"
            " prior_reason, prior_note, prior_note_en, history_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    name,
                    p.asset,
                    p.direction.value,
                    p.prior_state.value,
                    p.prior_reason.value,
                    p.prior_note,
                    p.prior_note_en,
                    p.history_id,
                )
                for p in held
            ],
        )

    async def held(self, name: str) -> list[HeldPair]:
        async with self._conn.execute(
            "SELECT asset, direction, prior_state, prior_reason, prior_note, prior_note_en,"
            " history_id FROM heartbeat_pairs WHERE heartbeat = ? ORDER BY asset, direction",
            (name,),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            HeldPair(
                str(r[0]),
                Direction(r[1]),
                State(r[2]),
                Reason(r[3]),
                str(r[4]),
                str(r[5]),
                int(r[6]),
            )
            for r in rows
        ]

    async def clear(self, name: str) -> None:
        """Beats are back: the heartbeat holds nothing any more."""
        await self._conn.execute("DELETE FROM heartbeat_pairs WHERE heartbeat = ?", (name,))
        await self._conn.execute(
            "UPDATE heartbeats SET tripped_at = NULL, streak = 0 WHERE name = ?", (name,)
        )
