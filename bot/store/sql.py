"""What the repositories see of a connection, on either engine.

The repositories write one SQL text for both engines, in SQLite's spelling: `?` placeholders,
JSON lists passed as text and read with `json_each(?) AS alias`. The PostgreSQL connection
rewrites those few spellings (see `bot.store.postgres`); whatever cannot be rewritten mechanically
is a `Dialect` fragment, so that every difference between the engines stays in the store.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Params = Sequence[Any]
# A result row: a tuple on PostgreSQL, sqlite3.Row-like on SQLite; read by position.
Row = Any


class Cursor(Protocol):
    rowcount: int

    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Iterable[Any]: ...

    async def close(self) -> None: ...


class Execution(Protocol):
    """`await conn.execute(...)` gives the cursor; `async with conn.execute(...)` closes it."""

    def __await__(self) -> Generator[Any, None, Cursor]: ...

    async def __aenter__(self) -> Cursor: ...

    async def __aexit__(self, *exc: object) -> Any: ...


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    # Seconds since the epoch, with fractions, on the database server's clock: leases agree on
    # time across hosts because every process asks the same clock.
    now_epoch: str
    # The text under a key in a JSON object passed as a parameter: {param} and {key} are SQL.
    json_text: str
    # Appended to the SELECT that picks rows to claim: concurrent claimers skip each other's rows
    # instead of queueing behind them (SQLite has one writer at a time anyway).
    skip_locked: str

    def json_get(self, param: str, key: str) -> str:
        return self.json_text.format(param=param, key=key)


SQLITE = Dialect(
    name="sqlite",
    now_epoch="((julianday('now') - 2440587.5) * 86400.0)",
    json_text="json_extract({param}, '$.\"' || {key} || '\"')",
    skip_locked="",
)
POSTGRESQL = Dialect(
    name="postgresql",
    now_epoch="(extract(epoch from clock_timestamp())::double precision)",
    json_text="(CAST({param} AS json) ->> {key})",
    skip_locked=" FOR UPDATE SKIP LOCKED",
)


class Sql(Protocol):
    """The part of a connection the repositories use (aiosqlite's shape)."""

    dialect: Dialect

    def execute(self, sql: str, parameters: Params = ()) -> Execution: ...

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> Any: ...

    async def insert(self, sql: str, parameters: Params = ()) -> int:
        """Run an INSERT of one row into a table with an `id` key; return the new id."""
        ...

    async def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[Params]) -> None:
        """Append many rows as fast as the engine takes them (one prepared INSERT run per row on
        SQLite, COPY on PostgreSQL). `table` and `columns` are the store's own names, never input.
        """
        ...


class SqliteSql:
    """An aiosqlite connection as the repositories see it: itself, and its dialect."""

    dialect = SQLITE

    def __init__(self, connection: Any) -> None:
        self._conn = connection

    def execute(self, sql: str, parameters: Params = ()) -> Execution:
        result: Execution = self._conn.execute(sql, parameters)
        return result

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> Any:
        return await self._conn.executemany(sql, parameters)

    async def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[Params]) -> None:
        marks = ", ".join("?" * len(columns))
        await self._conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )

    async def insert(self, sql: str, parameters: Params = ()) -> int:
        async with self._conn.execute(sql, parameters) as cursor:
            row_id = cursor.lastrowid
        if row_id is None:
            raise RuntimeError("the insert added no row")
        return int(row_id)
