"""The audit chain on both engines: appended with each event and translation, checked by
recomputing it, a changed or deleted row found, and two replicas sharing one chain."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import timedelta

import pytest

from bot.domain import EventKind, Source
from bot.services.audit import AuditService
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database
from bot.store.audit import GENESIS
from tests.contract.support import T0, add_event
from tests.pg import fresh_database


async def test_each_event_and_translation_extends_the_chain(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        first = await add_event(repos, payload={"note": "点検", "n": 1})
        await repos.translations.record(
            "status_note", "BTC/deposit", "note_en", "", "Check",
            actor="tester", source=Source.CLI, at=T0,
        )  # fmt: skip
        await add_event(repos, EventKind.ORDER, at=T0 + timedelta(seconds=1))
    head = await engine_db.repos.audit.head()
    assert head.entries == 3 and head.hash != GENESIS
    # Anyone can recompute the first link from the rule alone: SHA-256(64 zeros || JSON).
    body = {
        "actor": "tester", "assets": ["BTC"], "created_at": "2024-03-01T03:30:15.123456Z",
        "entry": "event", "id": first.id, "kind": "status", "payload": {"n": 1, "note": "点検"},
        "seq": 1, "source": "cli",
    }  # fmt: skip
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256((GENESIS + text).encode()).hexdigest()
    entries = [e async for e in engine_db.repos.audit.entries()]
    assert [(e.seq, e.entry) for e in entries] == [(1, "event"), (2, "translation"), (3, "event")]
    assert entries[0].hash == expected
    verdict = await AuditService(engine_db).verify()
    assert verdict.intact and verdict.checked == 3 and verdict.head == head


async def test_a_failed_transaction_leaves_no_link(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await add_event(repos)
    try:
        async with engine_db.transaction() as repos:
            await add_event(repos)
            raise RuntimeError("abandoned")
    except RuntimeError:
        pass
    async with engine_db.transaction() as repos:
        await add_event(repos)
    assert (await engine_db.repos.audit.head()).entries == 2
    assert (await AuditService(engine_db).verify()).intact


async def test_two_replicas_writing_in_turn_keep_one_chain() -> None:
    async with fresh_database() as url:
        first = await connect_database(DatabaseSettings(url=url), identity="one")
        second = await connect_database(DatabaseSettings(url=url), identity="two")
        try:

            async def write(db: Database, n: int) -> None:
                for i in range(n):
                    async with db.transaction() as repos:
                        await add_event(repos, at=T0 + timedelta(seconds=i))

            # In turn, then at once: every writer takes the same lock, whichever process.
            for db in (first, second, first, second):
                await write(db, 3)
            await asyncio.gather(write(first, 20), write(second, 20))
            for db in (first, second):
                verdict = await AuditService(db).verify()
                assert verdict.intact, verdict.problem
                assert verdict.checked == 52
            seqs = [e.seq async for e in first.repos.audit.entries()]
            assert seqs == list(range(1, 53))
        finally:
            await first.close()
            await second.close()


async def test_an_integer_beyond_64_bits_is_refused_whole(engine_db: Database) -> None:
    with pytest.raises(ValueError, match="beyond 64 bits"):
        async with engine_db.transaction() as repos:
            await add_event(repos, payload={"n": 2**70})
    assert await engine_db.repos.events.count() == 0
    assert (await engine_db.repos.audit.head()).entries == 0
