"""Report-deadline reminders on both engines: each claimed or skipped once."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import SkippedReminder
from bot.store import Database
from tests.contract.support import T0


async def test_each_reminder_is_dealt_with_once(engine_db: Database) -> None:
    order_id = (await engine_db.repos.orders.list())[0].id
    async with engine_db.transaction() as repos:
        assert await repos.reminders.claim(order_id, "before_24h", T0) is True
        assert await repos.reminders.claim(order_id, "before_24h", T0) is False
        assert await repos.reminders.skip(order_id, "before_24h", T0) is False
        assert await repos.reminders.skip(order_id, "due", T0 + timedelta(hours=1)) is True
        assert await repos.reminders.claim(order_id, "due", T0) is False
    done = await engine_db.repos.reminders.done()
    assert done == {(order_id, "before_24h"): T0, (order_id, "due"): T0 + timedelta(hours=1)}
    assert all(type(key[0]) is int for key in done)


async def test_skipped_reminders_are_announced_once(engine_db: Database) -> None:
    first, second = [o.id for o in await engine_db.repos.orders.list()][:2]
    async with engine_db.transaction() as repos:
        await repos.reminders.skip(second, "due", T0)
        await repos.reminders.skip(first, "due", T0)
        await repos.reminders.skip(first, "before_24h", T0)
        await repos.reminders.claim(second, "before_24h", T0)
    skipped = await engine_db.repos.reminders.skipped(unannounced=True)
    assert [(s.order_id, s.kind) for s in skipped] == [
        (first, "before_24h"),
        (first, "due"),
        (second, "due"),
    ]
    announced = T0 + timedelta(minutes=1)
    async with engine_db.transaction() as repos:
        await repos.reminders.mark_announced([(first, "due"), (second, "before_24h")], announced)
    assert await engine_db.repos.reminders.skipped(first) == [
        SkippedReminder(first, "before_24h", T0, None),
        SkippedReminder(first, "due", T0, announced),
    ]
    left = await engine_db.repos.reminders.skipped(unannounced=True)
    assert [(s.order_id, s.kind) for s in left] == [(first, "before_24h"), (second, "due")]
