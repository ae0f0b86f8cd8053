"""Shared fixtures: settings pointing at a temporary SQLite file, and a fresh migrated database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.settings import DatabaseSettings, DeliverySettings, FeedSettings, Settings, WebSettings
from bot.store import Database, connect_database, open_database
from tests.pg import fresh_database, pg_url  # noqa: F401 (the fixture, for every test)

# PostgreSQL for the tests that need it: the `pg_url` fixture (tests/pg.py).


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """Settings for tests: a temporary database, no Discord, the web server on a free port."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        web=WebSettings(port=0),
        feeds=FeedSettings(sources=[]),  # tests never poll the real regulator
        # The emulator answers no 40003 unless asked: DM channels open as fast as Discord allows.
        delivery=DeliverySettings(dm_opens_per_minute=6000),
    )


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated and seeded database."""
    database = await open_database(db_path)
    await seed(database, shipped_reference())
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine_db(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated and seeded database on each engine: the contract both must keep."""
    async with contextlib.AsyncExitStack() as stack:
        database: Database
        if request.param == "sqlite":
            database = await open_database(db_path)
        else:
            url = await stack.enter_async_context(fresh_database())
            database = await connect_database(DatabaseSettings(url=url), identity="test")
        stack.push_async_callback(database.close)
        await seed(database, shipped_reference())
        yield database
