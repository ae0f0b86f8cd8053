"""Who wants which alerts: one subscription per target (a user's DM, a channel, a webhook)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from bot.clock import from_db, to_db, utcnow
from bot.domain import AlertMode, EventFilter, Subscription, TargetKind
from bot.store.sql import Row, Sql

_COLUMNS = (
    "id, target_kind, target, guild_id, all_assets, events, locale, secret, created_by,"
    " created_at, active, disabled_reason, last_error, alert_mode, quiet_from, quiet_until,"
    " digest_at"
)


# The columns a new subscription row starts with, in `_identity`'s order.
_NEW_ROW = (
    "target_kind",
    "target",
    "guild_id",
    "all_assets",
    "events",
    "locale",
    "secret",
    "created_by",
    "created_at",
    "alert_mode",
    "quiet_from",
    "quiet_until",
    "digest_at",
)


def _identity(sub: Subscription) -> tuple[object, ...]:
    """The columns a new subscription row starts with, in the INSERTs' order."""
    return (
        sub.target_kind.value,
        sub.target,
        sub.guild_id,
        int(sub.all_assets),
        sub.events.value,
        sub.locale,
        sub.secret,
        sub.created_by,
        to_db(sub.created_at),
        sub.mode.value,
        sub.quiet_from,
        sub.quiet_until,
        sub.digest_at,
    )


def _built(row: Row, assets: frozenset[str]) -> Subscription:
    """A subscription from its row (in `_COLUMNS` order) and its asset set."""
    return Subscription(
        id=row[0],
        target_kind=TargetKind(row[1]),
        target=row[2],
        guild_id=row[3],
        all_assets=bool(row[4]),
        assets=frozenset() if row[4] else assets,
        events=EventFilter(row[5]),
        locale=row[6],
        secret=row[7],
        created_by=row[8],
        created_at=from_db(row[9]),
        active=bool(row[10]),
        disabled_reason=row[11],
        last_error=row[12],
        mode=AlertMode(row[13]),
        quiet_from=row[14],
        quiet_until=row[15],
        digest_at=row[16],
    )


class SubscriptionRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def _assets(self, subscription_id: int) -> frozenset[str]:
        async with self._conn.execute(
            "SELECT asset FROM subscription_assets WHERE subscription_id = ?", (subscription_id,)
        ) as cursor:
            return frozenset(row[0] for row in await cursor.fetchall())

    async def _build(self, row: Row) -> Subscription:
        return _built(row, frozenset() if row[4] else await self._assets(row[0]))

    async def get(self, subscription_id: int) -> Subscription | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return await self._build(row) if row else None

    async def get_many(self, ids: Iterable[int]) -> dict[int, Subscription]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions"
            " WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j)",
            (json.dumps(wanted),),
        ) as cursor:
            rows = await cursor.fetchall()
        return {row[0]: await self._build(row) for row in rows}

    async def find(self, kind: TargetKind, target: str) -> Subscription | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE target_kind = ? AND target = ?",
            (kind.value, target),
        ) as cursor:
            row = await cursor.fetchone()
        return await self._build(row) if row else None

    async def every(self) -> list[Subscription]:
        """Every subscription, oldest first, read in two statements (an export of many)."""
        assets: dict[int, set[str]] = {}
        async with self._conn.execute(
            "SELECT subscription_id, asset FROM subscription_assets"
        ) as cursor:
            for subscription_id, asset in await cursor.fetchall():
                assets.setdefault(int(subscription_id), set()).add(asset)
        async with self._conn.execute(f"SELECT {_COLUMNS} FROM subscriptions ORDER BY id") as cur:
            rows = await cur.fetchall()
        return [_built(row, frozenset(assets.get(int(row[0]), ()))) for row in rows]

    async def list(
        self,
        kind: TargetKind | None = None,
        targets: Iterable[str] | None = None,
        guild_id: str | None = None,
    ) -> list[Subscription]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("target_kind = ?")
            params.append(kind.value)
        if targets is not None:
            wanted = list(targets)
            clauses.append(f"target IN ({', '.join('?' * len(wanted)) or 'NULL'})")
            params.extend(wanted)
        if guild_id is not None:
            clauses.append("guild_id = ?")
            params.append(guild_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions {where} ORDER BY id", params
        ) as cursor:
            rows = await cursor.fetchall()
        return [await self._build(row) for row in rows]

    async def save(self, sub: Subscription) -> Subscription:
        """Insert or replace the subscription of `sub.target`, with its asset set."""
        cursor = await self._conn.execute(
            "INSERT INTO subscriptions (target_kind, target, guild_id, all_assets, events, locale,"
            " secret, created_by, created_at, alert_mode, quiet_from, quiet_until, digest_at,"
            " active, disabled_reason, last_error)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (target_kind, target) DO UPDATE SET guild_id = excluded.guild_id,"
            " all_assets = excluded.all_assets, events = excluded.events,"
            " locale = excluded.locale, secret = excluded.secret, active = excluded.active,"
            " disabled_reason = excluded.disabled_reason, last_error = excluded.last_error"
            " RETURNING id",
            (*_identity(sub), int(sub.active), sub.disabled_reason, sub.last_error),
        )
        row = await cursor.fetchone()
        await cursor.close()
        assert row is not None
        subscription_id = int(row[0])
        await self._conn.execute(
            "DELETE FROM subscription_assets WHERE subscription_id = ?", (subscription_id,)
        )
        if not sub.all_assets:
            await self._conn.executemany(
                "INSERT INTO subscription_assets (subscription_id, asset) VALUES (?, ?)",
                [(subscription_id, asset) for asset in sorted(sub.assets)],
            )
        saved = await self.get(subscription_id)
        assert saved is not None
        return saved

    async def targets(self) -> set[tuple[str, str]]:
        """(kind, target) of every subscription: what a bulk import keeps as it is."""
        async with self._conn.execute("SELECT target_kind, target FROM subscriptions") as cursor:
            return {(row[0], row[1]) for row in await cursor.fetchall()}

    async def add_many(
        self, subs: Iterable[Subscription], known: set[tuple[str, str]] | None = None
    ) -> int:
        """Insert new subscriptions in bulk (imports, benchmarks) and return how many; targets
        that already have one (or come twice) are kept as they are. A handful of statements
        whatever the count: the rows and their asset sets go in with `copy_rows`. `known`:
        `targets()`, read in this transaction already."""
        known = set(known) if known is not None else await self.targets()
        new: list[Subscription] = []
        for sub in subs:
            key = (sub.target_kind.value, sub.target)
            if key not in known:
                known.add(key)
                new.append(sub)
        if not new:
            return 0
        async with self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM subscriptions") as cur:
            row = await cur.fetchone()
        last = int(row[0]) if row else 0
        await self._conn.copy_rows("subscriptions", _NEW_ROW, [_identity(sub) for sub in new])
        # Writes are serialised on both engines: every id above `last` is one of these rows.
        async with self._conn.execute(
            "SELECT id, target_kind, target FROM subscriptions WHERE id > ?", (last,)
        ) as cursor:
            ids = {(kind, target): int(i) for i, kind, target in await cursor.fetchall()}
        await self._conn.copy_rows(
            "subscription_assets",
            ("subscription_id", "asset"),
            [
                (ids[(sub.target_kind.value, sub.target)], asset)
                for sub in new
                if not sub.all_assets
                for asset in sorted(sub.assets)
            ],
        )
        return len(new)

    async def delete(self, subscription_id: int) -> None:
        await self._conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))

    async def disable(self, subscription_id: int, reason: str, at: datetime | None = None) -> None:
        # When, for the notification report's "disabled in the period".
        await self._conn.execute(
            "UPDATE subscriptions SET active = 0, disabled_reason = ?, last_error = ?,"
            " disabled_at = ? WHERE id = ?",
            (reason, reason, to_db(at or utcnow()), subscription_id),
        )

    async def set_mode(self, sub: Subscription) -> None:
        """Store the subscription's alert mode and its times, as they are on `sub`."""
        await self._conn.execute(
            "UPDATE subscriptions SET alert_mode = ?, quiet_from = ?, quiet_until = ?,"
            " digest_at = ? WHERE id = ?",
            (sub.mode.value, sub.quiet_from, sub.quiet_until, sub.digest_at, sub.id),
        )

    async def set_last_error(self, subscription_id: int, error: str | None) -> None:
        await self._conn.execute(
            "UPDATE subscriptions SET last_error = ? WHERE id = ?", (error, subscription_id)
        )

    async def count(self, active_only: bool = False) -> int:
        sql = "SELECT COUNT(*) FROM subscriptions" + (" WHERE active = 1" if active_only else "")
        async with self._conn.execute(sql) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
