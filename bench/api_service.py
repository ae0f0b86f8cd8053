"""What the back-office benches share: `python -m bot run` on a scratch database with its web
front end on a free port, a token of every scope, and the rate limit out of the way."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.databases import service_database_env
from bot.services.tokens import Scope
from bot.settings import DatabaseSettings

START_SECONDS = 60


@dataclass
class Running:
    url: str  # ends in /
    token: str
    env: dict[str, str]
    folder: Path


async def run_cli(env: dict[str, str], folder: Path, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"`{' '.join(args)}` failed: {err.decode().strip()}")
    return out.decode()


@asynccontextmanager
async def api_service(database: DatabaseSettings) -> AsyncIterator[Running]:
    """The service on `database` (migrated and seeded by the CLI first), its log in a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= service_database_env(database) | {
        "BOT_WEB__PORT": "0",
        "BOT_FEEDS__SOURCES": "[]",
        "BOT_LOG_LEVEL": "WARNING",
        "BOT_API__RATE_PER_SECOND": "100000",  # the bench measures the service, not the limit
        "BOT_API__BURST": "100000",
    }
    with tempfile.TemporaryDirectory(prefix="bench-api-") as name:
        folder = Path(name)
        scopes = ",".join(s.value for s in Scope)
        created = await run_cli(env, folder, "tokens", "create", "bench", "--scopes", scopes)
        token = created.split("token (shown only now): ")[1].split()[0]
        log = folder / "service.log"
        with log.open("w") as written:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env={**env, "BOT_LOG_LEVEL": "INFO"},
                cwd=folder,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=written,
            )
        try:
            url = ""
            for _ in range(START_SECONDS * 10):
                if found := re.search(r"status page at (http://\S+/)", log.read_text()):
                    url = found.group(1)
                    break
                if process.returncode is not None:
                    raise SystemExit("the service exited:\n" + log.read_text()[-2000:])
                await asyncio.sleep(0.1)
            if not url:
                raise SystemExit("the service did not start")
            yield Running(url, token, env, folder)
        finally:
            if process.returncode is None:
                process.terminate()
                await process.wait()
