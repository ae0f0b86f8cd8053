"""The SQLite connection: pragmas, the migration runner, transactions and online backup."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.clock import to_db, utcnow
from bot.paths import migrations_dir
from bot.store.repos import Repos

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """The database cannot be used; the text is one line fit for an operator."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path | None = None) -> list[Migration]:
    folder = folder or migrations_dir()
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise StoreError(f"migration file name not NNNN_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text("utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations must be numbered 1..N without gaps, found {versions}")
    return found


def _probe(path: Path) -> None:
    """Open the file and read its header, so that an unusable path fails here, plainly."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    finally:
        connection.close()


class Database:
    """One aiosqlite connection; writes go through `transaction()`, one at a time."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._write_lock = asyncio.Lock()
        self.repos = Repos(connection)

    @classmethod
    async def open(
        cls, path: Path, *, migrate: bool = True, migrations: list[Migration] | None = None
    ) -> Database:
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the database folder {path.parent}: {exc.strerror}"
            ) from None
        try:
            # Probe first: a failed aiosqlite connect leaves its worker thread racing loop close.
            await asyncio.to_thread(_probe, path)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        db = cls(connection, path)
        try:
            await db._configure()
            if migrate:
                await db.migrate(migrations if migrations is not None else load_migrations())
        except sqlite3.Error as exc:
            await connection.close()
            raise StoreError(f"cannot use the database {path}: {exc}") from None
        except BaseException:
            await connection.close()
            raise
        return db

    async def _configure(self) -> None:
        await self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await self._conn.execute("PRAGMA journal_mode = WAL")
        await self._conn.execute("PRAGMA synchronous = NORMAL")
        await self._conn.execute("PRAGMA foreign_keys = ON")

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ) as cursor:
            if await cursor.fetchone() is None:
                return 0
        async with self._conn.execute("SELECT MAX(version) FROM schema_migrations") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self, migrations: list[Migration]) -> list[int]:
        """Apply what is missing, each migration in its own transaction; return what was applied."""
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = await self.schema_version()
        known = migrations[-1].version if migrations else 0
        if current > known:
            raise StoreError(
                f"the database {self.path} is at schema version {current}, newer than this "
                f"code knows ({known}); upgrade the bot before using it"
            )
        applied = []
        for migration in migrations:
            if migration.version <= current:
                continue
            # executescript commits anything pending, so the transaction is part of the script.
            script = (
                "BEGIN IMMEDIATE;\n"
                f"{migration.sql}\n;\n"
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                f"({migration.version}, '{migration.name}', '{to_db(utcnow())}');\n"
                "COMMIT;"
            )
            async with self._write_lock:
                try:
                    await self._conn.executescript(script)
                except sqlite3.Error:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception: all of a change or none."""
        async with self._write_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.repos
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def backup(self, target: Path) -> None:
        """SQLite's online backup: a consistent copy while the service keeps writing."""
        target = Path(target).expanduser()
        if target.resolve() == self.path.resolve():
            raise StoreError("the backup cannot overwrite the database itself")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {target.parent}: {exc.strerror}") from None
        try:
            async with aiosqlite.connect(target) as destination:
                await self._conn.backup(destination)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the backup {target}: {exc}") from None

    async def ping(self) -> bool:
        async with self._conn.execute("SELECT 1") as cursor:
            row = await cursor.fetchone()
        return row is not None and row[0] == 1
