"""CLI: `port-db` copies a populated SQLite file into PostgreSQL, which then serves the same API;
a non-empty target and a missing source are refused in one line; a port cut short resumes."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiosqlite
import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.clock import JST, utcnow
from bot.health import collect
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.bundle import Services
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database, open_database
from bot.store.porting import MIGRATIONS_OWN, port, source_tables
from bot.web.context import WebContext
from bot.web.site import build
from tests.cli.conftest import cli_env
from tests.web.helpers import reopen

# What the status page's API shows, compared between the engines whole; only each document's
# `generated_at` (when this process built its snapshot) may differ.
API_PATHS = (
    "/api/v1/status",
    "/api/v1/orders",
    "/api/v1/incidents",
    "/api/v1/incidents/2",
    "/api/v1/maintenances",
    "/api/v1/assets/MONA",
    "/api/v1/assets/BTC/history?limit=100",
)
PASSWORD = "s3cret-never-shown"
# Rows the port itself does not copy (the migrations', its progress, the content counter).
OWN_ROWS = frozenset({"schema_migrations", "content_version", "port_progress", "content_version.n"})
# The checkout under test, first on the path of the CLI's own process.
ROOT = Path(__file__).resolve().parents[2]


def _port_db(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot port-db ARGS` in a process of its own, the source file in the settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "port-db", *args],
        capture_output=True,
        text=True,
        cwd=db_path.parent,
        env=cli_env(db_path, PYTHONPATH=str(ROOT)),
        timeout=120,
        check=False,
    )


def _jst(hours: float) -> str:
    return (utcnow() + timedelta(hours=hours)).astimezone(JST).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def populated(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The seeded file after a working week: subscriptions (some to a few assets) with queued
    alerts, status changes with an estimate, an order, an incident with updates, maintenance
    windows and translations, all through the CLI."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BOT_DATABASE__PATH", str(db_path))
    monkeypatch.setenv("BOT_FEEDS__SOURCES", "[]")
    steps = [
        ["subscriptions", "add-webhook", "http://127.0.0.1:9/all"],
        ["subscriptions", "add-webhook", "http://127.0.0.1:9/few", "--assets", "BTC,MONA"],
        ["status", "set", "all", "--withdrawal", "operational", "--reason", "compliance"],
        ["status", "set", "BTC", "--deposit", "operational", "--reason", "maintenance"],
        ["status", "set", "MONA", "--withdrawal", "delayed", "--reason", "network_congestion",
         "--note", "混雑", "--expected-reopen", _jst(30)],
        ["status", "set", "MONA", "--withdrawal", "delayed", "--reason", "network_congestion",
         "--note", "混雑", "--expected-reopen", _jst(54)],
        ["translate", "status", "MONA", "withdrawal", "--note-en", "Congested"],
        ["orders", "add", "--issuer", "近畿財務局", "--action", "report_order",
         "--issued-on", "2026-11-02", "--report-due", "2026-12-20", "--summary", "報告"],
        ["translate", "order", "4", "--summary-en", "A report"],
        ["incidents", "open", "--title", "入金遅延", "--message", "調査中", "--assets", "BTC"],
        ["incidents", "update", "2", "--stage", "identified", "--message", "原因特定"],
        ["maintenance", "schedule", "--assets", "BTC,MONA", "--direction", "both",
         "--starts", _jst(3), "--ends", _jst(5), "--reason", "wallet_upgrade", "--note", "更新"],
        ["maintenance", "schedule", "--assets", "XCP", "--direction", "deposit",
         "--starts", _jst(50), "--ends", _jst(52), "--reason", "network_upgrade"],
        ["translate", "maintenance", "1", "--note-en", "Wallet upgrade"],
    ]  # fmt: skip
    for step in steps:
        assert main(step) == 0, step
    yield db_path


def _with_password(url: str) -> str:
    """The same database with a password in the URL (the test server trusts local users)."""
    parts = urlsplit(url)
    netloc = f"{parts.username}:{PASSWORD}@{parts.hostname}:{parts.port or 5432}"
    return parts._replace(netloc=netloc).geturl()


def _counts(output: str) -> dict[str, tuple[int, int]]:
    """The per-table lines of port-db's report: table -> (sqlite, postgresql)."""
    lines = output.splitlines()
    assert lines[0].split() == ["table", "sqlite", "postgresql"]
    found = {}
    for line in lines[2:-1]:
        name, source, target = line.split()
        found[name] = (int(source), int(target))
    return found


async def _api(db: Database) -> dict[str, Any]:
    """The API's documents as the service would serve them from `db`."""
    services = Services.build(db, shipped_reference(), zone=JST)

    async def health() -> dict[str, Any]:
        return await collect(db.ping, [], discord_enabled=False)

    context = WebContext(
        snapshots=services.snapshots,
        status=services.status,
        incidents=services.incidents,
        reference=services.reference,
        metrics=Metrics(),
        health=health,
        zone=JST,
    )
    documents = {}
    async with TestClient(TestServer(build(context))) as client:
        for path in API_PATHS:
            response = await client.get(path)
            assert response.status == 200, path
            body = await response.json()
            body.pop("generated_at", None)
            documents[path] = body
    return documents


async def _target_rows(url: str) -> dict[str, int]:
    """Rows in every table of the PostgreSQL database, and the content counter."""
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cursor = await conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        names = [str(row[0]) for row in await cursor.fetchall()]
        rows = {}
        for name in names:
            found = await (await conn.execute(f'SELECT COUNT(*) FROM "{name}"')).fetchone()
            rows[name] = int(found[0]) if found else -1
        version = await (await conn.execute("SELECT n FROM content_version")).fetchone()
        rows["content_version.n"] = int(version[0]) if version else -1
    return rows


async def test_a_ported_database_serves_the_same_api(populated: Path, pg_url: str) -> None:
    url = _with_password(pg_url)
    done = await asyncio.to_thread(_port_db, populated, "--to", url)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    counts = _counts(done.stdout)
    assert all(source == target for source, target in counts.values()), counts
    for table in ("deliveries", "subscription_assets", "translations", "incident_updates",
                  "maintenances", "maintenance_pairs", "reopen_estimates", "orders"):  # fmt: skip
        assert counts[table][0] > 0, table
    last = done.stdout.splitlines()[-1]
    total = sum(source for source, _ in counts.values())
    shown = url.replace(PASSWORD, "***")
    assert last.startswith(f"ported {total} rows in {len(counts)} tables to {shown} in ")
    assert last.endswith("; counts match")

    sqlite = await open_database(populated)
    postgres = await connect_database(DatabaseSettings(url=pg_url), identity="test")
    try:
        assert set(counts) | {"content_version", "schema_migrations"} == set(
            await _target_rows(pg_url)
        ) - {"content_version.n"}
        before = await _api(sqlite)
        assert before["/api/v1/incidents/2"]["updates"]
        assert await _api(postgres) == before
        assert await postgres.content_version() >= await sqlite.content_version()

        # New rows take the ids after the copied ones.
        newest = (await StatusService(sqlite).history(limit=1))[0]
        result = await StatusService(postgres).change(reopen("ZAIF"))
        assert result.event is not None
        assert newest.id is not None
        assert [c.id for c in result.changes] == [newest.id + 1]  # ZAIF deposit only
        with sqlite3.connect(populated) as conn:
            (last_event,) = conn.execute("SELECT MAX(id) FROM events").fetchone()
        assert result.event.id == last_event + 1
        await seed(postgres, shipped_reference())  # the service's start-up finds all in place
    finally:
        await postgres.close()
        await sqlite.close()


async def test_a_target_that_holds_rows_is_refused(populated: Path, pg_url: str) -> None:
    target = await connect_database(DatabaseSettings(url=pg_url), identity="test")
    try:
        await seed(target, shipped_reference())
    finally:
        await target.close()
    before = await _target_rows(pg_url)

    refused = await asyncio.to_thread(_port_db, populated, "--to", pg_url, "--from", str(populated))
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "is not empty (assets, " in refused.stderr
    assert "empty database only" in refused.stderr
    assert await _target_rows(pg_url) == before


class Interrupted(Exception):
    pass


async def test_an_interrupted_port_resumes_without_duplicates(
    populated: Path, pg_url: str, tmp_path: Path
) -> None:
    batches: list[tuple[str, int]] = []

    def stop_after_seven(table: str, rows_done: int) -> None:
        batches.append((table, rows_done))
        if len(batches) == 7:
            raise Interrupted

    with pytest.raises(Interrupted):
        await port(populated, pg_url, batch_rows=2, after_batch=stop_after_seven)
    partial = await _target_rows(pg_url)
    assert partial["port_progress"] > 0
    # Exactly the committed batches are there: each table as far as its last batch got.
    reached = dict(batches)
    assert sum(reached.values()) <= 14
    for table, rows in partial.items():
        if table not in OWN_ROWS:
            assert rows == reached.get(table, 0), table

    # Another file's port must not mix into this one.
    other = tmp_path / "other.sqlite3"
    await (await open_database(other)).close()
    refused = await asyncio.to_thread(_port_db, populated, "--to", pg_url, "--from", str(other))
    assert refused.returncode == 2
    assert "holds an unfinished port from " in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    done = await asyncio.to_thread(_port_db, populated, "--to", pg_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("; counts match")

    fresh_rows = await _target_rows(pg_url)
    assert "port_progress" not in fresh_rows
    for table, (source, target) in _counts(done.stdout).items():
        assert fresh_rows[table] == source == target, table
    # The batches already committed were not copied again (the keys would have refused them).
    assert partial["status_history"] <= fresh_rows["status_history"]


def test_a_missing_source_is_refused_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "bot.sqlite3"
    refused = _port_db(
        tmp_path / "bot.sqlite3",
        "--to",
        "postgresql://bot@127.0.0.1:1/none",
        "--from",
        str(missing),
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"exchange-status-bot: error: no SQLite database at {missing}; give its path with --from"
    )
    assert not missing.exists() and not missing.parent.exists()


def test_the_target_must_be_a_postgresql_url(tmp_path: Path) -> None:
    refused = _port_db(tmp_path / "bot.sqlite3", "--to", "sqlite:///data/bot.sqlite3")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "must be a postgresql:// URL" in refused.stderr


async def test_every_table_is_filled_after_the_tables_it_refers_to(db_path: Path) -> None:
    await (await open_database(db_path)).close()
    async with aiosqlite.connect(db_path) as source:
        tables = await source_tables(source)
        async with source.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as found:
            every = {str(row[0]) for row in await found.fetchall()}
    names = [t.name for t in tables]
    assert set(names) == every - MIGRATIONS_OWN
    assert {"deliveries", "status_history", "subscription_assets", "leases"} <= set(names)
    for position, table in enumerate(tables):
        assert table.parents <= set(names[:position]), table.name
    assert [t.key for t in tables if t.name == "maintenance_pairs"] == [
        ("maintenance_id", "asset", "direction")
    ]
