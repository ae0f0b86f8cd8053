"""The migration runner: fresh, up to date, too new, and a migration that fails half-way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import StoreError, open_database
from bot.store.db import Migration, load_migrations


async def _tables(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


async def test_fresh_database_gets_every_migration(db_path: Path) -> None:
    shipped = load_migrations()
    db = await open_database(db_path)
    try:
        assert await db.schema_version() == shipped[-1].version
    finally:
        await db.close()
    tables = await _tables(db_path)
    assert {"assets", "asset_status", "status_history", "events", "deliveries"} <= tables
    assert {"subscriptions", "orders", "order_items", "feeds", "feed_items"} <= tables
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_up_to_date_database_applies_nothing(db_path: Path) -> None:
    await (await open_database(db_path)).close()
    db = await open_database(db_path, migrate=False)
    try:
        assert await db.migrate(load_migrations()) == []
    finally:
        await db.close()


async def test_new_migration_is_applied_to_an_older_database(db_path: Path) -> None:
    shipped = load_migrations()
    await (await open_database(db_path)).close()
    extra = Migration(shipped[-1].version + 1, "9999_extra", "CREATE TABLE extra (x INTEGER);")
    db = await open_database(db_path, migrations=[*shipped, extra])
    try:
        assert await db.schema_version() == extra.version
    finally:
        await db.close()
    assert "extra" in await _tables(db_path)


async def test_database_newer_than_the_code_is_refused(db_path: Path) -> None:
    await (await open_database(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')"
        )
    with pytest.raises(StoreError, match="newer than this code"):
        await open_database(db_path)


async def test_failing_migration_leaves_nothing_behind(db_path: Path) -> None:
    shipped = load_migrations()
    await (await open_database(db_path)).close()
    broken = Migration(
        shipped[-1].version + 1,
        "9999_broken",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    with pytest.raises(StoreError):
        await open_database(db_path, migrations=[*shipped, broken])
    assert "half_done" not in await _tables(db_path)
    db = await open_database(db_path)
    try:
        assert await db.schema_version() == shipped[-1].version
    finally:
        await db.close()


def test_migration_files_are_numbered_without_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_first.sql").write_text("SELECT 1;")
    (tmp_path / "0003_third.sql").write_text("SELECT 1;")
    with pytest.raises(StoreError, match="without gaps"):
        load_migrations(tmp_path)


def test_every_shipped_migration_says_why() -> None:
    for migration in load_migrations():
        assert migration.sql.startswith("-- Why:"), migration.name


async def test_unwritable_location_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as under_file:
        await open_database(blocker / "bot.sqlite3")
    # /proc refuses new files even to root: a read-only location on any Linux machine.
    with pytest.raises(StoreError) as read_only:
        await open_database(Path("/proc/bot-test.sqlite3"))
    for error in (under_file.value, read_only.value):
        assert "\n" not in str(error)


async def test_rebuilding_tables_keeps_the_rows_that_refer_to_them(db_path: Path) -> None:
    """0002 rebuilds events and subscriptions: their deliveries survive, and still cascade."""
    shipped = load_migrations()
    first = await open_database(db_path, migrations=shipped[:1])
    await first.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO subscriptions (id, target_kind, target, events, created_by, created_at)"
            " VALUES (7, 'dm', '42', 'status', 'u', '2018-09-25')"
        )
        conn.execute(
            "INSERT INTO events (id, kind, actor, source, payload, created_at)"
            " VALUES (3, 'status', 'a', 'cli', '{}', '2018-09-25')"
        )
        conn.execute(
            "INSERT INTO deliveries (event_id, subscription_id, next_attempt_at, created_at)"
            " VALUES (3, 7, '2018-09-25', '2018-09-25')"
        )
    db = await open_database(db_path)
    try:
        assert await db.schema_version() == shipped[-1].version
        assert await db.repos.outbox.count() == 1
        sub = await db.repos.subscriptions.get(7)
        assert sub is not None and sub.target == "42"
    finally:
        await db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("DELETE FROM subscriptions WHERE id = 7")
        assert conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
        conn.execute(
            "INSERT INTO subscriptions (target_kind, target, events, created_by, created_at)"
            " VALUES ('dm', '43', 'incidents', 'u', '2018-09-25')"
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE subscriptions SET events = 'nonsense'")


async def test_a_migration_that_breaks_references_is_refused(db_path: Path) -> None:
    shipped = load_migrations()
    await (await open_database(db_path)).close()
    dangling = Migration(
        shipped[-1].version + 1,
        "9999_dangling",
        "INSERT INTO deliveries (event_id, subscription_id, next_attempt_at, created_at)"
        " VALUES (999, 999, 'x', 'x');",
    )
    with pytest.raises(StoreError, match="broken reference"):
        await open_database(db_path, migrations=[*shipped, dangling])
    db = await open_database(db_path)
    try:
        assert await db.repos.outbox.count() == 0
    finally:
        await db.close()


async def test_the_page_history_and_a_subscriptions_deliveries_are_read_by_index(
    db_path: Path,
) -> None:
    db = await open_database(db_path)
    await db.close()
    with sqlite3.connect(db_path) as conn:
        since = conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM status_history WHERE changed_at >= ?"
            " ORDER BY changed_at, id",
            ("2026-01-01",),
        ).fetchall()
        removed = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE subscription_id = ?", (1,)
        ).fetchall()
    assert "INDEX status_history_changed_at" in str(since)
    assert "INDEX deliveries_subscription (subscription_id=?)" in str(removed)
