"""Fixtures for the feed watcher: the local feed server, subscribers, and a watcher over `db`."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain import EventFilter, TargetKind
from bot.feeds.watcher import FeedWatcher
from bot.metrics import Metrics
from bot.services.feeds import FeedService
from bot.services.orders import OrderService
from bot.services.subscriptions import SubscriptionService
from bot.settings import FeedSettings, FeedSource
from bot.store import Database
from tests.feeds.server import FeedServer

KEYWORDS = ["テックビューロ", "Zaif", "暗号資産交換業", "仮想通貨交換業"]
INTERVAL = 600.0


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@dataclass
class Subscribers:
    orders: int
    status: int
    operator: int


@pytest.fixture
async def subscribers(db: Database) -> Subscribers:
    """A customer who wants orders, one who wants status only, and the operators' channel."""
    service = SubscriptionService(db)

    async def subscribe(kind: TargetKind, target: str, events: EventFilter) -> int:
        sub = await service.subscribe(
            kind, target, assets=None, events=events, locale="ja", created_by="test"
        )
        return sub.id

    return Subscribers(
        orders=await subscribe(TargetKind.DM, "1001", EventFilter.ORDERS),
        status=await subscribe(TargetKind.DM, "1002", EventFilter.STATUS),
        operator=await subscribe(TargetKind.CHANNEL, "2001", EventFilter.OPERATOR),
    )


@dataclass
class Built:
    watcher: FeedWatcher
    scheduler: AsyncIOScheduler
    metrics: Metrics


@pytest.fixture
async def make_watcher() -> AsyncIterator[Callable[..., Built]]:
    """Build watchers over a database; their scheduler starts paused: the clock is the test's."""
    built: list[Built] = []

    def make(
        db: Database,
        sources: list[FeedSource],
        *,
        timeout: float = 2.0,
        max_bytes: int = 5_000_000,
    ) -> Built:
        settings = FeedSettings(
            sources=sources, interval_seconds=INTERVAL, timeout_seconds=timeout, max_bytes=max_bytes
        )
        scheduler = AsyncIOScheduler(timezone="Asia/Tokyo")
        scheduler.start(paused=True)
        metrics = Metrics()
        watcher = FeedWatcher(
            settings, FeedService(db), OrderService(db), scheduler, metrics, rng=lambda: 0.5
        )
        built.append(Built(watcher, scheduler, metrics))
        return built[-1]

    yield make
    for item in built:
        await item.watcher.stop()
        item.scheduler.shutdown(wait=False)


def deliveries_of(path: Path, event_id: int) -> set[int]:
    """The subscriptions a delivery row was written for (read straight from the SQLite file)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT subscription_id FROM deliveries WHERE event_id = ?", (event_id,)
        ).fetchall()
    return {row[0] for row in rows}


def count_events(path: Path, kind: str) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT COUNT(*) FROM events WHERE kind = ?", (kind,)).fetchone()
    return int(row[0])
