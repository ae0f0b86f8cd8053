"""CLI: `tokens create NAME --scopes ...` prints the token once, `tokens` lists without it,
`tokens revoke NAME`; only the token's SHA-256 is in the database; refusals are one line."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli


def test_create_list_and_revoke(cli: Cli, db_path: Path) -> None:
    created = cli("tokens", "create", "wallet-monitor", "--scopes", "status, Heartbeats")
    assert created.returncode == 0, created.stderr
    [secret] = re.findall(r"esb_[A-Za-z0-9_-]+", created.stdout)
    assert len(secret) == len("esb_") + 43  # 32 random bytes, URL-safe base64 unpadded
    assert "heartbeats,status" in created.stdout
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT * FROM api_tokens").fetchall()
        dump = "\n".join(conn.iterdump())
    assert secret not in dump
    assert hashlib.sha256(secret.encode()).hexdigest() in dump
    assert len(rows) == 1
    listing = cli("tokens")
    assert listing.returncode == 0
    assert "wallet-monitor" in listing.stdout and "heartbeats,status" in listing.stdout
    assert secret not in listing.stdout and "live" in listing.stdout
    revoked = cli("tokens", "revoke", "wallet-monitor")
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert "revoked 20" in cli("tokens").stdout


def test_refusals_are_one_line_exit_2_and_write_nothing(cli: Cli, db_path: Path) -> None:
    assert cli("tokens", "create", "ops", "--scopes", "status").returncode == 0
    for args, says in [
        (("tokens", "create", "ops", "--scopes", "status"), "exists"),
        (("tokens", "create", "new", "--scopes", "status,root"), "unknown scope 'root'"),
        (("tokens", "create", "new", "--scopes", " , "), "at least one scope"),
        (("tokens", "create", "Has Space", "--scopes", "status"), "a token's name"),
        (("tokens", "revoke", "nobody"), "no such token"),
    ]:
        result = cli(*args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name FROM api_tokens").fetchall() == [("ops",)]
