"""How long a standby takes to lead after the leader is SIGKILLed, on one SQLite file.

Run: .venv/bin/python -m bench.takeover [KILLS] [LEASE_SECONDS]
Each round starts a leader (`python -m bot run`) and a standby in this process, kills the
leader and times kill → the standby leading → its dispatcher running. The worst case is a full
lease (the leader renewed just before it died); the best, lease × 2/3.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.app import Application
from bot.cluster import LEADER
from bot.delivery.dispatcher import Dispatcher
from bot.settings import ClusterSettings, DatabaseSettings, FeedSettings, Settings, WebSettings
from tests.delivery.support import wait_for


async def one_round(folder: Path, lease: float) -> tuple[float, float]:
    db_path = folder / "bot.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        {
            "BOT_DATABASE__PATH": str(db_path),
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
        database=DatabaseSettings(path=db_path),
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


async def main(kills: int, lease: float) -> None:
    leading, dispatching = [], []
    for number in range(1, kills + 1):
        with tempfile.TemporaryDirectory() as folder:
            lead, dispatch = await one_round(Path(folder), lease)
        leading.append(lead)
        dispatching.append(dispatch)
        print(f"kill {number}: leading after {lead:.2f} s, dispatching after {dispatch:.2f} s")
    print(
        f"lease {lease:g} s, {kills} kills: leading after median {statistics.median(leading):.2f}"
        f" s (max {max(leading):.2f}), dispatching after median"
        f" {statistics.median(dispatching):.2f} s (max {max(dispatching):.2f})"
    )


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 5,
            float(sys.argv[2]) if len(sys.argv) > 2 else 10.0,
        )
    )
