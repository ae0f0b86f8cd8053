"""What the benches that run on either engine share: the `--engine` option and a scratch
database, a SQLite file in a temporary folder or a PostgreSQL database dropped afterwards."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.settings import DatabaseSettings
from tests.pg import fresh_database, server_url, unreachable_reason

ENGINES = ("sqlite", "postgresql")


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="sqlite",
        help="SQLite (a temporary file) or PostgreSQL (a scratch database on the server of "
        "BOT_TEST_DATABASE_URL, by default 127.0.0.1:5432, dropped afterwards)",
    )


@asynccontextmanager
async def scratch_postgres() -> AsyncIterator[str]:
    """The URL of a new database named bench_<random>, dropped afterwards."""
    reason = unreachable_reason(server_url())
    if reason is not None:
        raise SystemExit(f"{reason}; set BOT_TEST_DATABASE_URL to use another server")
    async with fresh_database(prefix="bench") as url:
        yield url


@asynccontextmanager
async def scratch_settings(engine: str) -> AsyncIterator[DatabaseSettings]:
    """Settings for a new, empty database on `engine`, removed afterwards."""
    if engine == "postgresql":
        async with scratch_postgres() as url:
            yield DatabaseSettings(url=url)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            yield DatabaseSettings(path=Path(folder) / "bench.sqlite3")


def service_database_env(settings: DatabaseSettings) -> dict[str, str]:
    """The environment variables that point `python -m bot run` at the same database."""
    if settings.url is not None:
        return {"BOT_DATABASE__URL": settings.url}
    return {"BOT_DATABASE__PATH": str(settings.path)}
