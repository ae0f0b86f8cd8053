"""Opening a database: the SQLite file, or PostgreSQL when a URL is set.

The engines import the base class from db.py; this module imports the engines, so that nothing
in the store imports in a circle.
"""

from __future__ import annotations

from pathlib import Path

from bot.settings import DatabaseSettings
from bot.store.db import Database, Migration
from bot.store.postgres import PostgresDatabase
from bot.store.sqlite import SqliteDatabase


async def open_database(
    path: Path, *, migrate: bool = True, migrations: list[Migration] | None = None
) -> SqliteDatabase:
    """The SQLite file at `path` (created and migrated as needed)."""
    return await SqliteDatabase.open(path, migrate=migrate, migrations=migrations)


async def connect_database(settings: DatabaseSettings, *, identity: str = "") -> Database:
    """The configured database: PostgreSQL at `url` when it is set, else the SQLite file.
    `identity` names this process's connections on the server (pg_stat_activity)."""
    if settings.url is None:
        return await open_database(settings.path)
    return await PostgresDatabase.open_url(settings.url, identity=identity)
