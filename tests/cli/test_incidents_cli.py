"""CLI: `incidents`, `incidents show|open|update|resolve|translate`, and every refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def env(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("BOT_DATABASE__PATH", str(db_path))
    monkeypatch.setenv("BOT_FEEDS__SOURCES", "[]")
    return db_path


def _counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(
            int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("incidents", "incident_updates", "events", "deliveries")
        )


def _one(path: Path, sql: str) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def test_the_seeded_incident_in_the_table_and_in_full(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["incidents"]) == 0
    table = capsys.readouterr().out
    assert "identified" in table and "critical" in table
    assert "2018-09-14 17:00 JST" in table
    assert main(["incidents", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "incident 1: Zaif 仮想通貨不正流出(BTC・MONA・BCH)" in shown
    assert shown.count("\nupdate ") == 5
    assert "update 4  2018-09-20 00:00 JST  identified" in shown
    assert "5966.1" in shown and "4,250,000,000" in shown


def test_open_update_resolve_postmortem_and_translate(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "incidents",
            "open",
            "--title",
            "MONA入金の遅延",
            "--message",
            "MONAの入金が遅れています。",
            "--impact",
            "minor",
            "--assets",
            "mona,BCH",
            "--actor",
            "ops",
        ]
    )
    assert code == 0
    assert "incident 2 opened; alert event 1 queued" in capsys.readouterr().out
    assert _one(
        env, "SELECT stage, impact, all_assets, assets, created_by FROM incidents WHERE id = 2"
    ) == ("investigating", "minor", 0, '["MONA", "BCH"]', "ops")
    steps = [
        ["update", "2", "--stage", "monitoring", "--message", "様子見", "--message-en", "Watching"],
        ["resolve", "2", "--message", "解決"],
        ["update", "2", "--stage", "postmortem", "--message", "事後報告"],
    ]
    for step in steps:
        assert main(["incidents", *step]) == 0, step
    out = capsys.readouterr().out
    assert "incident 2: postmortem; alert event 4 queued" in out
    assert _one(env, "SELECT COUNT(*) FROM events WHERE kind = 'incident'") == (4,)
    before = _counts(env)
    assert main(["incidents", "translate", "6", "--message-en", "MONA deposits are slow."]) == 0
    assert "update 6 of incident 2 translated; no alert sent" in capsys.readouterr().out
    assert _counts(env) == before
    assert _one(env, "SELECT message_en, translated_by FROM incident_updates WHERE id = 6")[0] == (
        "MONA deposits are slow."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["update", "2", "--stage", "monitoring", "--message", "続報"],
            "incident #2 is resolved: only a postmortem may follow",
        ),
        (["resolve", "2", "--message", "再び"], "incident #2 is resolved already"),
        (["update", "42", "--stage", "identified", "--message", "続報"], "no incident #42"),
        (["resolve", "42", "--message", "解決"], "no incident #42"),
        (["translate", "99", "--message-en", "x"], "no incident update #99"),
        (
            ["update", "1", "--stage", "identified", "--message", "あ" * 2001],
            "the message is 2001 characters; at most 2000 are allowed",
        ),
        (
            ["open", "--title", "件名", "--message", "x" * 2001],
            "the message is 2001 characters; at most 2000 are allowed",
        ),
        (
            ["open", "--title", "件名", "--message", "本文", "--assets", "DOGE"],
            "unknown asset: 'DOGE'",
        ),
    ],
)
def test_refusals_are_one_line_exit_2_and_write_nothing(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["incidents", "open", "--title", "件名", "--message", "本文"]) == 0
    assert main(["incidents", "resolve", "2", "--message", "解決"]) == 0
    capsys.readouterr()
    before = _counts(env)
    assert main(["incidents", *args]) == 2
    err = capsys.readouterr().err
    assert err == f"exchange-status-bot: error: {message}\n"
    assert _counts(env) == before


def test_an_unknown_stage_is_refused_by_the_parser(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["incidents", "update", "1", "--stage", "closed", "--message", "x"])
    assert stop.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
