"""The leader's lease on both engines, timed by the database's own clock."""

from __future__ import annotations

import asyncio

from bot.domain import Lease
from bot.store import Database

NAME = "leader"
SECONDS = 0.3


async def acquire(db: Database, holder: str, token: str, seconds: float = SECONDS) -> Lease | None:
    async with db.lease_transaction() as repos:
        return await repos.leases.acquire(NAME, holder, token, seconds)


async def test_a_free_lease_is_taken_and_refused_while_held(engine_db: Database) -> None:
    assert await engine_db.repos.leases.current(NAME) is None
    first = await acquire(engine_db, "a", "token-a")
    assert first is not None
    assert (first.name, first.holder, first.term) == (NAME, "a", 1)
    assert type(first.term) is int
    assert type(first.expires_at) is float and type(first.now) is float
    assert 0.2 < first.expires_at - first.now <= SECONDS + 0.05
    assert await acquire(engine_db, "b", "token-b") is None
    current = await engine_db.repos.leases.current(NAME)
    assert current is not None and (current.holder, current.term) == ("a", 1)
    assert current.expires_at == first.expires_at


async def test_the_term_rises_when_another_takes_over_after_expiry(engine_db: Database) -> None:
    first = await acquire(engine_db, "a", "token-a", 0.1)
    assert first is not None
    await asyncio.sleep(0.15)
    second = await acquire(engine_db, "b", "token-b")
    assert second is not None and (second.holder, second.term) == ("b", 2)
    async with engine_db.lease_transaction() as repos:
        assert await repos.leases.renew(NAME, "token-a", SECONDS) is None  # a's term is over


async def test_only_the_holders_token_renews(engine_db: Database) -> None:
    first = await acquire(engine_db, "a", "token-a", 0.2)
    assert first is not None
    async with engine_db.lease_transaction() as repos:
        assert await repos.leases.renew(NAME, "token-b", 5) is None
        renewed = await repos.leases.renew(NAME, "token-a", 5)
    assert renewed is not None and (renewed.holder, renewed.term) == ("a", 1)
    assert renewed.expires_at > first.expires_at + 4
    assert type(renewed.expires_at) is float
    await asyncio.sleep(0.25)  # past the first term's end: the renewal keeps it held
    assert await acquire(engine_db, "b", "token-b") is None


async def test_release_frees_the_lease_at_once(engine_db: Database) -> None:
    assert await acquire(engine_db, "a", "token-a", 30) is not None
    async with engine_db.lease_transaction() as repos:
        await repos.leases.release(NAME, "token-b")  # not the holder: nothing happens
    assert await acquire(engine_db, "b", "token-b") is None
    async with engine_db.lease_transaction() as repos:
        await repos.leases.release(NAME, "token-a")
    taken = await acquire(engine_db, "b", "token-b")
    assert taken is not None and (taken.holder, taken.term) == ("b", 2)
    current = await engine_db.repos.leases.current(NAME)
    assert current is not None and current.expires_at > current.now
