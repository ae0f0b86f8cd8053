"""The fan-outs the operators watch, on both engines: which events want a progress message,
one watcher per event, the counts by lane and state, and the queue per lane."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import EventKind, TargetKind
from bot.domain.lanes import Lane
from bot.store import Database
from tests.contract.support import T0, add_event, subscription
from tests.contract.test_outbox import LEASE, subscribe


async def test_a_large_fan_out_is_watched_once_and_counted(engine_db: Database) -> None:
    subs = await subscribe(
        engine_db,
        *(subscription(str(n)) for n in range(4)),
        subscription("9", kind=TargetKind.CHANNEL, guild_id="1"),
    )
    async with engine_db.transaction() as repos:
        small = await add_event(repos, at=T0 - timedelta(seconds=1))
        await repos.outbox.fan_out(small)
        big = await add_event(repos, assets=["MONA"])
        await repos.outbox.fan_out(big)
        old = await add_event(repos, at=T0 - timedelta(hours=2))
        await repos.outbox.fan_out(old)
        notice = await add_event(repos, EventKind.OPERATOR, assets=[])
        unwatched = await repos.fan_outs.unwatched(T0 - timedelta(minutes=10), 4)
        first = await repos.fan_outs.watch(big.id, notice.id, T0)
        again = await repos.fan_outs.watch(big.id, notice.id, T0)
        [claimed] = await repos.outbox.claim(T0, T0 + LEASE, 1, lanes=[Lane.CHANNELS])
        await repos.outbox.mark_sent_many([(claimed, "555", T0 + timedelta(seconds=3))])
        [dm] = await repos.outbox.claim(T0, T0 + LEASE, 1, lanes=[Lane.DMS])
        await repos.outbox.fail(dm, "403 50007: Cannot send messages to this user")
    assert unwatched == [small.id, big.id]  # five deliveries each; the old one is too old
    assert (first, again) == (True, False)
    repo = engine_db.repos.fan_outs
    assert await repo.unwatched(T0 - timedelta(minutes=10), 4) == [small.id]
    [watched] = await repo.watched()
    assert (watched.event_id, watched.notice_id, watched.edited_at) == (big.id, notice.id, None)
    # The oldest rows were claimed: the old event's.
    assert claimed.event_id == dm.event_id == old.id
    counts = await repo.counts(old.id)
    assert counts is not None and counts.started_at == old.created_at
    assert counts.states == {
        (int(Lane.CHANNELS), "sent"): 1,
        (int(Lane.DMS), "failed"): 1,
        (int(Lane.DMS), "pending"): 3,
    }
    assert counts.errors == {("403 50007: Cannot send messages to this user", "failed"): 1}
    assert counts.last_sent_at == T0 + timedelta(seconds=3)
    assert await repo.latest() == old.id
    assert await repo.counts(10_000) is None
    queue = await repo.lanes_now()
    assert {lane: now.queued for lane, now in queue.items()} == {Lane.DMS: 11, Lane.CHANNELS: 2}
    assert queue[Lane.DMS].oldest == old.created_at
    async with engine_db.transaction() as repos:
        await repos.fan_outs.edited(big.id, T0 + timedelta(seconds=5), finished=False)
        [going] = await repos.fan_outs.watched()
        await repos.fan_outs.edited(big.id, T0 + timedelta(seconds=10), finished=True)
        left = await repos.fan_outs.watched()
    assert going.edited_at == T0 + timedelta(seconds=5) and left == []
    assert len(subs) == 5


async def test_the_progress_message_is_found_where_it_was_sent(engine_db: Database) -> None:
    await subscribe(
        engine_db,
        subscription("77", kind=TargetKind.CHANNEL, guild_id="1"),
        subscription("5"),
    )
    async with engine_db.transaction() as repos:
        notice = await add_event(repos, EventKind.STATUS)
        await repos.outbox.fan_out(notice)
        before = await repos.fan_outs.messages(notice.id)
        claimed = await repos.outbox.claim(T0, T0 + LEASE, 5)
        await repos.outbox.mark_sent_many([(d, f"m{d.id}", T0) for d in claimed])
        after = await repos.fan_outs.messages(notice.id)
    assert before == []
    assert [(m.channel_id, m.locale) for m in after] == [("77", "ja")]  # not the DM
    assert after[0].message_id.startswith("m")
