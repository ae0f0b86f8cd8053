"""CLI: `orders add`, `orders set-status`, `orders` and `feeds`, through `main`."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.feeds import FeedService
from bot.services.reminders import ReminderService
from bot.store import open_database


@pytest.fixture
def env(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BOT_DATABASE__PATH", str(db_path))
    sources = [{"name": "fsa-ja", "url": "https://www.fsa.go.jp/fsaNewsListAll_rss2.xml"}]
    monkeypatch.setenv("BOT_FEEDS__SOURCES", json.dumps(sources))
    return db_path


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_add_an_order_then_mark_it_reported(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "orders",
            "add",
            "--issuer",
            "近畿財務局",
            "--action",
            "report_order",
            "--issued-on",
            "2026-11-20",
            "--report-due",
            "2026/12/04",
            "--url",
            "https://lfb.mof.go.jp/kinki/x.html",
            "--summary",
            "報告徴求命令",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "order 4 recorded; report due 2026-12-04" in out
    assert _count(env, "SELECT COUNT(*) FROM events WHERE kind = 'order'") == 1

    assert main(["orders"]) == 0
    listing = capsys.readouterr().out
    assert "2026-12-04" in listing and "report_order" in listing

    assert main(["orders", "set-status", "4", "reported"]) == 0
    assert "order 4: open -> reported" in capsys.readouterr().out
    assert _count(env, "SELECT COUNT(*) FROM orders WHERE id = 4 AND status = 'reported'") == 1


def _nothing_written(path: Path, err: str) -> None:
    assert err.count("\n") == 1 and "error" in err
    if path.exists():
        assert _count(path, "SELECT COUNT(*) FROM orders") == 3
        assert _count(path, "SELECT COUNT(*) FROM events") == 0


ADD = ["orders", "add", "--issuer", "x", "--action", "report_order"]


@pytest.mark.parametrize(
    "argv",
    [
        [*ADD, "--issued-on", "2026-13-01"],
        [*ADD, "--issued-on", "2026-11-20", "--report-due", "2026-11-01"],
        [*ADD, "--issued-on", "2026-11-20", "--url", "ftp://x"],
        ["orders", "set-status", "99", "reported"],
    ],
)
def test_bad_values_are_one_line_exit_2_and_write_nothing(
    env: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    _nothing_written(env, capsys.readouterr().err)


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            [*ADD, "--issued-on", "2026-11-20", "--url", "http://lfb.mof.go.jp/kinki/x.html"],
            "the url must start with https:// (at most 500 characters)",
        ),
        (
            [
                "orders",
                "add",
                "--issuer",
                "局" * 101,
                "--action",
                "other",
                "--issued-on",
                "2026-11-20",
            ],
            "the issuer must be 1 to 100 characters",
        ),
        (
            [*ADD, "--issued-on", "2026-11-20", "--summary", "あ" * 1001],
            "the summary must be at most 1000 characters",
        ),
        (
            [*ADD, "--issued-on", "2026-11-20", "--report-due", "2026-11-19"],
            "the report cannot be due (2026-11-19) before the order was issued (2026-11-20)",
        ),
    ],
    ids=["url", "issuer", "summary", "report_due"],
)
def test_order_refusals_are_one_english_line(
    env: Path, argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"exchange-status-bot: error: {line}\n"
    _nothing_written(env, err)


@pytest.mark.parametrize(
    "argv",
    [
        ["orders", "add", "--issuer", "x", "--action", "fine", "--issued-on", "2026-11-20"],
        ["orders", "set-status", "3", "open"],
        ["orders", "add", "--issuer", "x"],
    ],
)
def test_bad_usage_is_one_line_exit_2_and_writes_nothing(
    env: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    _nothing_written(env, capsys.readouterr().err)


def test_feeds_shows_each_feed(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds"]) == 0
    out = capsys.readouterr().out
    assert "fsa-ja" in out and "never polled" in out

    async def fail_twice() -> None:
        db = await open_database(env)
        try:
            service = FeedService(db)
            await service.ensure("fsa-ja", "https://www.fsa.go.jp/fsaNewsListAll_rss2.xml")
            await service.record_failure("fsa-ja", "http_5xx: HTTP 503 Service Unavailable")
            await service.record_failure("fsa-ja", "timeout: no complete answer in time")
        finally:
            await db.close()

    asyncio.run(fail_twice())
    assert main(["feeds"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "fsa-ja" in line)
    assert "timeout: no complete answer in time" in row and " JST " in row
    assert row.split()[-4:] == ["2", "2", "2", "0"]  # failing, polls, failures, items seen


def test_orders_shows_the_reminders_skipped_as_too_late(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["orders"]) == 0  # creates and seeds the database
    assert "skipped" not in capsys.readouterr().out

    async def start_once() -> None:
        db = await open_database(env)
        try:
            started = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
            await ReminderService(db, clock=lambda: started).skip_missed()
        finally:
            await db.close()

    asyncio.run(start_once())
    assert main(["orders"]) == 0
    out = capsys.readouterr().out
    assert "reminders not sent" in out.splitlines()[0]
    row = next(line for line in out.splitlines() if "2018-09-25" in line)
    assert "before_24h (skipped 2026-11-27 21:00 JST), due (skipped 2026-11-27 21:00 JST)" in row
    others = [line for line in out.splitlines()[2:] if "2018-09-25" not in line]
    assert others and not any("skipped" in line for line in others)
