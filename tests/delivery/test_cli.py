"""Webhook subscriptions from the command line: added with a secret shown once, listed, removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.domain import TargetKind
from bot.store import Database


def cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE__PATH"] = str(db_path)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=db_path.parent.parent,
        capture_output=True,
        text=True,
        timeout=30,
    )


async def test_add_list_and_remove_a_webhook(db_path: Path) -> None:
    added = cli(
        db_path,
        "subscriptions",
        "add-webhook",
        "https://hooks.example.jp/zaif",
        "--assets",
        "btc,Mona",
        "--events",
        "status",
        "--locale",
        "en",
    )
    assert added.returncode == 0, added.stderr
    secret = added.stdout.split("signing secret (shown only now): ")[1].split()[0]
    assert len(secret) >= 40
    db = await Database.open(db_path)
    try:
        sub = await db.repos.subscriptions.find(TargetKind.WEBHOOK, "https://hooks.example.jp/zaif")
    finally:
        await db.close()
    assert sub is not None and sub.secret == secret and sub.assets == {"BTC", "MONA"}
    listing = cli(db_path, "subscriptions")
    assert "https://hooks.example.jp/zaif" in listing.stdout and "BTC,MONA" in listing.stdout
    assert secret not in listing.stdout  # shown once, never again
    removed = cli(db_path, "subscriptions", "remove", str(sub.id))
    assert removed.returncode == 0 and "removed subscription" in removed.stdout
    assert "hooks.example.jp" not in cli(db_path, "subscriptions").stdout


def test_bad_input_is_one_line_and_writes_nothing(db_path: Path) -> None:
    for args in (
        ("subscriptions", "add-webhook", "ftp://example.com/x"),
        ("subscriptions", "add-webhook", "https://example.com/x", "--assets", "ETH"),
        ("subscriptions", "add-webhook", "https://example.com/x", "--events", "everything"),
        ("subscriptions", "remove", "99"),
    ):
        result = cli(db_path, *args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and "error" in result.stderr
    assert "example.com" not in cli(db_path, "subscriptions").stdout
