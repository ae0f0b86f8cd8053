"""A fan-out to many DM subscribers, on both engines: the change's transaction writes the other
rows and leaves the DM rows to the backlog, which writes them a batch per transaction, the oldest
event first, each batch whole or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain import TargetKind
from bot.domain.lanes import Lane
from bot.store import Database, outbox_backlog
from tests.contract.support import T0, add_event, subscription
from tests.contract.test_outbox import claim_all, subscribe


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_backlog, "INLINE_DMS", 3)
    monkeypatch.setattr(outbox_backlog, "BATCH_IDS", 2)


async def drain(db: Database) -> list[int]:
    """Write the backlog out, one transaction per batch, as the dispatcher's writer does."""
    batches: list[int] = []
    while True:
        async with db.transaction() as repos:
            written = await repos.outbox.fan_out_more()
        if written is None:
            return batches
        batches.append(written)


async def test_past_the_threshold_dm_rows_are_written_later_in_batches(
    engine_db: Database,
) -> None:
    ids = await subscribe(
        engine_db,
        *(subscription(f"{n}") for n in range(5)),
        subscription("77", kind=TargetKind.CHANNEL, guild_id="9"),
        subscription("https://example.org/hook", kind=TargetKind.WEBHOOK),
    )
    dms, channel, hook = ids[:5], ids[5], ids[6]
    async with engine_db.transaction() as repos:
        event = await add_event(repos)
        queued = await repos.outbox.fan_out(event)
    assert queued == 7  # what the operator is told: every row the fan-out will have
    async with engine_db.transaction() as repos:
        at_once = {d.subscription_id for d in await claim_all(repos)}
        assert await repos.outbox.backlog() > 0
    assert at_once == {channel, hook}

    # A subscriber who comes after the change is not told of it; one who left is not either.
    late = (await subscribe(engine_db, subscription("late")))[0]
    async with engine_db.transaction() as repos:
        await repos.subscriptions.disable(dms[4], "gone")
    batches = await drain(engine_db)
    assert len(batches) >= 3 and sum(batches) == 4
    async with engine_db.transaction() as repos:
        claimed = await claim_all(repos)
        assert await repos.outbox.backlog() == 0
    assert sorted(d.subscription_id for d in claimed) == dms[:4]
    assert {d.lane for d in claimed} == {Lane.DMS}
    assert late not in {d.subscription_id for d in claimed}


async def test_the_oldest_event_is_written_first_and_a_later_small_one_waits_for_it(
    engine_db: Database,
) -> None:
    dms = await subscribe(engine_db, *(subscription(f"{n}") for n in range(5)))
    async with engine_db.transaction() as repos:
        first = await add_event(repos)
        await repos.outbox.fan_out(first)
    # Fewer DM subscribers than the threshold now, but the first event's rows are not all
    # written: the second one's wait behind them, so that each subscriber's come in order.
    async with engine_db.transaction() as repos:
        for sub_id in dms[:3]:
            await repos.subscriptions.disable(sub_id, "gone")
        second = await add_event(repos, assets=["MONA"], at=T0)
        assert await repos.outbox.fan_out(second) == 2
        assert await claim_all(repos) == []
    await drain(engine_db)
    async with engine_db.transaction() as repos:
        claimed = await claim_all(repos)
    for sub_id in dms[3:]:
        mine = [d for d in claimed if d.subscription_id == sub_id]
        assert [d.event_id for d in sorted(mine, key=lambda d: d.id)] == [first.id, second.id]


async def test_a_batch_that_fails_leaves_nothing_and_is_written_whole_later(
    engine_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await subscribe(engine_db, *(subscription(f"{n}") for n in range(5)))
    async with engine_db.transaction() as repos:
        event = await add_event(repos)
        await repos.outbox.fan_out(event)
    broken = True
    merge = type(engine_db.repos.outbox)._merge

    async def failing(self: object, *args: object) -> int:
        if broken:
            raise RuntimeError("the process died here")
        return await merge(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(type(engine_db.repos.outbox), "_merge", failing)
    with pytest.raises(RuntimeError):
        async with engine_db.transaction() as repos:
            await repos.outbox.fan_out_more()
    assert await engine_db.repos.outbox.count() == 0  # the batch's rows went with it
    assert await engine_db.repos.outbox.backlog() > 0
    broken = False
    assert sum(await drain(engine_db)) == 5
    assert await engine_db.repos.outbox.count() == 5


async def test_the_progress_message_waits_for_the_whole_count(engine_db: Database) -> None:
    await subscribe(
        engine_db,
        *(subscription(f"{n}") for n in range(5)),
        subscription("77", kind=TargetKind.CHANNEL, guild_id="9"),
    )
    async with engine_db.transaction() as repos:
        event = await add_event(repos)
        await repos.outbox.fan_out(event)
    since = T0 - timedelta(hours=1)
    assert await engine_db.repos.fan_outs.unwatched(since, 0) == []
    await drain(engine_db)
    assert await engine_db.repos.fan_outs.unwatched(since, 5) == [event.id]
