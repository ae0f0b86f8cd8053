"""A real running service (Application with its web component on a free port) for the tests."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import Application
from bot.settings import Settings
from bot.web import WebServer

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT_SECONDS = 60


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[Application, str]]:
    """The service as `python -m bot run` builds it; yields it with the page's URL."""
    app = await Application.open(settings)
    try:
        await app.start()
        web = next(c for c in app.components if isinstance(c, WebServer))
        yield app, web.url
    finally:
        await app.stop()


async def cli(db_path: Path, *args: str) -> tuple[int, str, str]:
    """`python -m bot ...` in a child process, on the given database file."""
    env = {**os.environ, "BOT_DATABASE__PATH": str(db_path), "BOT_DISCORD__TOKEN": ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), CLI_TIMEOUT_SECONDS)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
