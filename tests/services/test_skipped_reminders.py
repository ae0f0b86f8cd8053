"""Reminders skipped as too late: recorded as skipped, and announced to the operators once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.render import render
from bot.domain import EventFilter, EventKind, NewOrder, OrderAction, Source, TargetKind
from bot.jobs.reminders import ReminderJobs
from bot.services.orders import OrderService
from bot.services.reminders import BEFORE_24H, DUE, ReminderService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database, open_database

SEEDED_2018 = "kinki-2018-09-25-improvement"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    sched = AsyncIOScheduler(timezone="Asia/Tokyo")
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)


def _operator_events(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT id, payload FROM events WHERE kind = 'operator' ORDER BY id"
        ).fetchall()
    return [(r[0], json.loads(r[1])) for r in rows]


def _deliveries(path: Path, event_id: int) -> set[int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT subscription_id FROM deliveries WHERE event_id = ?", (event_id,)
        ).fetchall()
    return {r[0] for r in rows}


async def _subscribe(db: Database) -> dict[str, int]:
    service = SubscriptionService(db)
    ids = {}
    for name, kind, target, events in [
        ("operator", TargetKind.CHANNEL, "2001", EventFilter.OPERATOR),
        ("customer", TargetKind.DM, "1001", EventFilter.ALL),
    ]:
        sub = await service.subscribe(
            kind, target, assets=None, events=events, locale="ja", created_by="test"
        )
        ids[name] = sub.id
    return ids


async def _seeded_2018(db: Database) -> int:
    return next(o.id for o in await OrderService(db).list() if o.slug == SEEDED_2018)


async def test_the_first_start_announces_the_skipped_2018_reminders_and_the_second_does_not(
    db: Database, db_path: Path, scheduler: AsyncIOScheduler
) -> None:
    subs = await _subscribe(db)
    order_id = await _seeded_2018(db)

    await ReminderJobs(ReminderService(db, clock=lambda: NOW), scheduler).start()

    (event_id, payload), *others = _operator_events(db_path)
    assert others == []
    assert payload["topic"] == "reminders_skipped"
    assert [(s["order_id"], s["reminder"]) for s in payload["skipped"]] == [
        (order_id, BEFORE_24H),
        (order_id, DUE),
    ]
    assert payload["title_ja"] == "送らなかった報告期限リマインダー"
    assert payload["text_ja"].startswith("次の 2 件のリマインダーは")
    assert (
        f"・命令 {order_id}(近畿財務局の業務改善命令、報告期限 2018-09-27 24:00 JST)"
        in (payload["text_ja"])
    )
    assert "期限24時間前のリマインダー" in payload["text_ja"]
    assert f"- Order {order_id} (Business improvement order by 近畿財務局" in payload["text_en"]
    assert _deliveries(db_path, event_id) == {subs["operator"]}  # operators only
    # No job was made for what was skipped.
    assert not [j for j in scheduler.get_jobs() if j.id.startswith("reminder:")]
    skipped = await OrderService(db).skipped_reminders(order_id)
    assert [(r.kind, r.skipped_at, r.announced_at) for r in skipped] == [
        (BEFORE_24H, NOW, NOW),
        (DUE, NOW, NOW),
    ]

    # A restart, a day later: the same reminders are not announced again.
    later = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    reopened = await open_database(db_path)
    fresh = AsyncIOScheduler(timezone="Asia/Tokyo")
    fresh.start(paused=True)
    try:
        await ReminderJobs(ReminderService(reopened, clock=lambda: later), fresh).start()
    finally:
        fresh.shutdown(wait=False)
        await reopened.close()
    assert len(_operator_events(db_path)) == 1


async def test_the_notice_renders_in_each_operators_language(db: Database) -> None:
    await _subscribe(db)
    event = await ReminderService(db, clock=lambda: NOW).skip_missed()
    assert event is not None and event.kind is EventKind.OPERATOR
    channel = next(
        s for s in await SubscriptionService(db).list() if s.target_kind is TargetKind.CHANNEL
    )
    ja = render(event.kind, event.payload, event.created_at, channel)
    assert ja is not None and ja["title"] == "送らなかった報告期限リマインダー"
    assert ja["description"] == event.payload["text_ja"]
    english = await SubscriptionService(db).subscribe(
        TargetKind.CHANNEL,
        "2002",
        assets=None,
        events=EventFilter.OPERATOR,
        locale="en",
        created_by="test",
    )
    en = render(event.kind, event.payload, event.created_at, english)
    assert en is not None and en["title"] == "Report reminders not sent"
    assert en["description"].startswith("These 2 reminder(s) were not sent")


async def test_a_reminder_skipped_while_running_is_announced_at_the_next_start(
    db: Database, db_path: Path
) -> None:
    await _subscribe(db)
    first = ReminderService(db, clock=lambda: NOW)
    assert await first.skip_missed() is not None  # the 2018 order, on this fresh install
    new = NewOrder(
        issuer="金融庁",
        action=OrderAction.REPORT_ORDER,
        issued_on=date(2026, 11, 1),
        report_due=date(2026, 11, 30),
    )
    order, _ = await OrderService(db).add(new, actor="test", source=Source.CLI)
    # The machine slept through the deadline: the job runs two days late and sends nothing.
    late = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    service = ReminderService(db, clock=lambda: late)
    assert await service.fire(order.id, DUE) is None
    assert await service.fire(order.id, DUE) is None
    assert len(_operator_events(db_path)) == 1

    announced = await service.skip_missed()  # the next start-up
    assert announced is not None
    listed = [(s["order_id"], s["reminder"]) for s in announced.payload["skipped"]]
    assert listed == [(order.id, BEFORE_24H), (order.id, DUE)]
    assert await service.skip_missed() is None
    assert await service.pending() == []
