"""Every CLI command on PostgreSQL (BOT_DATABASE__URL), in the order an operator would use them
through an incident; the tour must cover every command the parser knows."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

import psycopg

from bot.cli import build_parser

# Not in the tour: `run` is the service (tests/cluster), `port-db` fills an empty database
# (tests/cli/test_port_db.py).
ELSEWHERE = {"run", "port-db"}


def commands_of(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[str]:
    """Every command path the parser knows: `status`, `status set`, `orders add`, ..."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                path = (*prefix, name)
                found.add(" ".join(path))
                found |= commands_of(child, path)
    return found


class Tour:
    def __init__(self, url: str, folder: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        self.env["BOT_DATABASE__URL"] = url
        self.env["BOT_DATABASE__PATH"] = str(folder / "never-created.sqlite3")
        self.folder = folder
        self.covered: set[str] = set()

    async def __call__(self, *args: str, code: int = 0) -> str:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env=self.env,
            timeout=60,
        )
        assert done.returncode == code, f"{args}: {done.stderr}"
        words = [a for a in args if not a.startswith("-")]
        for n in range(1, 3):
            self.covered.add(" ".join(words[:n]))
        return done.stdout if code == 0 else done.stderr


async def scalar(url: str, sql: str) -> int:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        row = await (await conn.execute(sql)).fetchone()
    assert row is not None
    return int(row[0])


async def test_every_command_works_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    cli = Tour(pg_url, tmp_path)
    table = await cli("status")
    assert len(table.splitlines()[2:]) == 11 and table.count("suspended") == 22
    out = await cli("status", "set", "BTC", "--deposit", "operational", "--reason",
                    "maintenance", "--note", "ウォレット確認済み")  # fmt: skip
    assert "BTC deposit: suspended -> operational" in out
    assert "ウォレット確認済み" in await cli("history", "btc")
    assert "business_improvement" in await cli("orders")
    out = await cli("orders", "add", "--issuer", "近畿財務局", "--action", "report_order",
                    "--issued-on", "2030-01-10", "--report-due", "2030-01-20")  # fmt: skip
    order = await scalar(pg_url, "SELECT MAX(id) FROM orders")
    assert order == 4, out
    await cli("orders", "set-status", str(order), "reported")
    assert "1" in await cli("incidents")
    assert "investigating" in await cli("incidents", "show", "1")
    await cli("incidents", "open", "--title", "出金遅延", "--message", "調査中です",
              "--impact", "minor", "--assets", "BTC")  # fmt: skip
    incident = await scalar(pg_url, "SELECT MAX(id) FROM incidents")
    await cli("incidents", "update", str(incident), "--stage", "identified", "--message", "特定")
    await cli("incidents", "resolve", str(incident), "--message", "解決しました")
    update = await scalar(pg_url, "SELECT MAX(id) FROM incident_updates")
    await cli("incidents", "translate", str(update), "--message-en", "Resolved")
    await cli("feeds")
    await cli("maintenance", "schedule", "--assets", "MONA", "--direction", "deposit",
              "--starts", "2030-02-01 10:00", "--ends", "2030-02-01 12:00",
              "--reason", "wallet_upgrade", "--note", "ウォレット更新")  # fmt: skip
    window = await scalar(pg_url, "SELECT MAX(id) FROM maintenances")
    assert "2030-02-01" in await cli("maintenance")
    await cli("maintenance", "extend", str(window), "--ends", "2030-02-01 13:00")
    await cli("translate", "maintenance", str(window), "--note-en", "Wallet upgrade")
    await cli("maintenance", "cancel", str(window))
    await cli("translate", "status", "BTC", "deposit", "--note-en", "Wallet checked")
    await cli("translate", "order", str(order), "--issuer-en", "Kinki Local Finance Bureau")
    await cli("translations")
    await cli("subscriptions", "add-webhook", "https://example.org/hook", "--assets", "BTC")
    hook = await scalar(pg_url, "SELECT MAX(id) FROM subscriptions")
    await cli("subscriptions", "quiet", str(hook), "23:00", "07:00")
    await cli("subscriptions", "digest", str(hook), "08:00")
    await cli("subscriptions", "instant", str(hook))
    assert "example.org" in await cli("subscriptions")
    await cli("subscriptions", "remove", str(hook))
    # Nobody was subscribed when anything changed: no fan-out to show, and event 1 had none.
    assert "Nothing has been delivered yet." in await cli("deliveries")
    assert "event 1 has no deliveries" in await cli("deliveries", "1", code=2)
    created = await cli("tokens", "create", "wallet-monitor", "--scopes", "status,heartbeats")
    assert "token (shown only now): esb_" in created
    assert "wallet-monitor" in await cli("tokens")
    await cli("tokens", "revoke", "wallet-monitor")
    await cli("heartbeats", "add", "btc-node", "--assets", "btc", "--direction", "deposit",
              "--grace", "30", "--reason", "server_failure")  # fmt: skip
    assert "btc-node" in await cli("heartbeats")
    await cli("heartbeats", "remove", "btc-node")
    refused = await cli("backup", str(tmp_path / "copy"), code=2)
    assert "pg_dump" in refused and len(refused.strip().splitlines()) == 1
    assert not (tmp_path / "copy").exists() and not (tmp_path / "never-created.sqlite3").exists()
    # Nothing written by the tour went missing: what the commands said is in the database.
    assert await scalar(pg_url, "SELECT COUNT(*) FROM status_history WHERE actor LIKE 'cli%'") == 1
    assert await scalar(pg_url, "SELECT COUNT(*) FROM translations") == 4
    assert commands_of(build_parser()) - ELSEWHERE <= cli.covered
