"""The shared budget rows on both engines: created on first write, changed by compare-and-set."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.delivery.dm_budget import DmOpenBudget, DmOpenPolicy
from bot.store import Database
from bot.store.budgets import DM_OPENS, BudgetState


async def test_a_write_from_a_stale_read_is_refused(engine_db: Database) -> None:
    assert await engine_db.repos.budgets.get(DM_OPENS) == BudgetState()
    first = BudgetState(next_at=1_700_000_000.25, level=2, level_since=1_700_000_000.5, epoch=3)
    async with engine_db.transaction() as repos:
        assert await repos.budgets.put(DM_OPENS, first)
        assert not await repos.budgets.put(DM_OPENS, first)  # a second creator loses
    stored = await engine_db.repos.budgets.get(DM_OPENS)
    assert stored == replace(first, version=1)
    assert (type(stored.next_at), type(stored.level)) == (float, int)
    restricted = replace(stored, restricted_at=1_700_000_100.0)
    async with engine_db.transaction() as repos:
        assert await repos.budgets.put(DM_OPENS, restricted)
        assert not await repos.budgets.put(DM_OPENS, replace(stored, level=0))  # stale
    assert await engine_db.repos.budgets.get(DM_OPENS) == replace(restricted, version=2)


async def test_concurrent_reservations_get_distinct_slots(engine_db: Database) -> None:
    budget = DmOpenBudget(engine_db, DmOpenPolicy(per_minute=60), clock=lambda: 1000.0)
    slots = await asyncio.gather(*(budget.reserve() for _ in range(8)))
    assert sorted(slot.at for slot in slots) == [1000.0 + i for i in range(8)]
    assert await budget.restricted() is True
    assert await budget.restricted() is False  # only the first one tells the operators
    await budget.reached()
    assert (await engine_db.repos.budgets.get(DM_OPENS)).restricted_at is None
