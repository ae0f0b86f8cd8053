"""Two processes claiming from one PostgreSQL outbox never hold the same delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database
from tests.contract.support import T0, add_event, subscription
from tests.pg import fresh_database

SUBSCRIBERS = 12
EVENTS = 3
LEASE = T0 + timedelta(minutes=5)


@pytest.fixture
async def two() -> AsyncIterator[tuple[Database, Database]]:
    """Two databases on one server database, as two processes hold them; a full outbox."""
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(fresh_database())
        first = await connect_database(DatabaseSettings(url=url), identity="claimer-a")
        stack.push_async_callback(first.close)
        second = await connect_database(DatabaseSettings(url=url), identity="claimer-b")
        stack.push_async_callback(second.close)
        await seed(first, shipped_reference())
        async with first.transaction() as repos:
            for n in range(SUBSCRIBERS):
                await repos.subscriptions.save(subscription(str(n)))
            for _ in range(EVENTS):
                await repos.outbox.fan_out(await add_event(repos))
        yield first, second


async def test_concurrent_claimers_split_the_outbox(two: tuple[Database, Database]) -> None:
    async def claim_until_empty(db: Database) -> list[int]:
        taken: list[int] = []
        while True:
            async with db.transaction() as repos:
                batch = await repos.outbox.claim(T0, LEASE, 4)
            if not batch:
                return taken
            taken += [d.id for d in batch]
            await asyncio.sleep(0)

    a, b = await asyncio.gather(*(claim_until_empty(db) for db in two))
    assert set(a).isdisjoint(b)
    assert len(a) + len(b) == len(set(a) | set(b)) == SUBSCRIBERS * EVENTS
    assert a and b  # both took part


async def test_a_claim_skips_rows_another_holds_locked(two: tuple[Database, Database]) -> None:
    """The lease's transaction stays clear of the write lock that serialises writers, so it can
    overlap an open write transaction: the second claim must pass over the rows the first has
    locked (SKIP LOCKED) instead of waiting for them and then claiming them again."""
    first, second = two
    async with first.transaction() as holding:
        held = await holding.outbox.claim(T0, LEASE, 5)
        async with second.lease_transaction() as other:
            overlapping = await asyncio.wait_for(other.outbox.claim(T0, LEASE, 5), 2)
    assert len(held) == len(overlapping) == 5
    assert {d.id for d in held}.isdisjoint(d.id for d in overlapping)
    async with second.transaction() as repos:
        rest = await repos.outbox.claim(T0, LEASE, 100)
    assert len(rest) == SUBSCRIBERS * EVENTS - 10
