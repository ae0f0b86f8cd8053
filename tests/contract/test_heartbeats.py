"""Heartbeats on both engines: a beat is one cheap row update that moves no content version, the
times are the database's, a tripped heartbeat counts beats in a row, and its held pairs come back
as they went in."""

from __future__ import annotations

import asyncio

from bot.domain import Direction, Reason, State
from bot.store import Database
from bot.store.heartbeats import Heartbeat, HeldPair
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
        assert await repos.heartbeats.beat("btc-node")
        assert not await repos.heartbeats.beat("eth-node")
    assert await engine_db.content_version() == version  # no read-model rebuild for a beat
    [beat], now = await engine_db.repos.heartbeats.all()
    assert beat.last_beat_at >= added.last_beat_at and now >= beat.last_beat_at
    assert beat.streak == 0 and beat.tripped_at is None

    held = [HeldPair("BTC", Direction.DEPOSIT, State.OPERATIONAL, Reason.OTHER, "稼働", "Up", 7)]
    async with engine_db.transaction() as repos:
        await repos.heartbeats.trip("btc-node", now, held)
    await asyncio.sleep(0.4)  # past the grace: the first beat after it starts a new run
    async with engine_db.transaction() as repos:
        await repos.heartbeats.beat("btc-node")
        await repos.heartbeats.beat("btc-node")
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
