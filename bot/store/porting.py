"""Copying a SQLite database into an empty PostgreSQL one (`port-db`), batch by batch.

Each batch is committed on the target together with how far its table has got (a progress table
that lives only while a port is under way), so that a port cut short resumes where it stopped and
never copies a row twice. The tables and the order to fill them in (parents before the tables
that refer to them) are read from the source's schema, never listed here.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosqlite
import psycopg
from psycopg import sql

from bot.store.db import StoreError
from bot.store.engines import open_database
from bot.store.pg_text import redact
from bot.store.postgres import WRITE_LOCK, PostgresDatabase

BATCH_ROWS = 5_000
PROGRESS_TABLE = "port_progress"
# Rows the migrations write themselves on either engine: never copied. The content counter is
# moved on past the source's value at the end instead.
MIGRATIONS_OWN = frozenset({"schema_migrations", "content_version"})
# Held for the whole port: a second port-db on the same target is refused, not interleaved.
PORT_LOCK = 7_426_003

# Called after each committed batch with the table and its rows copied so far (a test hook).
AfterBatch = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    # The primary key's columns, the order the rows are copied in; ("rowid",) without one.
    key: tuple[str, ...]
    parents: frozenset[str]


@dataclass(frozen=True, slots=True)
class TableCount:
    name: str
    source: int
    target: int


@dataclass(frozen=True, slots=True)
class PortResult:
    target: str  # the URL without its password
    counts: tuple[TableCount, ...]
    seconds: float
    resumed: bool

    @property
    def rows(self) -> int:
        return sum(c.target for c in self.counts)

    @property
    def matches(self) -> bool:
        return all(c.source == c.target for c in self.counts)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fill_order(tables: Sequence[Table]) -> list[Table]:
    """Parents before children, by name where the references leave a choice."""
    left = {t.name: t for t in tables}
    done: set[str] = set()
    ordered: list[Table] = []
    while left:
        ready = sorted(n for n, t in left.items() if (t.parents - {n}) <= done)
        if not ready:
            raise StoreError(f"the tables {', '.join(sorted(left))} refer to each other in a cycle")
        for name in ready:
            ordered.append(left.pop(name))
            done.add(name)
    return ordered


async def source_tables(source: aiosqlite.Connection) -> list[Table]:
    """Every table of the SQLite file that holds data of its own, in the order to fill them."""
    async with source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cursor:
        names = [str(row[0]) for row in await cursor.fetchall()]
    tables = []
    for name in names:
        if name in MIGRATIONS_OWN:
            continue
        async with source.execute(f"PRAGMA table_info({_quoted(name)})") as cursor:
            info = list(await cursor.fetchall())
        async with source.execute(f"PRAGMA foreign_key_list({_quoted(name)})") as cursor:
            parents = frozenset(str(row[2]) for row in await cursor.fetchall())
        key = tuple(str(c[1]) for c in sorted((c for c in info if c[5]), key=lambda c: c[5]))
        columns = tuple(str(c[1]) for c in info)
        tables.append(Table(name, columns, key or ("rowid",), parents))
    return fill_order(tables)


async def _target_columns(conn: psycopg.AsyncConnection[Any]) -> dict[str, set[str]]:
    cursor = await conn.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
    )
    found: dict[str, set[str]] = {}
    for table, column in await cursor.fetchall():
        found.setdefault(str(table), set()).add(str(column))
    return found


async def _check_same_tables(conn: psycopg.AsyncConnection[Any], tables: list[Table]) -> None:
    target = await _target_columns(conn)
    ours = set(target) - MIGRATIONS_OWN - {PROGRESS_TABLE}
    theirs = {t.name for t in tables}
    if ours != theirs:
        differ = sorted(ours ^ theirs)
        raise StoreError(f"the two schemas differ in tables {', '.join(differ)}; port refused")
    for table in tables:
        missing = sorted(set(table.columns) - target[table.name])
        if missing:
            raise StoreError(f"the target's {table.name} lacks columns {', '.join(missing)}")


async def _prepare(
    conn: psycopg.AsyncConnection[Any], tables: list[Table], source_id: str, location: str
) -> bool:
    """Start the progress record, or find the one of an interrupted port from the same source
    (True: resuming); refuse a target that holds anything else."""
    cursor = await conn.execute("SELECT to_regclass(%s) IS NOT NULL", (PROGRESS_TABLE,))
    row = await cursor.fetchone()
    if row and row[0]:
        cursor = await conn.execute(f"SELECT DISTINCT source FROM {PROGRESS_TABLE}")
        sources = {str(r[0]) for r in await cursor.fetchall()}
        if sources != {source_id}:
            raise StoreError(
                f"{location} holds an unfinished port from {', '.join(sorted(sources))},"
                f" not from {source_id}; port refused"
            )
        return True
    holding = []
    for table in tables:
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table.name))
        row = await (await conn.execute(query)).fetchone()
        if row and row[0]:
            holding.append(table.name)
    if holding:
        named = ", ".join(holding[:3]) + (
            f" and {len(holding) - 3} more" if len(holding) > 3 else ""
        )
        raise StoreError(
            f"{location} is not empty ({named} hold rows); port-db copies into an empty"
            " database only"
        )
    async with conn.transaction():
        await conn.execute(
            f"CREATE TABLE {PROGRESS_TABLE} (table_name TEXT PRIMARY KEY, source TEXT NOT NULL,"
            " rows_done BIGINT NOT NULL DEFAULT 0, last_key TEXT)"
        )
        async with conn.cursor() as cursor:
            await cursor.executemany(
                f"INSERT INTO {PROGRESS_TABLE} (table_name, source) VALUES (%s, %s)",
                [(t.name, source_id) for t in tables],
            )
    return False


async def _copy_table(
    source: aiosqlite.Connection,
    conn: psycopg.AsyncConnection[Any],
    table: Table,
    batch_rows: int,
    after_batch: AfterBatch | None,
) -> None:
    cursor = await conn.execute(
        f"SELECT rows_done, last_key FROM {PROGRESS_TABLE} WHERE table_name = %s", (table.name,)
    )
    row = await cursor.fetchone()
    rows_done, last_key = (int(row[0]), row[1]) if row else (0, None)
    after: list[Any] | None = json.loads(last_key) if last_key is not None else None
    key = ", ".join(_quoted(k) for k in table.key)
    # The key is selected first (again): rowid is no column, and it keeps the slicing simple.
    select = (
        f"SELECT {key}, {', '.join(_quoted(c) for c in table.columns)} FROM {_quoted(table.name)}"
    )
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.columns))
    )
    width = len(table.key)
    while True:
        if after is None:
            query, params = f"{select} ORDER BY {key} LIMIT ?", [batch_rows]
        else:
            marks = ", ".join("?" * width)
            query = f"{select} WHERE ({key}) > ({marks}) ORDER BY {key} LIMIT ?"
            params = [*after, batch_rows]
        async with source.execute(query, params) as found:
            batch = list(await found.fetchall())
        if not batch:
            return
        async with conn.transaction():
            # Writers on the target (a service started too early) wait for the batch.
            await conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            async with conn.cursor() as cur, cur.copy(copy) as into:
                for values in batch:
                    await into.write_row(values[width:])
            after = list(batch[-1][:width])
            rows_done += len(batch)
            await conn.execute(
                f"UPDATE {PROGRESS_TABLE} SET rows_done = %s, last_key = %s WHERE table_name = %s",
                (rows_done, json.dumps(after), table.name),
            )
        if after_batch is not None:
            after_batch(table.name, rows_done)
        if len(batch) < batch_rows:
            return


async def _count(
    source: aiosqlite.Connection, conn: psycopg.AsyncConnection[Any], name: str
) -> TableCount:
    async with source.execute(f"SELECT COUNT(*) FROM {_quoted(name)}") as cursor:
        row = await cursor.fetchone()
    there = await (
        await conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name)))
    ).fetchone()
    return TableCount(name, int(row[0]) if row else 0, int(there[0]) if there else 0)


async def _finish(
    source: aiosqlite.Connection, conn: psycopg.AsyncConnection[Any], tables: list[Table]
) -> tuple[TableCount, ...]:
    """Identity sequences past the copied ids, the content counter past the source's, the counts;
    the progress record dropped once they match."""
    async with source.execute("SELECT n FROM content_version WHERE id = 1") as cursor:
        row = await cursor.fetchone()
    source_version = int(row[0]) if row else 0
    async with conn.transaction():
        identities = await conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        )
        for table_name, column in await identities.fetchall():
            await conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({}), 0) + 1, false)"
                    " FROM {}"
                ).format(sql.Identifier(column), sql.Identifier(table_name)),
                (sql.Identifier(table_name).as_string(conn), column),
            )
        # Never backwards: a reader that saw the counter during the copy must see it move.
        await conn.execute(
            "UPDATE content_version SET n = GREATEST(n + 1, %s) WHERE id = 1", (source_version,)
        )
        counts = tuple([await _count(source, conn, t.name) for t in tables])
        if all(c.source == c.target for c in counts):
            await conn.execute(f"DROP TABLE {PROGRESS_TABLE}")
    return counts


async def port(
    source_path: Path,
    url: str,
    *,
    batch_rows: int = BATCH_ROWS,
    after_batch: AfterBatch | None = None,
) -> PortResult:
    """Copy the SQLite file at `source_path` into the PostgreSQL database at `url`, both migrated
    to the latest schema first; the target must be empty or hold an unfinished port of the same
    file. The source is read in one transaction: it should not be written meanwhile."""
    started = time.monotonic()
    location = redact(url)
    source_path = Path(source_path).expanduser()
    if not source_path.is_file():
        raise StoreError(f"no SQLite database at {source_path}; give its path with --from")
    await (await open_database(source_path)).close()  # migrates an older file
    await (await PostgresDatabase.open_url(url, identity="port-db")).close()
    source_id = str(source_path.resolve())
    read_only = f"file:{quote(source_id)}?mode=ro"
    try:
        async with (
            aiosqlite.connect(read_only, uri=True, isolation_level=None) as source,
            await psycopg.AsyncConnection.connect(
                url, autocommit=True, application_name="exchange-status-bot port-db"
            ) as conn,
        ):
            row = await (
                await conn.execute("SELECT pg_try_advisory_lock(%s)", (PORT_LOCK,))
            ).fetchone()
            if not (row and row[0]):
                raise StoreError(f"another port-db is writing to {location}")
            await source.execute("BEGIN")
            tables = await source_tables(source)
            await _check_same_tables(conn, tables)
            resumed = await _prepare(conn, tables, source_id, location)
            for table in tables:
                await _copy_table(source, conn, table, batch_rows, after_batch)
            counts = await _finish(source, conn, tables)
            await source.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {source_path}: {exc}") from None
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"the port to {location} failed: {detail}") from None
    return PortResult(location, counts, time.monotonic() - started, resumed)
