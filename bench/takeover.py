"""How long a standby takes to lead after the leader is SIGKILLed, on one SQLite file or one
PostgreSQL database.

Run: .venv/bin/python -m bench.takeover [KILLS] [LEASE_SECONDS] [--engine postgresql]
Each round starts, on a new database (a temporary SQLite file, or a scratch PostgreSQL database
bench_<random> dropped afterwards), a leader (`python -m bot run`) and a standby in this process,
kills the leader at a random point of its renewal cycle and times kill → the standby leading →
its dispatcher running. The worst case is a full lease (the leader renewed just before it
died); the best, lease × 2/3.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import add_engine_option, scratch_settings, service_database_env
from bot.app import Application
from bot.cluster import LEADER
from bot.delivery.dispatcher import Dispatcher
from bot.settings import ClusterSettings, DatabaseSettings, FeedSettings, Settings, WebSettings
from tests.delivery.support import wait_for


async def one_round(folder: Path, database: DatabaseSettings, lease: float) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(service_database_env(database))
    env.update(
        {
            "BOT_WEB__ENABLED": "false",
            "BOT_FEEDS__SOURCES": "[]",
            "BOT_CLUSTER__LEASE_SECONDS": str(lease),
        }
    )
    leader = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=folder,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert leader.stderr is not None
    while b"delivery started" not in await asyncio.wait_for(leader.stderr.readline(), 30):
        pass
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=database,
        web=WebSettings(enabled=False),
        feeds=FeedSettings(sources=[]),
        cluster=ClusterSettings(lease_seconds=lease),
    )
    standby = await Application.open(settings)
    await standby.start()
    try:
        # Kill at a random point of the leader's renewal cycle.
        await asyncio.sleep(lease * (0.5 + (time.monotonic_ns() % 1000) / 1000))
        leader.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await leader.wait()
        lead = standby.leadership
        assert lead is not None
        await wait_for(lambda: lead.role == LEADER, lease * 3, "the takeover")
        leading = time.monotonic() - killed
        await wait_for(
            lambda: any(isinstance(c, Dispatcher) for c in standby.components), 5, "dispatching"
        )
        dispatching = time.monotonic() - killed
    finally:
        await standby.stop()
    return leading, dispatching


async def main(kills: int, lease: float, engine: str) -> None:
    leading, dispatching = [], []
    for number in range(1, kills + 1):
        # A new database each round, as a first start finds it.
        async with scratch_settings(engine) as database:
            with tempfile.TemporaryDirectory() as folder:
                lead, dispatch = await one_round(Path(folder), database, lease)
        leading.append(lead)
        dispatching.append(dispatch)
        print(f"kill {number}: leading after {lead:.2f} s, dispatching after {dispatch:.2f} s")
    print(
        f"{engine}, lease {lease:g} s, {kills} kills: leading after median"
        f" {statistics.median(leading):.2f} s (max {max(leading):.2f}), dispatching after median"
        f" {statistics.median(dispatching):.2f} s (max {max(dispatching):.2f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kills", nargs="?", type=int, default=5)
    parser.add_argument("lease_seconds", nargs="?", type=float, default=10.0)
    add_engine_option(parser)
    args = parser.parse_args()
    asyncio.run(main(args.kills, args.lease_seconds, args.engine))
