"""The migration that starts the audit chain chains the rows written before it, on both engines,
in the order they were written, and the chain then carries on from them."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.clock import to_db
from bot.services.audit import AuditService
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database, open_database
from bot.store.db import Migration, load_migrations
from bot.store.postgres import PostgresDatabase
from tests.contract.support import T0, add_event
from tests.pg import fresh_database

EVENT = (
    "INSERT INTO events (kind, actor, source, assets, payload, created_at)"
    " VALUES ('status', 'old', 'cli', '[\"BTC\"]', '{{\"n\": {n}}}', '{at}')"
)
TRANSLATION = (
    "INSERT INTO translations (subject, subject_key, field, old_text, new_text, actor, source,"
    " translated_at) VALUES ('order', '1', 'summary_en', '', 'Text {n}', 'old', 'cli', '{at}')"
)


def _before(engine: str) -> list[Migration]:
    """The migrations before the chain's (found by name: the numbers change)."""
    shipped = load_migrations(engine=engine)
    return shipped[: next(i for i, m in enumerate(shipped) if m.name.endswith("_accountability"))]


@asynccontextmanager
async def _where(engine: str, db_path: Path) -> AsyncIterator[str]:
    if engine == "sqlite":
        await (await open_database(db_path, migrations=_before(engine))).close()
        yield str(db_path)
        return
    async with fresh_database() as url:
        await (await PostgresDatabase.open_url(url, migrations=_before(engine))).close()
        yield url


def _write(engine: str, where: str, statements: list[str]) -> None:
    if engine == "sqlite":
        with sqlite3.connect(where) as conn:
            for statement in statements:
                conn.execute(statement)
        return
    with psycopg.connect(where) as pg:
        for statement in statements:
            pg.execute(statement)


async def _open(engine: str, where: str) -> Database:
    if engine == "sqlite":
        return await open_database(Path(where))
    return await connect_database(DatabaseSettings(url=where), identity="test")


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_rows_written_before_the_chain_are_chained_in_time_order(
    engine: str, db_path: Path
) -> None:
    async with _where(engine, db_path) as where:
        moments = [to_db(T0 + timedelta(minutes=m)) for m in range(6)]
        _write(
            engine,
            where,
            [EVENT.format(n=0, at=moments[0]), EVENT.format(n=1, at=moments[2]),
             EVENT.format(n=2, at=moments[4]), TRANSLATION.format(n=0, at=moments[1]),
             TRANSLATION.format(n=1, at=moments[5])],
        )  # fmt: skip
        db = await _open(engine, where)
        try:
            entries = [(e.entry, e.id) async for e in db.repos.audit.entries()]
            assert entries == [("event", 1), ("translation", 1), ("event", 2), ("event", 3),
                               ("translation", 2)]  # fmt: skip
            verdict = await AuditService(db).verify()
            assert verdict.intact and verdict.checked == 5, verdict.problem
            async with db.transaction() as repos:
                await add_event(repos)
            verdict = await AuditService(db).verify()
            assert verdict.intact and verdict.checked == 6, verdict.problem
        finally:
            await db.close()


async def test_an_empty_database_starts_an_empty_chain(db_path: Path) -> None:
    db = await open_database(db_path)
    try:
        verdict = await AuditService(db).verify()
        assert (verdict.intact, verdict.checked, verdict.head.entries) == (True, 0, 0)
        assert verdict.text() == f"0 events, chain intact, head {'0' * 64}"
    finally:
        await db.close()
