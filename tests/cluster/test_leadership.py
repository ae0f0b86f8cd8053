"""Two service processes on one SQLite file: one leads, the other stands by and takes over when
the leader stops, is killed, or cannot renew its lease in time."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bot.app import Application
from bot.cluster import LEADER, STANDBY
from bot.delivery.dispatcher import Dispatcher
from bot.settings import ClusterSettings, Settings, WebSettings
from tests.delivery.support import wait_for

LEASE = 1.5


def _settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "cluster": ClusterSettings(lease_seconds=LEASE),
            "web": WebSettings(port=0),
        }
    )


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Application]:
    app = await Application.open(settings)
    try:
        await app.start()
        yield app
    finally:
        await app.stop()


def _role(app: Application) -> str:
    assert app.leadership is not None
    return app.leadership.role


def _dispatching(app: Application) -> bool:
    return any(isinstance(c, Dispatcher) for c in app.components)


async def _health(app: Application) -> dict[str, object]:
    from bot.web import WebServer

    url = next(c for c in app.components if isinstance(c, WebServer)).url
    async with aiohttp.ClientSession() as session:
        async with session.get(url + "healthz") as response:
            assert response.status == 200
            body = await response.json()
    cluster = body["checks"]["cluster"]
    assert isinstance(cluster, dict)
    return cluster


async def _metrics(app: Application) -> str:
    from bot.web import WebServer

    url = next(c for c in app.components if isinstance(c, WebServer)).url
    async with aiohttp.ClientSession() as session, session.get(url + "metrics") as response:
        assert response.status == 200
        return await response.text()


async def test_the_second_process_stands_by_and_takes_over_a_clean_stop(
    settings: Settings,
) -> None:
    tuned = _settings(settings)
    first = await Application.open(tuned)
    await first.start()
    try:
        async with started(tuned) as second:
            assert _role(first) == LEADER and _dispatching(first)
            assert _role(second) == STANDBY and not _dispatching(second)
            seen = await _health(second)
            assert first.leadership is not None
            assert seen["role"] == STANDBY and seen["leader"] == first.leadership.identity
            assert (await _health(first))["role"] == LEADER
            metrics = await _metrics(second)
            assert second.leadership is not None
            assert (
                f'bot_cluster_info{{identity="{second.leadership.identity}",'
                f'leader="{first.leadership.identity}",role="standby"}} 1.0'
            ) in metrics
            assert "bot_cluster_leader 0.0" in metrics
            term = first.leadership.term
            await first.stop()
            took = await wait_for(lambda: _role(second) == LEADER, LEASE, "the takeover")
            await wait_for(lambda: _dispatching(second), 2, "the dispatcher")
            assert second.leadership is not None and second.leadership.term == term + 1
            assert (await _health(second))["term"] == term + 1
            assert took < LEASE / 3 + 0.5  # a released lease is taken at the next try
    finally:
        if first.leadership is not None and first.leadership in first.components:
            await first.stop()


async def test_a_leader_that_cannot_renew_stands_down_before_its_lease_runs_out(
    settings: Settings, db_path: Path
) -> None:
    tuned = _settings(settings)
    async with started(tuned) as app:
        assert app.leadership is not None and _role(app) == LEADER
        # Another process holds the database's write lock longer than the lease.
        blocker = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            locked_at = time.monotonic()
            await wait_for(lambda: _role(app) == STANDBY, LEASE * 2, "the stand-down")
            stood_down = time.monotonic() - locked_at
            assert not _dispatching(app)
            await asyncio.sleep(LEASE * 0.6)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # Within the lease it last renewed (at most a third of a lease before the lock).
        assert stood_down < LEASE
        # With the database back, it takes the lease again (a new term) and leads.
        await wait_for(lambda: _dispatching(app), LEASE * 2, "the return")
        assert _role(app) == LEADER and app.leadership.term == 2


async def test_a_killed_leader_is_replaced_within_one_lease(
    settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        {
            "BOT_DATABASE__PATH": str(db_path),
            "BOT_WEB__PORT": "0",
            "BOT_FEEDS__SOURCES": "[]",
            "BOT_CLUSTER__LEASE_SECONDS": str(LEASE),
        }
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        while b"delivery started" not in await asyncio.wait_for(process.stderr.readline(), 20):
            pass
        async with started(_settings(settings)) as standby:
            assert _role(standby) == STANDBY
            process.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            await process.wait()
            await wait_for(lambda: _role(standby) == LEADER, LEASE * 2, "the takeover")
            took = time.monotonic() - killed
            await wait_for(lambda: _dispatching(standby), 2, "the dispatcher")
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert took <= LEASE + 0.3
