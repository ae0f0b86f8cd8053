"""The operator CLI end to end: status, status set, history, orders, backup, and bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, cli_env

SET_BTC = [
    "status", "set", "BTC", "--deposit", "operational", "--withdrawal", "operational",
    "--reason", "maintenance", "--note", "wallet checked", "--actor", "ops-tanaka",
]  # fmt: skip


def _history_rows(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM status_history").fetchone()[0])


def test_status_lists_eleven_assets_suspended_both_ways(cli: Cli) -> None:
    result = cli("status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[2:]
    assert len(lines) == 11
    for line in lines:
        assert line.split()[0] in {
            "BTC", "MONA", "BCH", "ZAIF", "XCP", "BCY", "SJCX", "FSCC", "pepecash", "CICC", "NCXC"
        }  # fmt: skip
        assert line.count("suspended") == 2
    assert "ビットコイン" in result.stdout and "Bitcoin" in result.stdout
    assert "2018-09-17 00:00 JST" in result.stdout


def test_set_then_history_then_repeat_adds_nothing(cli: Cli, db_path: Path) -> None:
    first = cli(*SET_BTC)
    assert first.returncode == 0, first.stderr
    assert "BTC deposit: suspended -> operational" in first.stdout
    history = cli("history", "btc")
    assert history.returncode == 0, history.stderr
    rows = history.stdout.splitlines()[2:]
    assert len(rows) == 4
    assert rows[0].count("ops-tanaka") == 1 and "JST" in rows[0] and "wallet checked" in rows[0]
    assert "seed" in rows[-1] and "2018-09-17 00:00 JST" in rows[-1]
    before = _history_rows(db_path)
    again = cli(*SET_BTC)
    assert again.returncode == 0
    assert "no change" in again.stdout
    assert _history_rows(db_path) == before


def test_pepecash_in_any_case(cli: Cli) -> None:
    for spelling in ("pepecash", "PEPECASH", "PepeCash"):
        result = cli("history", spelling, "--limit", "1")
        assert result.returncode == 0, result.stderr
        assert "pepecash" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "set", "DOGE", "--deposit", "operational", "--reason", "maintenance"], "DOGE"),
        (["status", "set", "BTC", "--deposit", "open", "--reason", "maintenance"], "open"),
        (["status", "set", "BTC", "--deposit", "operational", "--reason", "bored"], "bored"),
        (["status", "set", "BTC", "--reason", "maintenance"], "--deposit"),
        (["status", "set", "BTC", "--deposit", "delayed", "--reason", "other",
          "--note", "x" * 600], "note"),
        (["status", "set", "BTC", "--deposit", "delayed", "--reason", "other",
          "--expected-reopen", "next tuesday"], "date"),
        (["history", "DOGE"], "DOGE"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    cli: Cli, db_path: Path, args: list[str], message: str
) -> None:
    assert cli("status").returncode == 0  # create and seed first
    before = _history_rows(db_path)
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert _history_rows(db_path) == before


@pytest.mark.parametrize("where", ["under-a-file", "read-only"])
def test_unusable_database_path_is_one_line_exit_2(cli: Cli, tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    path = blocker / "bot.sqlite3" if where == "under-a-file" else Path("/proc/bot.sqlite3")
    result = cli("status", env=cli_env(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "database" in result.stderr


def test_bad_setting_is_one_line_exit_2(cli: Cli, db_path: Path) -> None:
    result = cli("status", env=cli_env(db_path, BOT_TIMEZONE="Nowhere/Atlantis"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("exchange-status-bot: error: BOT_TIMEZONE")
    assert len(result.stderr.strip().splitlines()) == 1


def test_orders_lists_the_three_2018_orders(cli: Cli) -> None:
    result = cli("orders")
    assert result.returncode == 0, result.stderr
    for day in ("2018-03-08", "2018-06-22", "2018-09-25"):
        assert day in result.stdout
    assert "2018-09-27" in result.stdout


def test_backup_is_a_usable_copy(cli: Cli, tmp_path: Path) -> None:
    assert cli(*SET_BTC).returncode == 0
    target = tmp_path / "backups" / "copy.sqlite3"
    result = cli("backup", str(target))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as conn:
        rows = conn.execute(
            "SELECT state FROM asset_status WHERE asset = 'BTC' AND direction = 'deposit'"
        ).fetchall()
    assert rows == [("operational",)]
