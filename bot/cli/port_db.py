"""`port-db`: the SQLite database copied into an empty PostgreSQL database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.store import StoreError
from bot.store.porting import PortResult, port

from .table import render

COMMAND = "port-db"


def _postgresql_url(given: str) -> str:
    if not given.startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError("must be a postgresql:// URL")
    return given


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        COMMAND, help="copy the SQLite database into an empty PostgreSQL database (resumable)"
    )
    parser.add_argument(
        "--to",
        required=True,
        type=_postgresql_url,
        metavar="URL",
        help="postgresql://user@host/name",
    )
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="PATH",
        help="the SQLite file (default: BOT_DATABASE__PATH)",
    )


def report(result: PortResult) -> str:
    rows = [[c.name, str(c.source), str(c.target)] for c in result.counts]
    table = render(["table", "sqlite", "postgresql"], rows)
    verdict = "counts match" if result.matches else "COUNTS DIFFER"
    return (
        f"{table}\nported {result.rows} rows in {len(result.counts)} tables to {result.target}"
        f" in {result.seconds:.1f} s; {verdict}"
    )


async def run(args: argparse.Namespace, settings: Settings) -> str:
    result = await port(args.source or settings.database.path, args.to)
    if not result.matches:
        print(report(result))
        differ = ", ".join(
            f"{c.name} {c.source} vs {c.target}" for c in result.counts if c.source != c.target
        )
        raise StoreError(f"the counts differ after the port ({differ}); run port-db again")
    return report(result)
