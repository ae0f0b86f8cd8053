"""Tokens and idempotency keys on both engines: found by hash only while live, names never reused,
the bucket read with the database's time, keys claimed once and forgotten after their day."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Database
from tests.contract.support import T0

SCOPES = frozenset({"status", "heartbeats"})


async def test_a_token_is_found_by_its_hash_while_live(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        added = await repos.tokens.add("monitor", "ab" * 32, SCOPES, T0)
        assert await repos.tokens.add("monitor", "cd" * 32, SCOPES, T0) is None  # name taken
    assert added is not None and added.scopes == SCOPES and added.created_at == T0
    assert type(added.id) is int and added.last_used_at is None and added.revoked_at is None
    used_at = T0 + timedelta(minutes=1)
    async with engine_db.transaction() as repos:
        found = await repos.tokens.use("ab" * 32, used_at)
        assert await repos.tokens.use("ef" * 32, used_at) is None
    assert found is not None
    token, bucket = found
    assert (token.name, token.last_used_at) == ("monitor", used_at)
    assert (bucket.level, bucket.at) == (0.0, 0.0) and type(bucket.now) is float
    assert bucket.now > 1.7e9  # seconds since the epoch, on the database's clock
    async with engine_db.transaction() as repos:
        await repos.tokens.set_bucket(token.id, 3.5, bucket.now)
        again = await repos.tokens.use("ab" * 32, used_at)
    assert again is not None and again[1].level == 3.5 and again[1].at == bucket.now
    async with engine_db.transaction() as repos:
        revoked = await repos.tokens.revoke("monitor", used_at)
        assert await repos.tokens.revoke("monitor", used_at) is None  # once
        assert await repos.tokens.use("ab" * 32, used_at) is None
        assert await repos.tokens.add("monitor", "cd" * 32, SCOPES, T0) is None  # still taken
    assert revoked is not None and revoked.revoked_at == used_at
    [listed] = await engine_db.repos.tokens.all()
    assert listed.revoked_at == used_at


async def test_a_key_is_claimed_once_answered_and_forgotten_after_its_day(
    engine_db: Database,
) -> None:
    async with engine_db.transaction() as repos:
        token = await repos.tokens.add("script", "01" * 32, SCOPES, T0)
        assert token is not None
        day_ago = T0 - timedelta(hours=24)
        assert await repos.idempotency.claim(token.id, "k", "print-1", T0, day_ago) is None
        held = await repos.idempotency.claim(token.id, "k", "print-2", T0, day_ago)
    assert held is not None and (held.fingerprint, held.status, held.body) == (
        "print-1",
        None,
        None,
    )
    async with engine_db.transaction() as repos:
        await repos.idempotency.answer(token.id, "k", 201, '{"event_id": 7}')
        held = await repos.idempotency.claim(token.id, "k", "print-1", T0, day_ago)
    assert held is not None and (held.status, held.body) == (201, '{"event_id": 7}')
    assert type(held.status) is int and held.created_at == T0
    later = T0 + timedelta(hours=25)
    async with engine_db.transaction() as repos:
        # Past its day the key is free again, for any request.
        fresh = await repos.idempotency.claim(
            token.id, "k", "print-2", later, T0 + timedelta(hours=1)
        )
        assert fresh is None
        await repos.idempotency.claim(token.id, "old", "p", T0, day_ago)
        assert await repos.idempotency.forget_before(T0 + timedelta(hours=1)) == 1


async def test_a_touch_transaction_writes_or_rolls_back_like_any_other(
    engine_db: Database,
) -> None:
    async with engine_db.transaction() as repos:
        await repos.tokens.add("toucher", "02" * 32, SCOPES, T0)
    async with engine_db.touch_transaction() as repos:
        found = await repos.tokens.use("02" * 32, T0 + timedelta(seconds=5))
        assert found is not None
    try:
        async with engine_db.touch_transaction() as repos:
            await repos.tokens.set_bucket(found[0].id, 9.0, 1.0)
            raise RuntimeError("cut short")
    except RuntimeError:
        pass
    async with engine_db.touch_transaction() as repos:
        again = await repos.tokens.use("02" * 32, T0 + timedelta(seconds=6))
    assert again is not None and again[1].level == 0.0  # the cut-short write never landed
    assert again[0].last_used_at == T0 + timedelta(seconds=6)


async def test_a_token_is_found_without_a_write_and_its_uses_written_in_a_batch(
    engine_db: Database,
) -> None:
    async with engine_db.transaction() as repos:
        first = await repos.tokens.add("node", "03" * 32, SCOPES, T0)
        second = await repos.tokens.add("other", "04" * 32, SCOPES, T0)
    assert first is not None and second is not None
    found = await engine_db.repos.tokens.find("03" * 32)
    assert found == first and await engine_db.repos.tokens.find("05" * 32) is None
    async with engine_db.touch_transaction() as repos:
        await repos.tokens.mark_used({})
        await repos.tokens.mark_used(
            {first.id: T0 + timedelta(seconds=1), second.id: T0 + timedelta(seconds=2)}
        )
    used = {t.name: t.last_used_at for t in await engine_db.repos.tokens.all()}
    assert used == {"node": T0 + timedelta(seconds=1), "other": T0 + timedelta(seconds=2)}
    async with engine_db.transaction() as repos:
        await repos.tokens.revoke("node", T0)
    assert await engine_db.repos.tokens.find("03" * 32) is None  # revoked: as if never issued
