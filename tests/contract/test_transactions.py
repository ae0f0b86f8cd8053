"""Transactions on both engines: all of a change or none; a snapshot read sees one moment."""

from __future__ import annotations

import pytest

from bot.domain import Direction, State
from bot.store import Database, StoreError
from tests.contract.support import T0, add_event, change, subscription


class Boom(Exception):
    pass


async def test_an_exception_rolls_the_whole_transaction_back(engine_db: Database) -> None:
    before = await engine_db.repos.status.count_history()
    with pytest.raises(Boom):
        async with engine_db.transaction() as repos:
            await repos.status.record(change("BTC", State.OPERATIONAL, T0))
            await repos.subscriptions.save(subscription("1"))
            await repos.outbox.fan_out(await add_event(repos))
            await repos.dm_channels.put("1", "2", T0)
            raise Boom
    assert await engine_db.repos.status.count_history() == before
    [btc, _] = await engine_db.repos.status.current("BTC")
    assert btc.state is State.SUSPENDED
    assert await engine_db.repos.subscriptions.count() == 0
    assert await engine_db.repos.events.count() == 0
    assert await engine_db.repos.outbox.count() == 0
    assert await engine_db.repos.dm_channels.get("1") is None
    async with engine_db.transaction() as repos:  # the database is usable afterwards
        await repos.status.record(change("BTC", State.OPERATIONAL, T0))
    assert await engine_db.repos.status.count_history() == before + 1


async def test_a_snapshot_read_sees_one_moment(engine_db: Database) -> None:
    async with engine_db.read() as snapshot:
        first = await snapshot.status.current("BTC")
        async with engine_db.transaction() as repos:
            await repos.status.record(change("BTC", State.OPERATIONAL, T0))
        again = await snapshot.status.current("BTC")
    assert first == again
    [btc, _] = await engine_db.repos.status.current("BTC")
    assert (btc.direction, btc.state) == (Direction.DEPOSIT, State.OPERATIONAL)


async def test_content_version_moves_with_what_customers_read(engine_db: Database) -> None:
    before = await engine_db.content_version()
    assert type(before) is int
    async with engine_db.transaction() as repos:
        await repos.status.record(change("BTC", State.OPERATIONAL, T0))
    assert await engine_db.content_version() > before


async def test_a_closed_database_stays_closed(engine_db: Database) -> None:
    """Closing is final on both engines: PostgreSQL's links reopen after a break, not after this."""
    await engine_db.close()
    with pytest.raises((ValueError, StoreError)):
        await engine_db.repos.assets.all()
