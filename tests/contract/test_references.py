"""The outbox's references hold on both engines: SQLite checks them row by row (foreign keys),
PostgreSQL once per statement (triggers, for the fan-out's speed); the rules are the same."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from bot.domain import EventKind
from bot.store import Database
from tests.contract.support import T0, add_event, subscription

ORPHAN = (
    "INSERT INTO deliveries (event_id, subscription_id, next_attempt_at, created_at)"
    " VALUES (?, ?, ?, ?)"
)
REFUSED = (sqlite3.IntegrityError, psycopg.errors.ForeignKeyViolation)


async def queued(db: Database) -> tuple[int, int]:
    """A subscription with one queued delivery: (subscription id, event id)."""
    async with db.transaction() as repos:
        sub = await repos.subscriptions.save(subscription("7001"))
        event = await add_event(repos, EventKind.STATUS)
        assert await repos.outbox.fan_out(event) == 1
    return sub.id, event.id


async def test_a_delivery_to_a_missing_subscription_or_event_is_refused_whole(
    engine_db: Database,
) -> None:
    sub_id, event_id = await queued(engine_db)
    at = T0.isoformat()
    for bad in ((event_id, sub_id + 100), (event_id + 100, sub_id)):
        with pytest.raises(REFUSED):
            async with engine_db.transaction() as repos:
                # The store's own connection, so the statement is the engine's real path.
                await repos.outbox._conn.execute(ORPHAN, (*bad, at, at))
    assert await engine_db.repos.outbox.count() == 1


async def test_removing_a_subscription_removes_its_deliveries(engine_db: Database) -> None:
    sub_id, _ = await queued(engine_db)
    async with engine_db.transaction() as repos:
        other = await repos.subscriptions.save(subscription("7002"))
        event = await add_event(repos, EventKind.STATUS)
        assert await repos.outbox.fan_out(event) == 2
        await repos.subscriptions.delete(sub_id)
    assert await engine_db.repos.outbox.count() == 1
    async with engine_db.transaction() as repos:
        [left] = await repos.outbox.claim(T0, T0, 10)
    assert left.subscription_id == other.id
