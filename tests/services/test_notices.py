"""OrderService.record_notice: one event and its deliveries in one go, and never twice."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import Event, EventFilter, EventKind, Source, TargetKind
from bot.services.feeds import FeedService
from bot.services.orders import Notice, OrderService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database


async def test_a_notice_is_recorded_once_and_reaches_orders_and_operators(
    db: Database, db_path: Path
) -> None:
    subs = SubscriptionService(db)
    ids = {}
    for target, events in [
        ("1", EventFilter.ORDERS),
        ("2", EventFilter.ALL),
        ("3", EventFilter.STATUS),
        ("4", EventFilter.OPERATOR),
    ]:
        sub = await subs.subscribe(
            TargetKind.DM, target, assets=None, events=events, locale="en", created_by="t"
        )
        ids[events] = sub.id
    await FeedService(db).ensure("fsa-ja", "https://www.fsa.go.jp/fsaNewsListAll_rss2.xml")
    heard: list[Event] = []
    service = OrderService(db, on_event=heard.append)
    notice = Notice(
        feed="fsa-ja",
        item_id="abc",
        title="テックビューロ株式会社に対する行政処分について",
        link="https://www.fsa.go.jp/news/30/20180925.html",
        summary="近畿財務局" * 200,
        published_at=datetime(2018, 9, 25, 8, 0, tzinfo=UTC),
        keywords=("テックビューロ",),
    )
    event = await service.record_notice(notice)
    assert event is not None and event.kind is EventKind.NOTICE and event.source is Source.FEED
    assert event.payload["published_jst"] == "2018-09-25 17:00 JST"
    assert len(event.payload["summary"]) == 500
    assert heard == [event]
    assert await service.record_notice(notice) is None
    with sqlite3.connect(db_path) as conn:
        got = {r[0] for r in conn.execute("SELECT subscription_id FROM deliveries").fetchall()}
        events = conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'notice'").fetchone()[0]
        matched = conn.execute("SELECT matched FROM feed_items WHERE item_id = 'abc'").fetchone()
    assert got == {ids[EventFilter.ORDERS], ids[EventFilter.ALL], ids[EventFilter.OPERATOR]}
    assert events == 1 and matched == (1,)
