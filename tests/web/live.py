"""A real running service (Application with its web component on a free port) for the tests."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bot.app import Application
from bot.settings import Settings
from bot.web import WebServer

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT_SECONDS = 60
# What "within the poll interval" allows on a busy test machine: one rebuild and one request.
VISIBILITY_MARGIN_SECONDS = 1.0


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


async def seen_within(
    session: aiohttp.ClientSession, url: str, wanted: Callable[[str], bool], seconds: float
) -> float:
    """Fetch `url` until its text satisfies `wanted`; how long that took (fails past `seconds`)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        async with session.get(url) as response:
            if wanted(await response.text()):
                return loop.time() - started
        elapsed = loop.time() - started
        assert elapsed < seconds, f"{url} did not show the change within {seconds} s"
        await asyncio.sleep(0.05)


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
