"""The lease row: taken only when free or run out, renewed only by its holder, given up at once."""

from __future__ import annotations

import asyncio

from bot.store import Database


async def test_a_held_lease_is_refused_and_taken_once_it_runs_out(db: Database) -> None:
    async with db.transaction() as repos:
        first = await repos.leases.acquire("leader", "a:1", "token-a", 0.3)
        second = await repos.leases.acquire("leader", "b:2", "token-b", 0.3)
    assert first is not None and first.term == 1 and first.holder == "a:1"
    assert 0.2 < first.remaining <= 0.3
    assert second is None
    await asyncio.sleep(0.35)
    async with db.transaction() as repos:
        late = await repos.leases.renew("leader", "token-a", 0.3)
        taken = await repos.leases.acquire("leader", "b:2", "token-b", 5)
        current = await repos.leases.current("leader")
    assert late is None  # a lease that ran out is not renewed: its holder must stand down
    assert taken is not None and taken.term == 2 and taken.holder == "b:2"
    assert current is not None and current.holder == "b:2" and current.term == 2


async def test_only_the_holder_renews_and_a_release_frees_it_at_once(db: Database) -> None:
    async with db.transaction() as repos:
        held = await repos.leases.acquire("leader", "a:1", "token-a", 5)
        stranger = await repos.leases.renew("leader", "token-b", 5)
        renewed = await repos.leases.renew("leader", "token-a", 5)
        await repos.leases.release("leader", "token-b")  # not the holder: nothing happens
        still = await repos.leases.acquire("leader", "b:2", "token-b", 5)
        await repos.leases.release("leader", "token-a")
        taken = await repos.leases.acquire("leader", "b:2", "token-b", 5)
    assert held is not None and stranger is None and still is None
    assert renewed is not None and renewed.term == 1 and renewed.expires_at >= held.expires_at
    assert taken is not None and taken.term == 2
