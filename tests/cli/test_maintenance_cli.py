"""CLI: `maintenance`, `maintenance schedule|cancel|extend`, through `main`; every refusal is
one line on stderr, exit code 2, and nothing written."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import JST, utcnow


@pytest.fixture
def env(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BOT_DATABASE__PATH", str(db_path))
    monkeypatch.setenv("BOT_FEEDS__SOURCES", "[]")
    return db_path


def jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT (SELECT COUNT(*) FROM maintenances), (SELECT COUNT(*) FROM events),"
            " (SELECT COUNT(*) FROM maintenance_pairs)"
        ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _schedule(starts: datetime, ends: datetime, assets: str = "btc,MONA", *more: str) -> int:
    return main(
        [
            "maintenance",
            "schedule",
            "--assets",
            assets,
            "--direction",
            "both",
            "--starts",
            jst(starts),
            "--ends",
            jst(ends),
            "--reason",
            "network_upgrade",
            "--note",
            "ハードフォーク対応",
            *more,
        ]
    )


def test_schedule_list_extend_and_cancel(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    assert _schedule(starts, starts + timedelta(hours=2), "btc,MONA", "--note-en", "Fork") == 0
    out = capsys.readouterr().out
    assert out.startswith("maintenance 1 scheduled: BTC, MONA both, ")
    assert _counts(env) == (1, 1, 4)

    assert main(["maintenance"]) == 0
    listing = capsys.readouterr().out
    assert "scheduled" in listing and "BTC,MONA" in listing and f"{jst(starts)} JST" in listing

    new_end = starts + timedelta(hours=3)
    assert main(["maintenance", "extend", "1", "--ends", jst(new_end)]) == 0
    assert f"-> {jst(new_end)} JST" in capsys.readouterr().out
    assert main(["maintenance", "cancel", "1"]) == 0
    assert capsys.readouterr().out.startswith("maintenance 1 cancelled; event ")
    with sqlite3.connect(env) as conn:
        state, sequence = conn.execute("SELECT state, sequence FROM maintenances").fetchone()
    assert (state, sequence) == ("cancelled", 2)
    assert main(["maintenance"]) == 0
    assert "BTC" not in capsys.readouterr().out


def test_every_refusal_is_one_line_exit_2_and_nothing_written(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    assert _schedule(starts, starts + timedelta(hours=2)) == 0
    capsys.readouterr()
    before = _counts(env)

    def refused(code: int) -> str:
        assert code == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1
        assert _counts(env) == before
        return captured.err.strip()

    text = refused(_schedule(starts + timedelta(hours=5), starts + timedelta(hours=4)))
    assert text == (
        f"exchange-status-bot: error: the end {jst(starts + timedelta(hours=4))} JST is not"
        f" after the start {jst(starts + timedelta(hours=5))} JST"
    )
    past = utcnow() - timedelta(minutes=10)
    text = refused(_schedule(past, past + timedelta(hours=1)))
    assert text.endswith(f"the start {jst(past)} JST is more than 5 minutes in the past")
    text = refused(_schedule(starts + timedelta(hours=1), starts + timedelta(hours=3), "mona"))
    assert "overlaps maintenance #1 (BTC, MONA both," in text
    text = refused(_schedule(starts + timedelta(hours=5), starts + timedelta(hours=6), "xem"))
    assert text == "exchange-status-bot: error: unknown asset: 'xem'"
    text = refused(main(["maintenance", "extend", "1", "--ends", jst(starts)]))
    assert "is not after the current end" in text
    text = refused(main(["maintenance", "cancel", "9"]))
    assert text == "exchange-status-bot: error: no such maintenance: 9"
