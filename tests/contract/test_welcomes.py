"""The welcome queue on both engines: queued again on a new /subscribe, due in time order."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Database
from bot.store.welcomes import WelcomeState
from tests.contract.support import T0, subscription


async def test_welcomes_are_due_in_order_and_end_in_one_state(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.subscriptions.add_many([subscription("4001"), subscription("4002")])
    subs = {s.target: s.id for s in await engine_db.repos.subscriptions.list()}
    first, second = subs["4001"], subs["4002"]
    async with engine_db.transaction() as repos:
        await repos.welcomes.queue(second, T0 + timedelta(seconds=1))
        await repos.welcomes.queue(first, T0)
    due = await engine_db.repos.welcomes.due(T0 + timedelta(seconds=5), 10)
    assert [w.subscription_id for w in due] == [first, second]
    assert await engine_db.repos.welcomes.due(T0 - timedelta(seconds=1), 10) == []
    one, two = due
    async with engine_db.transaction() as repos:
        await repos.welcomes.retry(one.id, None, T0 + timedelta(minutes=1))
        await repos.welcomes.finish(two.id, WelcomeState.DM_CLOSED, "403 50007: closed")
    again = await engine_db.repos.welcomes.of(first)
    assert again is not None
    assert (again.state, again.attempts, again.next_attempt_at) == (
        WelcomeState.PENDING,
        1,
        T0 + timedelta(minutes=1),
    )
    async with engine_db.transaction() as repos:
        await repos.welcomes.sent(one.id, "9001", T0)
    assert await engine_db.repos.welcomes.count(WelcomeState.SENT) == 1
    closed = await engine_db.repos.welcomes.of(second)
    assert closed is not None and closed.state is WelcomeState.DM_CLOSED
    # Subscribing again queues the welcome again, from scratch.
    async with engine_db.transaction() as repos:
        await repos.welcomes.queue(second, T0 + timedelta(hours=1))
    fresh = await engine_db.repos.welcomes.of(second)
    assert fresh is not None
    assert (fresh.state, fresh.attempts, fresh.last_error) == (WelcomeState.PENDING, 0, None)
    assert await engine_db.repos.welcomes.count(WelcomeState.PENDING) == 1
