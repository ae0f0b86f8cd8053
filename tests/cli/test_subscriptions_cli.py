"""CLI: `subscriptions import FILE.csv [--dry-run]` and `subscriptions export [--out FILE.csv]`,
in a subprocess as an operator runs them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.services.subscriber_files import COLUMNS
from tests.cli.conftest import Cli

ROWS = [
    "dm,100000000000000001,BTC;MONA,status,ja,quiet,23:00,07:00,",
    "channel,900000000000000001,all,all,en,digest,,,08:00",
    "webhook,https://hooks.example.org/a,all,incidents,en,instant,,,",
]


def written(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM subscriptions").fetchone()[0])


def test_import_then_export_through_the_cli(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "subscribers.csv"
    # As a spreadsheet saves it: a byte-order mark, CRLF line ends.
    source.write_text("\ufeff" + "\r\n".join([",".join(COLUMNS), *ROWS]) + "\r\n", "utf-8")
    dry = cli("subscriptions", "import", str(source), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would add 3 subscription(s); would keep 0 existing target(s)")
    assert written(db_path) == 0

    done = cli("subscriptions", "import", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("added 3 subscription(s); kept 0 existing target(s)\n")
    [secret_line] = [line for line in done.stdout.splitlines() if line.startswith("https://")]
    secret = secret_line.split()[1]

    out = tmp_path / "export.csv"
    exported = cli("subscriptions", "export", "--out", str(out))
    assert exported.stdout.strip() == f"exported 3 subscription(s) to {out}"
    assert out.read_text("utf-8") == "\n".join([",".join(COLUMNS), *ROWS]) + "\n"
    printed = cli("subscriptions", "export")
    assert printed.stdout == out.read_text("utf-8")
    assert secret not in printed.stdout

    again = cli("subscriptions", "import", str(out))
    assert again.stdout.strip() == "added 0 subscription(s); kept 3 existing target(s)"


def test_a_bad_file_is_refused_with_every_bad_line_and_nothing_written(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "subscribers.csv"
    bad = [*ROWS, "dm,100000000000000002,DOGE,all,ja,instant,,,", "dm,x,all,all,ja,instant,,,"]
    source.write_text("\n".join([",".join(COLUMNS), *bad]) + "\n", "utf-8")
    refused = cli("subscriptions", "import", str(source))
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "exchange-status-bot: error: the file was refused, nothing was written (2 bad row(s)):",
        "line 5: assets: unknown DOGE",
        "line 6: target: dm wants a Discord id (digits), not 'x'",
    ]
    assert written(db_path) == 0
    missing = cli("subscriptions", "import", str(tmp_path / "nowhere.csv"))
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("nowhere.csv: No such file or directory")
