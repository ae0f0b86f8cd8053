"""SQLite, the embedded engine: pragmas, the migration runner, transactions, online backup."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.clock import to_db, utcnow
from bot.store.db import MIGRATIONS_TABLE, Database, Migration, StoreError, load_migrations
from bot.store.repos import Repos
from bot.store.sql import SQLITE, SqliteSql

BUSY_TIMEOUT_MS = 10_000


def _probe(path: Path) -> None:
    """Open the file and read its header, so that an unusable path fails here, plainly."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    finally:
        connection.close()


async def _configure(connection: aiosqlite.Connection) -> None:
    await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("PRAGMA synchronous = NORMAL")
    await connection.execute("PRAGMA foreign_keys = ON")


class SqliteDatabase(Database):
    """Three aiosqlite connections to one file: writes go through `transaction()`, one at a
    time, on the writer; plain reads (`repos`) use a query-only reader, so that they see
    committed data only, never the middle of a change that another task is writing; `read()`
    holds one read transaction on a third query-only connection, for a consistent set of reads.
    """

    def __init__(
        self,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        path: Path,
        snapshots: aiosqlite.Connection | None = None,
    ):
        self._conn = writer
        self._reader = reader
        self._snapshots = snapshots or reader
        self.path = path
        self.location = str(path)
        self.dialect = SQLITE
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._writing = Repos(SqliteSql(writer))
        self.repos = Repos(SqliteSql(reader))
        self._reading = Repos(SqliteSql(self._snapshots))

    @classmethod
    async def open(
        cls, path: Path, *, migrate: bool = True, migrations: list[Migration] | None = None
    ) -> SqliteDatabase:
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
            writer = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        readers: list[aiosqlite.Connection] = []
        try:
            await _configure(writer)
            if migrate:
                db = cls(writer, writer, path)
                await db.migrate(migrations if migrations is not None else load_migrations())
            for _ in range(2):
                reader = await aiosqlite.connect(path, isolation_level=None)
                readers.append(reader)
                await _configure(reader)
                await reader.execute("PRAGMA query_only = ON")
        except BaseException as exc:
            for connection in (writer, *readers):
                await connection.close()
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot use the database {path}: {exc}") from None
            raise
        return cls(writer, readers[0], path, snapshots=readers[1])

    async def close(self) -> None:
        if self._snapshots is not self._reader:
            await self._snapshots.close()
        await self._reader.close()
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

    async def _create_migrations_table(self) -> None:
        await self._conn.execute(MIGRATIONS_TABLE)

    async def _apply(self, migration: Migration) -> None:
        async with self._write_lock:
            await self._rebuilding(migration)

    async def _rebuilding(self, migration: Migration) -> None:
        """SQLite's way to change a table's constraints: foreign keys off while the migration
        rebuilds tables (a DROP would otherwise cascade into the rows that refer to them), then
        checked as a whole before the commit."""
        await self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            # executescript commits anything pending first; the script leaves its transaction
            # open so that the foreign keys can be checked before COMMIT.
            await self._conn.executescript(
                "BEGIN IMMEDIATE;\n"
                f"{migration.sql}\n;\n"
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                f"({migration.version}, '{migration.name}', '{to_db(utcnow())}');\n"
            )
            if migration.step is not None:
                await migration.step(SqliteSql(self._conn))
            async with self._conn.execute("PRAGMA foreign_key_check") as cursor:
                broken = list(await cursor.fetchall())
            if broken:
                raise StoreError(
                    f"migration {migration.name} leaves {len(broken)} broken reference(s),"
                    f" first in table {broken[0][0]}"
                )
            await self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")
            raise
        finally:
            await self._conn.execute("PRAGMA foreign_keys = ON")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception: all of a change or none."""
        async with self._write_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._writing
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repos]:
        """Reads inside one transaction: in WAL mode they all see the database as it was at the
        first of them, so a change committed meanwhile is seen whole or not at all.

        The connection serves only these reads, one `read()` at a time (a lock), so that no other
        query can slip into the transaction or end it early.
        """
        async with self._read_lock:
            await self._snapshots.execute("BEGIN")
            try:
                yield self._reading
            finally:
                await self._snapshots.execute("COMMIT")

    async def content_version(self) -> int:
        async with (
            self._read_lock,
            self._snapshots.execute("SELECT n FROM content_version WHERE id = 1") as cursor,
        ):
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

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
        async with self._reader.execute("SELECT 1") as cursor:
            row = await cursor.fetchone()
        return row is not None and row[0] == 1
