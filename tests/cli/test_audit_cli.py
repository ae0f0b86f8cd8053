"""`audit verify` and `audit anchor` through the real CLI, on SQLite and PostgreSQL: the chain
passes, then a payload changed in the database is named with its field, an anchor saved before
still holds or fails as it should, and a deleted event row is named as a gap."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import psycopg
import pytest

from tests.pg import fresh_database

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield "sqlite", str(tmp_path / "bot.sqlite3")
        return
    async with fresh_database() as url:
        yield "postgresql", url


def runner(engine: tuple[str, str], folder: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    kind, where = engine
    env["BOT_DATABASE__PATH" if kind == "sqlite" else "BOT_DATABASE__URL"] = where

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            capture_output=True, text=True, cwd=folder, env=env, timeout=60,
        )  # fmt: skip

    return run


def sql(engine: tuple[str, str], *statements: str) -> list[tuple[object, ...]]:
    """Straight into the database, as someone with its password would (no foreign keys, no
    triggers: a tamperer would switch them off too)."""
    kind, where = engine
    if kind == "sqlite":
        with sqlite3.connect(where) as conn:
            rows = [tuple(r) for s in statements for r in conn.execute(s).fetchall()]
        return rows
    with psycopg.connect(where, autocommit=True) as pg:
        pg.execute("SET session_replication_role = replica")
        found: list[tuple[object, ...]] = []
        for statement in statements:
            cursor = pg.execute(statement)
            found += cursor.fetchall() if cursor.description else []
        return found


def day(run: Run) -> None:
    """A few of each kind of event, and a translation added later."""
    for args in (
        ("status", "set", "BTC", "--deposit", "operational", "--reason", "maintenance",
         "--note", "ウォレット確認済み"),
        ("status", "set", "MONA", "--withdrawal", "delayed", "--reason", "network_congestion"),
        ("incidents", "open", "--title", "出金遅延", "--message", "調査中です", "--impact",
         "minor", "--assets", "MONA"),
        ("maintenance", "schedule", "--assets", "BCH", "--direction", "deposit", "--starts",
         "2030-02-01 10:00", "--ends", "2030-02-01 12:00", "--reason", "wallet_upgrade"),
        ("orders", "add", "--issuer", "近畿財務局", "--action", "report_order", "--issued-on",
         "2030-01-10"),
        ("translate", "status", "BTC", "deposit", "--note-en", "Wallet checked"),
        ("status", "set", "MONA", "--withdrawal", "operational", "--reason",
         "network_congestion"),
    ):  # fmt: skip
        done = run(*args)
        assert done.returncode == 0, (args, done.stderr)


INTACT = re.compile(r"^(\d+) events, chain intact, head ([0-9a-f]{64})$")


async def test_verify_finds_a_changed_payload_and_a_deleted_row(
    engine: tuple[str, str], tmp_path: Path
) -> None:
    run = runner(engine, tmp_path)
    day(run)
    done = run("audit", "verify")
    assert done.returncode == 0, done.stderr
    intact = INTACT.match(done.stdout.strip())
    assert intact, done.stdout
    total, head = int(intact[1]), intact[2]
    events = [
        (int(str(a)), int(str(b)))
        for a, b in sql(engine, "SELECT id, chain_seq FROM events ORDER BY id")
    ]
    assert len(events) >= 6 and total == len(events) + 1  # the translation is an entry too
    anchor = run("audit", "anchor").stdout.strip()
    assert anchor.endswith(f"events={total} head={head}")

    # One event's payload edited in place: verify names it and the field.
    target_id, target_seq = events[2]
    payload = sql(engine, f"SELECT payload FROM events WHERE id = {target_id}")[0][0]
    sql(engine, f"UPDATE events SET payload = '{{\"edited\": true}}' WHERE id = {target_id}")
    done = run("audit", "verify")
    assert done.returncode == 1
    assert done.stdout.strip() == (
        f"event {target_seq} (event row {target_id}) does not match the chain:"
        " payload differ(s) from when it was chained"
    )
    assert run("audit", "verify", "--anchor", anchor).returncode == 1
    # Verifying only the part before the edit still passes.
    assert run("audit", "verify", "--head", head, "--at-event", str(total)).returncode == 1
    before = run("audit", "verify", "--from-event", str(target_seq + 1))
    assert before.returncode == 0, before.stdout

    # Put back byte for byte: intact again, and the saved anchor holds.
    sql(engine, "UPDATE events SET payload = '{}' WHERE id = {}".format(
        str(payload).replace("'", "''"), target_id))  # fmt: skip
    assert INTACT.match(run("audit", "verify").stdout.strip())
    done = run("audit", "verify", "--anchor", anchor)
    assert done.returncode == 0 and done.stdout.strip().endswith(f"at event {total}")

    # An event row deleted (and what referred to it): verify names the gap.
    gone_id, gone_seq = events[1]
    sql(
        engine,
        f"DELETE FROM deliveries WHERE event_id = {gone_id}",
        f"UPDATE status_history SET event_id = NULL WHERE event_id = {gone_id}",
        f"UPDATE incident_updates SET event_id = NULL WHERE event_id = {gone_id}",
        f"DELETE FROM events WHERE id = {gone_id}",
    )
    done = run("audit", "verify")
    assert done.returncode == 1
    assert done.stdout.strip().startswith(
        f"gap in the chain: event {gone_seq} missing (a deleted row)"
    )
    # The last row deleted too: the stored head still counts it.
    last_id = events[-1][0]
    sql(engine, f"UPDATE status_history SET event_id = NULL WHERE event_id = {last_id}",
        f"DELETE FROM deliveries WHERE event_id = {last_id}",
        f"DELETE FROM events WHERE id = {last_id}")  # fmt: skip
    done = run("audit", "verify", "--from-event", str(gone_seq + 2))
    assert done.returncode == 1 and "missing at the end" in done.stdout


def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    run = runner(("sqlite", str(tmp_path / "bot.sqlite3")), tmp_path)
    for args, said in (
        (("--head", "abc", "--at-event", "1"), "not a SHA-256 hash"),
        (("--head", "0" * 64), "--head and --at-event go together"),
        (("--anchor", "hello"), "not an audit anchor line"),
        (("--from-event", "0"), "counts from 1"),
    ):
        done = run("audit", "verify", *args)
        assert done.returncode == 2, args
        assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1
