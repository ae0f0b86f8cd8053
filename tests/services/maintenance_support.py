"""What the maintenance tests share: a driven clock, subscribers, and reading SQLite directly."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain import (
    Direction,
    EventFilter,
    NewMaintenance,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from bot.services.maintenance import MaintenanceService
from bot.services.status import StatusService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 10:00 JST


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def subscribers(db: Database) -> dict[str, int]:
    """status (BTC), maintenance (BTC), all, orders, and a MONA status subscriber."""
    service = SubscriptionService(db)
    ids = {}
    for name, target, events, assets in [
        ("status", "1001", EventFilter.STATUS, frozenset({"BTC"})),
        ("maintenance", "1002", EventFilter.MAINTENANCE, frozenset({"BTC"})),
        ("all", "1003", EventFilter.ALL, None),
        ("orders", "1004", EventFilter.ORDERS, None),
        ("mona", "1005", EventFilter.STATUS, frozenset({"MONA"})),
    ]:
        sub = await service.subscribe(
            TargetKind.DM, target, assets=assets, events=events, locale="ja", created_by="test"
        )
        ids[name] = sub.id
    return ids


def window(
    starts_at: datetime,
    hours: float = 2,
    assets: tuple[str, ...] = ("BTC",),
    direction: str = "both",
) -> NewMaintenance:
    return NewMaintenance(
        assets=assets,
        direction=direction,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        reason=Reason.WALLET_UPGRADE,
        note_ja="ウォレットの更新",
        note_en="Wallet upgrade",
    )


async def schedule(service: MaintenanceService, new: NewMaintenance) -> int:
    created, _ = await service.schedule(new, actor="cli:test", source=Source.CLI)
    return created.id


async def operator_sets(db: Database, asset: str, direction: Direction, state: State) -> None:
    await StatusService(db).change(
        StatusRequest(
            targets=(Target(asset, direction, state),),
            reason=Reason.OTHER,
            note="",
            actor="discord:42",
            source=Source.DISCORD,
        )
    )


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def steps(path: Path) -> list[str]:
    """The maintenance notices written, oldest first, by step."""
    found = rows(
        path,
        "SELECT json_extract(payload, '$.step') FROM events WHERE kind = 'maintenance' ORDER BY id",
    )
    return [str(r[0]) for r in found]


def recipients(path: Path, event_id: int) -> set[int]:
    found = rows(path, "SELECT subscription_id FROM deliveries WHERE event_id = ?", event_id)
    return {int(str(r[0])) for r in found}


def states(path: Path, asset: str) -> dict[str, str]:
    found = rows(path, "SELECT direction, state FROM asset_status WHERE asset = ?", asset)
    return {str(d): str(s) for d, s in found}
