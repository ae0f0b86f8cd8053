"""Report-deadline reminders: the right JST times, once each, across restarts, and no more
once the order is reported. The clock is the test's; jobs are checked, then run directly."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import JST, utcnow
from bot.domain import (
    EventFilter,
    EventKind,
    NewOrder,
    OrderAction,
    OrderStatus,
    Source,
    TargetKind,
)
from bot.jobs.reminders import ReminderJobs
from bot.services.orders import OrderService
from bot.services.reminders import BEFORE_24H, DUE, ReminderService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database, open_database

SEEDED_2018 = "kinki-2018-09-25-improvement"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    sched = AsyncIOScheduler(timezone="Asia/Tokyo")
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)


async def _subscribers(db: Database) -> dict[str, int]:
    service = SubscriptionService(db)
    ids = {}
    for name, kind, target, events in [
        ("operator", TargetKind.CHANNEL, "2001", EventFilter.OPERATOR),
        ("all", TargetKind.DM, "1001", EventFilter.ALL),
        ("orders", TargetKind.DM, "1002", EventFilter.ORDERS),
    ]:
        sub = await service.subscribe(
            kind, target, assets=None, events=events, locale="ja", created_by="test"
        )
        ids[name] = sub.id
    return ids


async def _add_order(db: Database, due: date) -> int:
    new = NewOrder(
        issuer="近畿財務局",
        action=OrderAction.REPORT_ORDER,
        issued_on=due - timedelta(days=3),
        report_due=due,
        legal_basis="資金決済法",
    )
    order, _ = await OrderService(db).add(new, actor="test", source=Source.CLI)
    return order.id


def _operator_events(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT id, json_extract(payload, '$.reminder') FROM events WHERE kind = 'operator'"
            " ORDER BY id"
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def _deliveries(path: Path, event_id: int) -> set[int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT subscription_id FROM deliveries WHERE event_id = ?", (event_id,)
        ).fetchall()
    return {r[0] for r in rows}


async def _close_2018(db: Database) -> None:
    seeded = [o for o in await OrderService(db).list() if o.slug == SEEDED_2018]
    await OrderService(db).set_status(seeded[0].id, OrderStatus.CLOSED, actor="test")


async def test_jobs_are_at_24_hours_before_and_at_the_end_of_the_jst_day(
    db: Database, scheduler: AsyncIOScheduler
) -> None:
    await _close_2018(db)
    order_id = await _add_order(db, date(2026, 12, 10))
    clock = Clock(datetime(2026, 12, 1, tzinfo=UTC))
    jobs = ReminderJobs(ReminderService(db, clock=clock), scheduler)
    await jobs.start()
    found = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    assert found[f"reminder:{order_id}:{BEFORE_24H}"] == datetime(2026, 12, 10, 0, 0, tzinfo=JST)
    assert found[f"reminder:{order_id}:{DUE}"] == datetime(2026, 12, 11, 0, 0, tzinfo=JST)
    assert found[f"reminder:{order_id}:{DUE}"] == datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert "reminders:sync" in found


async def test_reminders_fire_once_at_their_time_only_to_the_operators(
    db: Database, db_path: Path
) -> None:
    subs = await _subscribers(db)
    await _close_2018(db)
    order_id = await _add_order(db, date(2026, 12, 10))
    warning_at = datetime(2026, 12, 10, 0, 0, tzinfo=JST)
    clock = Clock(warning_at - timedelta(seconds=1))
    service = ReminderService(db, clock=clock)

    assert await service.fire(order_id, BEFORE_24H) is None  # a second early: nothing
    clock.now = warning_at
    event = await service.fire(order_id, BEFORE_24H)
    assert event is not None and event.kind is EventKind.OPERATOR
    assert event.payload["deadline_jst"] == "2026-12-11 00:00 JST"
    assert "2026-12-10 24:00 JST" in event.payload["text_ja"]
    assert "due by 2026-12-10 24:00 JST" in event.payload["text_en"]
    assert event.payload["report_due"] == "2026-12-10" and event.payload["issuer"] == "近畿財務局"
    assert event.payload["action"] == "report_order" and event.payload["order_id"] == order_id
    assert _deliveries(db_path, event.id) == {subs["operator"]}
    assert await service.fire(order_id, BEFORE_24H) is None  # once

    clock.now = datetime(2026, 12, 11, 0, 0, 30, tzinfo=JST)
    due = await service.fire(order_id, DUE)
    assert due is not None and due.payload["reminder"] == DUE
    assert [kind for _, kind in _operator_events(db_path)] == [BEFORE_24H, DUE]
    assert await service.pending() == []


async def test_reported_orders_get_no_more_reminders(
    db: Database, db_path: Path, scheduler: AsyncIOScheduler
) -> None:
    await _subscribers(db)
    await _close_2018(db)
    order_id = await _add_order(db, date(2026, 12, 10))
    clock = Clock(datetime(2026, 12, 10, 1, 0, tzinfo=JST))
    service = ReminderService(db, clock=clock)
    jobs = ReminderJobs(service, scheduler)
    await jobs.sync()
    assert await service.fire(order_id, BEFORE_24H) is not None

    await OrderService(db).set_status(order_id, OrderStatus.REPORTED, actor="test")
    await jobs.sync()
    assert not [j for j in scheduler.get_jobs() if j.id.startswith("reminder:")]
    clock.now = datetime(2026, 12, 11, 0, 0, tzinfo=JST)
    assert await jobs.fire(order_id, DUE) is None  # a stale job does nothing either
    assert len(_operator_events(db_path)) == 1


async def test_jobs_are_rebuilt_from_sqlite_after_a_restart(
    db: Database, db_path: Path, scheduler: AsyncIOScheduler
) -> None:
    await _subscribers(db)
    await _close_2018(db)
    order_id = await _add_order(db, date(2026, 12, 10))
    clock = Clock(datetime(2026, 12, 10, 0, 0, tzinfo=JST))
    assert await ReminderService(db, clock=clock).fire(order_id, BEFORE_24H) is not None

    reopened = await open_database(db_path)
    fresh = AsyncIOScheduler(timezone="Asia/Tokyo")
    fresh.start(paused=True)
    try:
        jobs = ReminderJobs(ReminderService(reopened, clock=clock), fresh)
        await jobs.start()
        ids = {job.id for job in fresh.get_jobs() if job.id.startswith("reminder:")}
        assert ids == {f"reminder:{order_id}:{DUE}"}
    finally:
        fresh.shutdown(wait=False)
        await reopened.close()


async def test_a_deadline_missed_while_down_fires_once_at_start(
    db: Database, db_path: Path
) -> None:
    subs = await _subscribers(db)
    await _close_2018(db)
    # The deadline (the end of yesterday in JST) passed while the service was down; the real
    # clock is used, since the scheduler runs these jobs by it.
    yesterday = datetime.now(JST).date() - timedelta(days=1)
    await _add_order(db, yesterday)
    clock = utcnow
    for _ in range(2):  # the second start is a restart: nothing more
        sched = AsyncIOScheduler(timezone="Asia/Tokyo")
        sched.start()  # running: overdue jobs run at once
        try:
            await ReminderJobs(ReminderService(db, clock=clock), sched).start()
            for _ in range(200):
                if not [j for j in sched.get_jobs() if j.id.startswith("reminder:")]:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
        finally:
            sched.shutdown(wait=False)
    events = _operator_events(db_path)
    # The warning is superseded by the deadline itself: skipped, and announced at the first
    # start (the notice has no `reminder`); the deadline reminder goes out once.
    assert [kind for _, kind in events] == [None, DUE]
    assert _deliveries(db_path, events[1][0]) == {subs["operator"]}
    assert await ReminderService(db, clock=clock).pending() == []


async def test_the_seeded_2018_order_is_skipped_on_a_fresh_install(
    db: Database, db_path: Path
) -> None:
    await _subscribers(db)
    clock = Clock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    service = ReminderService(db, clock=clock)
    pending = await service.pending()
    assert {(r.kind, r.at) for r in pending} == {
        (BEFORE_24H, datetime(2018, 9, 27, 0, 0, tzinfo=JST)),
        (DUE, datetime(2018, 9, 28, 0, 0, tzinfo=JST)),
    }
    for reminder in pending:
        assert await service.fire(reminder.order_id, reminder.kind) is None
    assert _operator_events(db_path) == []
    assert await service.pending() == []  # recorded as dealt with: not tried again


async def test_an_order_recorded_while_running_gets_its_jobs_at_once(
    db: Database, scheduler: AsyncIOScheduler
) -> None:
    await _close_2018(db)
    clock = Clock(datetime(2026, 12, 1, tzinfo=UTC))
    jobs = ReminderJobs(ReminderService(db, clock=clock), scheduler)
    await jobs.start()
    orders = OrderService(db, on_event=jobs.on_event)
    new = NewOrder(
        issuer="金融庁",
        action=OrderAction.BUSINESS_SUSPENSION,
        issued_on=date(2026, 12, 1),
        report_due=date(2026, 12, 20),
    )
    order, _ = await orders.add(new, actor="test", source=Source.DISCORD)
    for _ in range(100):
        if scheduler.get_job(f"reminder:{order.id}:{DUE}") is not None:
            break
        await asyncio.sleep(0.01)
    job = scheduler.get_job(f"reminder:{order.id}:{DUE}")
    assert job is not None and job.next_run_time == datetime(2026, 12, 21, 0, 0, tzinfo=JST)
    await jobs.stop()
    assert not [j for j in scheduler.get_jobs() if j.id.startswith("reminder")]
