"""PostgreSQL, the engine for several processes on one database.

psycopg 3 with client-side parameter binding: the repositories' SQL passes values whose types
SQLite never asked for (`? IS NULL`, `SELECT ?` into a column), and literals let the server infer
them. Each process holds a few connections, each opened again when it breaks: writes, plain
reads, snapshots, the leader's lease, and one that listens for other processes' news.

Writes take one transaction-scoped advisory lock, so that they run one at a time across every
process, as on SQLite's single writer: the services' read-then-write steps were written for that.
The lease has its own connection outside that lock: a long write elsewhere never delays a renewal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import AsyncClientCursor, AsyncConnection

from bot.clock import to_db, utcnow
from bot.store.db import (
    MIGRATIONS_TABLE,
    ConnectionLost,
    Database,
    Migration,
    StoreError,
    load_migrations,
)
from bot.store.pg_text import redact, translate, values
from bot.store.repos import Repos
from bot.store.sql import POSTGRESQL, Params

log = logging.getLogger(__name__)

# Advisory lock keys (any two constants no other program on the database uses).
WRITE_LOCK = 7_426_001
MIGRATION_LOCK = 7_426_002
# What the triggers announce (see the migrations): new deliveries, and a change customers see.
CHANNELS = ("bot_outbox", "bot_content")
CONNECT_TIMEOUT_SECONDS = 5
# A process frozen inside a transaction (a stopped VM) must not hold every writer up for long.
IDLE_IN_TRANSACTION_MS = 15_000


@contextlib.contextmanager
def _lost(link: _Link) -> Iterator[None]:
    """A broken connection raises ConnectionLost (the next use reconnects); others pass as is."""
    try:
        yield
    except psycopg.OperationalError as exc:
        if link.broken:
            raise ConnectionLost(f"lost the connection to {link.location}: {exc}") from exc
        raise


class _Link:
    """One connection to the server, opened again on the first use after it broke."""

    SETTINGS = ""  # more of the session's settings, as libpq options

    def __init__(self, url: str, application_name: str, *, timeout_in_transaction: bool) -> None:
        self._url = url
        self._name = application_name
        self._timeout = timeout_in_transaction
        self._conn: AsyncConnection[Any] | None = None
        self.location = redact(url)
        # Concurrent users of a broken link open one new connection between them, not one each.
        self._opening = asyncio.Lock()
        self._closed = False  # by close(): no more reconnecting, as a closed file stays closed

    @property
    def broken(self) -> bool:
        return self._conn is None or self._conn.closed or self._conn.broken

    async def get(self) -> AsyncConnection[Any]:
        if self._conn is not None and not (self._conn.closed or self._conn.broken):
            return self._conn
        if self._closed:
            raise StoreError(f"the database {self.location} is closed")
        async with self._opening:
            if self._conn is not None and not (self._conn.closed or self._conn.broken):
                return self._conn
            return await self._open()

    async def _open(self) -> AsyncConnection[Any]:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
        options = f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        try:
            self._conn = await AsyncConnection.connect(
                self._url,
                autocommit=True,
                cursor_factory=AsyncClientCursor,
                application_name=self._name[:63],
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                options=(options if self._timeout else "") + self.SETTINGS,
            )
        except psycopg.Error as exc:
            raise ConnectionLost(f"cannot connect to {self.location}: {exc}") from exc
        return self._conn

    async def close(self) -> None:
        self._closed = True
        if self._conn is not None:
            await self._conn.close()
            self._conn = None


class _Cursor:
    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        self._rows = []


class _Execution:
    """Runs the statement once, whether awaited or entered."""

    def __init__(self, sql: PgSql, statement: str, parameters: Params) -> None:
        self._sql = sql
        self._statement = statement
        self._parameters = parameters

    def __await__(self) -> Generator[Any, None, _Cursor]:
        return self._sql.run(self._statement, self._parameters).__await__()

    async def __aenter__(self) -> _Cursor:
        return await self._sql.run(self._statement, self._parameters)

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgSql:
    """The repositories' view of one PostgreSQL connection."""

    dialect = POSTGRESQL

    def __init__(self, link: _Link) -> None:
        self._link = link

    @property
    def broken(self) -> bool:
        return self._link.broken

    async def close(self) -> None:
        await self._link.close()

    def execute(self, sql: str, parameters: Params = ()) -> _Execution:
        return _Execution(self, sql, parameters)

    async def run(self, sql: str, parameters: Params) -> _Cursor:
        conn = await self._link.get()
        with _lost(self._link):
            async with conn.cursor() as cursor:
                if parameters:
                    await cursor.execute(translate(sql), values(parameters))
                else:
                    await cursor.execute(sql)
                rows = await cursor.fetchall() if cursor.description is not None else []
                return _Cursor(list(rows), cursor.rowcount)

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> None:
        rows = [values(p) for p in parameters]
        if not rows:
            return
        conn = await self._link.get()
        with _lost(self._link):
            async with conn.cursor() as cursor:
                await cursor.executemany(translate(sql), rows)

    async def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[Params]) -> None:
        conn = await self._link.get()
        with _lost(self._link):
            async with conn.cursor() as cursor:
                statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                async with cursor.copy(statement) as copy:
                    for row in rows:
                        await copy.write_row(values(row))

    async def insert(self, sql: str, parameters: Params = ()) -> int:
        cursor = await self.run(f"{sql} RETURNING id", parameters)
        row = await cursor.fetchone()
        if row is None:
            raise StoreError("the insert added no row")
        return int(row[0])

    async def statement(self, sql: str) -> None:
        """A statement with no parameters (BEGIN, COMMIT, a lock): `%` left alone."""
        conn = await self._link.get()
        with _lost(self._link):
            await conn.execute(sql)


class PostgresDatabase(Database):
    def __init__(self, url: str, identity: str) -> None:
        name = f"exchange-status-bot {identity}".strip()

        def link(role: str, *, timeout: bool = False) -> _Link:
            return _Link(url, f"{name} {role}", timeout_in_transaction=timeout)

        self._url = url
        self._name = name
        self.location = redact(url)
        self.dialect = POSTGRESQL
        self._writer = PgSql(link("writer", timeout=True))
        self._reader = PgSql(link("reader"))
        self._snapshots = PgSql(link("snapshots", timeout=True))
        self._leases = PgSql(link("lease", timeout=True))
        touch = _Link(url, f"{name} touch", timeout_in_transaction=True)
        touch.SETTINGS = " -c synchronous_commit=off"  # touches: clear of the writers' lock too
        self._touches = PgSql(touch)
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._lease_lock = asyncio.Lock()
        self._touch_lock = asyncio.Lock()
        self._writing = Repos(self._writer)
        self.repos = Repos(self._reader)
        self._reading = Repos(self._snapshots)
        self._lease_repos = Repos(self._leases)
        self._touch_repos = Repos(self._touches)
        self._closed = asyncio.Event()

    @classmethod
    async def open_url(
        cls,
        url: str,
        *,
        identity: str = "",
        migrate: bool = True,
        migrations: list[Migration] | None = None,
    ) -> PostgresDatabase:
        db = cls(url, identity)
        try:
            await db.ping()
            if migrate:
                await db.migrate(
                    migrations if migrations is not None else load_migrations(engine="postgresql")
                )
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        self._closed.set()
        for sql in (self._writer, self._reader, self._snapshots, self._leases, self._touches):
            await sql.close()

    async def schema_version(self) -> int:
        cursor = await self._writer.run("SELECT to_regclass('schema_migrations') IS NOT NULL", ())
        row = await cursor.fetchone()
        if not (row and row[0]):
            return 0
        cursor = await self._writer.run("SELECT MAX(version) FROM schema_migrations", ())
        row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self, migrations: list[Migration]) -> list[int]:
        # Replicas starting together: one migrates, the others wait and then find nothing to do.
        await self._writer.statement(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        try:
            return await super().migrate(migrations)
        finally:
            with contextlib.suppress(psycopg.Error, ConnectionLost):
                await self._writer.statement(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")

    async def _create_migrations_table(self) -> None:
        await self._writer.statement(MIGRATIONS_TABLE)

    async def _apply(self, migration: Migration) -> None:
        async with self.transaction():
            try:
                await self._writer.statement(migration.sql)
            except psycopg.Error as exc:
                raise StoreError(f"migration {migration.name} failed: {exc}") from None
            if migration.step is not None:
                await migration.step(self._writer)
            await self._writer.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_db(utcnow())),
            )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        async with self._write_lock, self._begun(self._writer, lock=True):
            yield self._writing

    @asynccontextmanager
    async def lease_transaction(self) -> AsyncIterator[Repos]:
        async with self._lease_lock, self._begun(self._leases, lock=False):
            yield self._lease_repos

    @asynccontextmanager
    async def touch_transaction(self) -> AsyncIterator[Repos]:
        async with self._touch_lock, self._begun(self._touches, lock=False):
            yield self._touch_repos

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repos]:
        async with (
            self._read_lock,
            self._begun(
                self._snapshots, lock=False, how="ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            ),
        ):
            yield self._reading

    @asynccontextmanager
    async def _begun(self, sql: PgSql, *, lock: bool, how: str = "") -> AsyncIterator[None]:
        await sql.statement(f"BEGIN {how}".strip())
        try:
            if lock:
                await sql.statement(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            yield
        except BaseException:
            if not sql.broken:
                with contextlib.suppress(psycopg.Error, ConnectionLost):
                    await sql.statement("ROLLBACK")
            raise
        else:
            await sql.statement("COMMIT")

    async def content_version(self) -> int:
        async with self._read_lock:
            cursor = await self._snapshots.run("SELECT n FROM content_version WHERE id = 1", ())
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def backup(self, target: Path) -> None:
        raise StoreError(
            f"backups of PostgreSQL are pg_dump's job: pg_dump --format=custom "
            f"--file={target} '{self.location}'"
        )

    async def ping(self) -> bool:
        cursor = await self._reader.run("SELECT 1", ())
        row = await cursor.fetchone()
        return row is not None and row[0] == 1

    async def notifications(self) -> AsyncGenerator[str, None]:
        """LISTEN on a connection of its own, opened again (after a pause) whenever it is lost;
        after a reconnect one "outbox" and one "content" stand for whatever was missed."""
        missed = False
        while not self._closed.is_set():
            link = _Link(self._url, f"{self._name} listener", timeout_in_transaction=False)
            try:
                conn = await link.get()
                for channel in CHANNELS:
                    await conn.execute(f"LISTEN {channel}")
                if missed:
                    for channel in CHANNELS:
                        yield channel.removeprefix("bot_")
                async for notice in conn.notifies():
                    yield notice.channel.removeprefix("bot_")
            except (psycopg.Error, ConnectionLost) as exc:
                log.warning("listening for changes failed (will retry): %s", exc)
            finally:
                await link.close()
            missed = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), 1.0)
