"""The beat buffer on both engines: many beats between batches are one write, a stop writes what
is left, an unknown name is refused at once and a new one accepted at once, a failed batch is
kept; a beat's token is cached for at most a second, and its uses written with the beats."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

import pytest

from bot.domain import NotFound, Reason
from bot.services.beats import BeatBuffer
from bot.services.heartbeats import HeartbeatService
from bot.services.rate_limit import TokenBucket
from bot.services.status import StatusService
from bot.services.tokens import CACHE_SECONDS, TokenService
from bot.store import Database, StoreError
from bot.store.repos import Repos
from tests.contract.support import T0

NEVER = 3600.0  # a batch interval no test waits for: only flush() and stop() write


class Touches:
    """Counts the database's touch transactions (the batches); can make the next one fail."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self.fail_next = False
        self._real: Callable[..., AbstractAsyncContextManager[Repos]] = db.touch_transaction
        db.touch_transaction = self._touch  # type: ignore[method-assign]

    @contextlib.asynccontextmanager
    async def _touch(self) -> AsyncIterator[Repos]:
        self.count += 1
        if self.fail_next:
            self.fail_next = False
            raise StoreError("the database went away")
        async with self._real() as repos:
            yield repos


async def add(db: Database, name: str = "btc-node", grace: float = 60.0) -> None:
    await HeartbeatService(db, StatusService(db)).add(
        name, "btc", "deposit", grace, Reason.SERVER_FAILURE
    )


async def trip(db: Database, name: str = "btc-node") -> None:
    """Tripped, so that the row counts beats in a row."""
    now = await db.repos.heartbeats.now()
    async with db.transaction() as repos:
        await repos.heartbeats.trip(name, now, [])


async def row(db: Database, name: str = "btc-node") -> tuple[int, float, float]:
    """The heartbeat's streak, its last beat, and the database's now."""
    beats, now = await db.repos.heartbeats.all()
    [beat] = [b for b in beats if b.name == name]
    return beat.streak, beat.last_beat_at, now


@contextlib.asynccontextmanager
async def running(buffer: BeatBuffer) -> AsyncIterator[BeatBuffer]:
    await buffer.start()
    try:
        yield buffer
    finally:
        await buffer.stop()


async def test_many_beats_between_batches_are_one_write(engine_db: Database) -> None:
    await add(engine_db)
    await trip(engine_db)
    touches = Touches(engine_db)
    buffer = BeatBuffer(engine_db, TokenService(engine_db), flush_seconds=NEVER)
    async with running(buffer):
        for _ in range(50):
            await buffer.beat("btc-node")
        assert touches.count == 0 and (await row(engine_db))[0] == 0  # nothing written yet
        await buffer.flush()
        assert touches.count == 1
        streak, last, now = await row(engine_db)
        assert streak == 50 and now - 1.0 < last <= now
        await buffer.flush()
        assert touches.count == 1  # nothing pending: no transaction at all


async def test_the_loop_writes_by_itself_and_a_stop_writes_what_is_left(
    engine_db: Database,
) -> None:
    await add(engine_db)
    await trip(engine_db)
    buffer = BeatBuffer(engine_db, TokenService(engine_db), flush_seconds=0.05)
    async with running(buffer):
        for _ in range(3):
            await buffer.beat("btc-node")
        for _ in range(40):
            if (await row(engine_db))[0] == 3:
                break
            await asyncio.sleep(0.05)
        assert (await row(engine_db))[0] == 3
    assert not buffer.health()["ok"]

    buffer = BeatBuffer(engine_db, TokenService(engine_db), flush_seconds=NEVER)
    await buffer.start()
    assert buffer.health() == {"ok": True, "state": "running", "pending": 0}
    for _ in range(4):
        await buffer.beat("btc-node")
    await buffer.stop()
    assert (await row(engine_db))[0] == 7  # none lost on a clean stop


async def test_an_unknown_name_is_refused_at_once_and_a_new_one_accepted_at_once(
    engine_db: Database,
) -> None:
    buffer = BeatBuffer(
        engine_db, TokenService(engine_db), flush_seconds=NEVER, refresh_seconds=NEVER
    )
    async with running(buffer):
        started = time.monotonic()
        with pytest.raises(NotFound) as refused:
            await buffer.beat("eth-node")
        assert refused.value.code == "heartbeat_not_found"
        assert time.monotonic() - started < 0.5  # a lookup, not a wait for a batch
        await add(engine_db, "eth-node")  # as the CLI would, after the buffer read the names
        await trip(engine_db, "eth-node")
        await buffer.beat("eth-node")
        await buffer.beat("eth-node")
        await buffer.flush()
        assert (await row(engine_db, "eth-node"))[0] == 2


async def test_a_removed_heartbeat_is_refused_after_the_next_refresh(engine_db: Database) -> None:
    await add(engine_db)
    buffer = BeatBuffer(engine_db, TokenService(engine_db), flush_seconds=0.05, refresh_seconds=0.1)
    async with running(buffer):
        await buffer.beat("btc-node")
        await HeartbeatService(engine_db, StatusService(engine_db)).remove("btc-node")
        for _ in range(40):
            try:
                await buffer.beat("btc-node")  # accepted until the names are read again
            except NotFound:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("a removed heartbeat was still accepted after 2 s")
        assert buffer.health()["ok"]  # its last beats updated no row, and harmed nothing


async def test_a_batch_that_fails_is_kept_for_the_next(engine_db: Database) -> None:
    await add(engine_db)
    await trip(engine_db)
    touches = Touches(engine_db)
    buffer = BeatBuffer(engine_db, TokenService(engine_db), flush_seconds=NEVER)
    async with running(buffer):
        await buffer.beat("btc-node")
        await buffer.beat("btc-node")
        touches.fail_next = True
        with pytest.raises(StoreError):
            await buffer.flush()
        await buffer.beat("btc-node")
        await buffer.flush()
        assert (await row(engine_db))[0] == 3 and touches.count == 2


async def test_a_gap_inside_a_late_batch_starts_a_new_run(engine_db: Database) -> None:
    await add(engine_db, grace=1.0)
    await trip(engine_db)
    now = [100.0]
    buffer = BeatBuffer(
        engine_db, TokenService(engine_db), flush_seconds=NEVER, clock=lambda: now[0]
    )
    async with running(buffer):
        for at in (100.0, 100.5, 103.0, 103.5):  # 2.5 s of silence between, in one batch
            now[0] = at
            await buffer.beat("btc-node")
        await buffer.flush()
    assert (await row(engine_db))[0] == 2  # the two after the gap, not four in a row


async def test_a_beats_token_is_cached_for_a_second_and_its_use_written_with_the_beats(
    engine_db: Database,
) -> None:
    await add(engine_db)
    clock = [1000.0]
    tokens = TokenService(
        engine_db, clock=lambda: T0 + timedelta(seconds=clock[0]), monotonic=lambda: clock[0]
    )
    token, secret = await tokens.create("node", "heartbeats")
    elsewhere = TokenService(engine_db)  # another replica, or the CLI
    first = await tokens.quick_access(secret)
    assert first is not None and first.token.id == token.id and first.allowed
    assert await tokens.quick_access("esb_" + "x" * 43) is None
    assert await tokens.quick_access("not-a-token") is None

    buffer = BeatBuffer(engine_db, tokens, flush_seconds=NEVER)
    async with running(buffer):
        await buffer.beat("btc-node")
        await buffer.flush()
    [listed] = await tokens.list()
    assert listed.last_used_at == T0 + timedelta(seconds=1000)

    await elsewhere.revoke("node")
    clock[0] += CACHE_SECONDS / 2
    assert await tokens.quick_access(secret) is not None  # cached: no read per beat
    clock[0] += CACHE_SECONDS / 2
    assert await tokens.quick_access(secret) is None  # revoked within a second
    assert await tokens.access(secret) is None


async def test_a_revocation_in_the_process_holds_at_once(engine_db: Database) -> None:
    tokens = TokenService(engine_db)
    _, secret = await tokens.create("node", "heartbeats")
    assert await tokens.quick_access(secret) is not None
    await tokens.revoke("node")
    assert await tokens.quick_access(secret) is None


async def test_beats_are_rate_limited_in_the_process_without_a_write(engine_db: Database) -> None:
    clock = [0.0]
    tokens = TokenService(engine_db, TokenBucket(rate=1, burst=3), monotonic=lambda: clock[0])
    _, secret = await tokens.create("node", "heartbeats")
    touches = Touches(engine_db)
    verdicts = [await tokens.quick_access(secret) for _ in range(4)]
    assert [v is not None and v.allowed for v in verdicts] == [True, True, True, False]
    refused = verdicts[3]
    assert refused is not None and refused.retry_after == pytest.approx(1.0)
    clock[0] += 1.0
    again = await tokens.quick_access(secret)
    assert again is not None and again.allowed
    assert touches.count == 0
    # The writes' bucket, in the database, is another: beats took nothing from it.
    access = await tokens.access(secret)
    assert access is not None and access.allowed


async def test_beats_that_find_the_cache_run_out_together_read_the_token_once(
    engine_db: Database,
) -> None:
    tokens = TokenService(engine_db)
    _, secret = await tokens.create("node", "heartbeats")
    repo = engine_db.repos.tokens
    real, reads = repo.find, []

    async def find(token_hash: str) -> object:
        reads.append(token_hash)
        return await real(token_hash)

    repo.find = find  # type: ignore[method-assign,assignment]
    answers = await asyncio.gather(*(tokens.quick_access(secret) for _ in range(50)))
    assert all(a is not None for a in answers) and len(reads) == 1
