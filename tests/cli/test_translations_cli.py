"""English added later from the CLI: `translate status|order`, `translations`, and what is
refused (exit 2, nothing written)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.execute(sql).fetchall())


def test_a_note_is_listed_until_translated_and_the_translation_is_kept(
    cli: Cli, db_path: Path
) -> None:
    assert cli("translations").stdout.strip() == "every text customers read has its English"
    changed = cli(
        "status", "set", "BTC", "--withdrawal", "delayed", "--reason", "wallet_upgrade",
        "--note", "新ウォレットへの移行中",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    listed = cli("translations").stdout
    assert "status_note  BTC/withdrawal" in listed and "新ウォレットへの移行中" in listed
    events = _rows(db_path, "SELECT COUNT(*) FROM events")
    done = cli(
        "translate", "status", "btc", "withdrawal", "--note-en", "Moving to the new wallet",
        "--actor", "comms-sato",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "note translated for BTC withdrawal; no alert sent"
    assert cli("translations").stdout.strip() == "every text customers read has its English"
    assert _rows(db_path, "SELECT COUNT(*) FROM events") == events  # no alert
    assert _rows(
        db_path, "SELECT subject, subject_key, field, new_text, actor FROM translations"
    ) == [("status_note", "BTC/withdrawal", "note_en", "Moving to the new wallet", "comms-sato")]
    assert _rows(db_path, "SELECT note_en FROM status_history ORDER BY id DESC LIMIT 1") == [
        ("Moving to the new wallet",)
    ]


def test_an_order_gets_its_english_summary(cli: Cli, db_path: Path) -> None:
    added = cli(
        "orders", "add", "--issuer", "関東財務局", "--action", "report_order",
        "--issued-on", "2026-11-30", "--summary", "報告を求める",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = cli("translations").stdout
    assert "order_summary" in listed and "order_issuer" in listed
    order_id = added.stdout.split()[1]
    done = cli(
        "translate", "order", order_id, "--summary-en", "A report is ordered",
        "--issuer-en", "Kanto Local Finance Bureau",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert cli("translations").stdout.strip() == "every text customers read has its English"
    fields = _rows(db_path, "SELECT field FROM translations ORDER BY id")
    assert fields == [("summary_en",), ("issuer_en",)]


def test_refusals_exit_2_and_write_nothing(cli: Cli, db_path: Path) -> None:
    assert cli("status").returncode == 0
    before = _rows(db_path, "SELECT COUNT(*) FROM status_history")
    reopen = cli(
        "status", "set", "BTC", "--deposit", "operational", "--reason", "other",
        "--expected-reopen", "2026-12-01 10:00",
    )  # fmt: skip
    assert reopen.returncode == 2
    assert reopen.stderr.strip().endswith("leave it out when setting operational")
    assert len(reopen.stderr.strip().splitlines()) == 1
    assert _rows(db_path, "SELECT COUNT(*) FROM status_history") == before
    for args in (
        ("translate", "status", "DOGE", "both", "--note-en", "x"),
        ("translate", "status", "BTC", "sideways", "--note-en", "x"),
        ("translate", "status", "BTC", "both", "--note-en", "x" * 501),
        ("translate", "order", "999", "--summary-en", "x"),
        ("translate", "order", "1"),
    ):
        result = cli(*args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, args
    assert _rows(db_path, "SELECT COUNT(*) FROM translations") == [(0,)]
    assert _rows(db_path, "SELECT COUNT(*) FROM status_history WHERE note_en = 'x'") == [(0,)]


def test_a_maintenance_note_gets_its_english_and_the_calendar_moves_on(
    cli: Cli, db_path: Path
) -> None:
    scheduled = cli(
        "maintenance", "schedule", "--assets", "BTC", "--direction", "both",
        "--starts", "2031-01-05 10:00", "--ends", "2031-01-05 12:00",
        "--reason", "wallet_upgrade", "--note", "ウォレット更新",
    )  # fmt: skip
    assert scheduled.returncode == 0, scheduled.stderr
    assert "maintenance_note" in cli("translations").stdout
    [(sequence,)] = _rows(db_path, "SELECT sequence FROM maintenances WHERE id = 1")
    done = cli("translate", "maintenance", "1", "--note-en", "Wallet upgrade")
    assert done.returncode == 0, done.stderr
    assert cli("translations").stdout.strip() == "every text customers read has its English"
    assert _rows(db_path, "SELECT note_en, sequence FROM maintenances WHERE id = 1") == [
        ("Wallet upgrade", int(str(sequence)) + 1)
    ]
    missing = cli("translate", "maintenance", "9", "--note-en", "x")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
