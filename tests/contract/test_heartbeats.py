"""Heartbeats on both engines: beats are written in batches of cheap row updates that move no
content version, the times are the database's less how long ago each beat came, a tripped
heartbeat counts beats in a row, and its held pairs come back as they went in."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.domain import Direction, Reason, State
from bot.store import Database
from bot.store.heartbeats import Beats, Heartbeat, HeldPair
from tests.contract.support import T0

NODE = Heartbeat(
    name="btc-node",
    assets=("BTC", "MONA"),
    direction="both",
    grace_seconds=0.3,
    reason=Reason.SERVER_FAILURE,
    note="",
    note_en="",
    created_at=T0,
    last_beat_at=0.0,
    streak=0,
    tripped_at=None,
)


async def test_beats_move_no_content_version_and_count_in_a_row_once_tripped(
    engine_db: Database,
) -> None:
    async with engine_db.transaction() as repos:
        added = await repos.heartbeats.add(NODE)
        assert await repos.heartbeats.add(NODE) is None
    assert added is not None and added.assets == ("BTC", "MONA") and added.created_at == T0
    assert added.last_beat_at > 1.7e9 and type(added.grace_seconds) is float
    version = await engine_db.content_version()
    async with engine_db.transaction() as repos:
        await repos.heartbeats.beat_many(
            [Beats("btc-node", 1, 0.0, 0.0), Beats("eth-node", 1, 0.0, 0.0)]
        )
    assert await engine_db.content_version() == version  # no read-model rebuild for a beat
    [beat], now = await engine_db.repos.heartbeats.all()
    assert beat.last_beat_at >= added.last_beat_at and now >= beat.last_beat_at
    assert beat.streak == 0 and beat.tripped_at is None

    held = [HeldPair("BTC", Direction.DEPOSIT, State.OPERATIONAL, Reason.OTHER, "稼働", "Up", 7)]
    async with engine_db.transaction() as repos:
        await repos.heartbeats.trip("btc-node", now, held)
    await asyncio.sleep(0.4)  # past the grace: the first beat after it starts a new run
    async with engine_db.transaction() as repos:
        await repos.heartbeats.beat_many([Beats("btc-node", 2, 0.0, 0.0)])
    [beat], _ = await engine_db.repos.heartbeats.all()
    assert (beat.streak, beat.tripped_at) == (2, now)
    assert await engine_db.repos.heartbeats.held("btc-node") == held
    async with engine_db.transaction() as repos:
        await repos.heartbeats.clear("btc-node")
    [beat], _ = await engine_db.repos.heartbeats.all()
    assert (beat.streak, beat.tripped_at) == (0, None)
    assert await engine_db.repos.heartbeats.held("btc-node") == []
    async with engine_db.transaction() as repos:
        await repos.heartbeats.trip("btc-node", now, held)
        assert await repos.heartbeats.remove("btc-node")
        assert not await repos.heartbeats.remove("btc-node")
    remaining, _ = await engine_db.repos.heartbeats.all()
    assert remaining == [] and await engine_db.repos.heartbeats.held("btc-node") == []


async def streak_and_last(db: Database, name: str) -> tuple[int, float]:
    beats, _ = await db.repos.heartbeats.all()
    [beat] = [b for b in beats if b.name == name]
    return beat.streak, beat.last_beat_at


async def test_a_batch_counts_its_beats_and_dates_the_last_by_its_age(engine_db: Database) -> None:
    grace = 0.5
    async with engine_db.transaction() as repos:
        await repos.heartbeats.add(replace(NODE, grace_seconds=grace))
    assert await engine_db.repos.heartbeats.graces() == {"btc-node": grace}
    assert await engine_db.repos.heartbeats.grace("btc-node") == grace
    assert await engine_db.repos.heartbeats.grace("eth-node") is None

    await asyncio.sleep(0.3)  # the beats below came after the row was added
    before = await engine_db.repos.heartbeats.now()
    async with engine_db.touch_transaction() as repos:
        await repos.heartbeats.beat_many([Beats("btc-node", 5, 0.2, 0.1)])
    after = await engine_db.repos.heartbeats.now()
    streak, last = await streak_and_last(engine_db, "btc-node")
    assert streak == 0  # not tripped: beats are not counted
    assert before - 0.1 - 1e-6 <= last <= after - 0.1 + 1e-6  # the database's now less its age

    async with engine_db.transaction() as repos:
        await repos.heartbeats.trip("btc-node", after, [])
        await repos.heartbeats.beat_many([Beats("btc-node", 3, 0.05, 0.0)])
        await repos.heartbeats.beat_many([Beats("btc-node", 2, 0.0, 0.0)])
    streak, last = await streak_and_last(engine_db, "btc-node")
    assert streak == 5  # each batch's first within the grace of the beat before: 3 + 2

    await asyncio.sleep(grace + 0.1)
    now = await engine_db.repos.heartbeats.now()
    async with engine_db.transaction() as repos:
        # Written late, but its first beat came 0.2 s after the last recorded: still in a row.
        await repos.heartbeats.beat_many([Beats("btc-node", 2, now - last - 0.2, 0.0)])
    assert (await streak_and_last(engine_db, "btc-node"))[0] == 7

    async with engine_db.transaction() as repos:
        # A gap inside the batch: a new run, whatever the row says.
        await repos.heartbeats.beat_many([Beats("btc-node", 2, 0.0, 0.0, after_gap=True)])
    streak, last = await streak_and_last(engine_db, "btc-node")
    assert streak == 2

    await asyncio.sleep(grace + 0.1)
    async with engine_db.transaction() as repos:
        await repos.heartbeats.beat_many([Beats("btc-node", 3, 0.0, 0.0)])  # past the grace
    streak, last_after_gap = await streak_and_last(engine_db, "btc-node")
    assert streak == 3 and last_after_gap > last + grace

    async with engine_db.transaction() as repos:
        # Another replica's batch of older beats, written after: counted, never dated back.
        await repos.heartbeats.beat_many([Beats("btc-node", 1, 30.0, 30.0)])
    assert await streak_and_last(engine_db, "btc-node") == (4, last_after_gap)
