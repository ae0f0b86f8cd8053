"""Webhook subscriptions from the command line: added with a secret shown once, listed, removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.domain import TargetKind
from bot.store import open_database


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
    db = await open_database(db_path)
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


async def test_quiet_hours_a_digest_and_back_to_instant_for_a_webhook(db_path: Path) -> None:
    added = cli(db_path, "subscriptions", "add-webhook", "https://hooks.example.jp/night")
    assert added.returncode == 0, added.stderr
    sub_id = added.stdout.split("webhook subscription ")[1].split()[0]
    quiet = cli(db_path, "subscriptions", "quiet", sub_id, "23:00", "7:00")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.endswith(": quiet 23:00-07:00 JST\n")
    assert "quiet 23:00-07:00 JST" in cli(db_path, "subscriptions").stdout
    digest = cli(db_path, "subscriptions", "digest", sub_id, "08:30")
    assert digest.stdout.endswith(": digest at 08:30 JST\n")
    for args in (
        ("subscriptions", "quiet", sub_id, "23:00", "23:00"),
        ("subscriptions", "quiet", sub_id, "25:00", "07:00"),
        ("subscriptions", "digest", sub_id, "8"),
        ("subscriptions", "instant", "99"),
    ):
        refused = cli(db_path, *args)
        assert refused.returncode == 2, args
        assert refused.stderr.count("\n") == 1 and "error" in refused.stderr
    assert "digest at 08:30 JST" in cli(db_path, "subscriptions").stdout  # nothing written
    instant = cli(db_path, "subscriptions", "instant", sub_id)
    assert instant.stdout.endswith(": instant\n")
    db = await open_database(db_path)
    try:
        sub = await db.repos.subscriptions.get(int(sub_id))
    finally:
        await db.close()
    assert sub is not None and sub.mode.value == "instant" and sub.digest_at is None
