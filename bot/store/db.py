"""What the services hold of a database, whichever engine is under it; the migration files."""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from bot.paths import migrations_dir
from bot.store.audit import MIGRATION_STEPS
from bot.store.repos import Repos
from bot.store.sql import Dialect, Sql

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class StoreError(Exception):
    """The database cannot be used; the text is one line fit for an operator."""


class ConnectionLost(StoreError):
    """The connection to the database server broke; the next use opens a new one."""


# What SQL cannot compute (hashes): run by the runner after the migration's SQL, in its
# transaction.
Step = Callable[[Sql], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str
    step: Step | None = None


def load_migrations(folder: Path | None = None, engine: str = "sqlite") -> list[Migration]:
    """The numbered files in `folder`; for another engine, its own file of the same name (in a
    sub-folder named for the engine) replaces the common one where the SQL must differ."""
    folder = folder or migrations_dir()
    own = folder / engine
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise StoreError(f"migration file name not NNNN_name.sql: {path.name}")
        if engine != "sqlite" and (own / path.name).is_file():
            path = own / path.name
        # Found by the name without its number, which may change when branches meet.
        step = MIGRATION_STEPS.get(path.stem.split("_", 1)[1])
        found.append(Migration(int(match.group(1)), path.stem, path.read_text("utf-8"), step))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations must be numbered 1..N without gaps, found {versions}")
    if engine != "sqlite" and own.is_dir():
        common = {path.name for path in folder.glob("*.sql")}
        stray = sorted(path.name for path in own.glob("*.sql") if path.name not in common)
        if stray:
            raise StoreError(f"{engine} migrations without a common file: {', '.join(stray)}")
    return found


# Created by the runner, not by a migration: it records which migrations have run.
MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


class Database(ABC):
    """Writes go through `transaction()`, all of a change or none, one writer at a time (on
    PostgreSQL across every process, as on SQLite); plain reads use `repos`, which see committed
    data only; `read()` gives a consistent set of reads."""

    repos: Repos
    dialect: Dialect
    # Where the data is, for messages: a file's path or a server URL without its password.
    location: str

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def schema_version(self) -> int: ...

    async def migrate(self, migrations: list[Migration]) -> list[int]:
        """Apply what is missing, each migration in its own transaction; return what was applied."""
        await self._create_migrations_table()
        current = await self.schema_version()
        known = migrations[-1].version if migrations else 0
        if current > known:
            raise StoreError(
                f"the database {self.location} is at schema version {current}, newer than this "
                f"code knows ({known}); upgrade the bot before using it"
            )
        applied = []
        for migration in migrations:
            if migration.version <= current:
                continue
            await self._apply(migration)
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
        return applied

    @abstractmethod
    async def _create_migrations_table(self) -> None: ...

    @abstractmethod
    async def _apply(self, migration: Migration) -> None:
        """One migration and its row in schema_migrations, in one transaction."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Repos]: ...

    def lease_transaction(self) -> AbstractAsyncContextManager[Repos]:
        """A transaction for the leader's lease alone; an engine may keep it clear of the
        other writers, so that no long write delays a renewal."""
        return self.transaction()

    def touch_transaction(self) -> AbstractAsyncContextManager[Repos]:
        """A transaction for frequent one-row touches that nothing else waits on (a token's use,
        a heartbeat's beat): an engine may keep it clear of the other writers and not wait for
        it to reach the disk (a crash may lose the last moment's touches, never other data).
        Row locks order touches of one row."""
        return self.transaction()

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Repos]: ...

    @abstractmethod
    async def content_version(self) -> int:
        """A counter that every change to what customers read moves, whichever process wrote it
        (triggers in the same transaction): a cheap "has anything shown changed since?"."""

    @abstractmethod
    async def backup(self, target: Path) -> None: ...

    @abstractmethod
    async def ping(self) -> bool: ...

    async def notifications(self) -> AsyncGenerator[str, None]:
        """What other processes say they changed ("outbox", "content"), as they commit it, for
        as long as the database is open; an engine without such news yields nothing."""
        return
        yield
