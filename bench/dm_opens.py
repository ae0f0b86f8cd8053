"""DM channels opened ahead of an incident, against Discord's anti-spam answer 40003.

2,000 DM subscribers are added within a minute (in batches, as sign-ups come) to a running
service with BOT_DELIVERY__DM_OPENS_PER_MINUTE=600, on an emulator that answers 40003 past 20 new
DM channels in 5 s. Printed: how long until every DM channel is open, how many 40003 answers came,
how many subscriptions were disabled (none should be); then one alert to all of them: requests
per message (leaving out each REST client's one login) and the time to the last DM.

Run: .venv/bin/python -m bench.dm_opens [SUBSCRIBERS] [--per-minute N]
The service runs in this process on a SQLite file; the figures are mostly Discord's pace (20 new
channels per 5 s is 240 a minute), so expect several minutes for 2,000.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.app import Application
from bot.domain import TargetKind
from tests.delivery.support import (
    emulated_discord,
    eventually,
    service_settings,
    subscribe_many,
    wait_for,
)
from tests.delivery.test_failures import reopen

OPEN_LIMIT = (20, 5.0)
SIGN_UP_SECONDS = 60.0
BATCHES = 20


async def main(count: int, per_minute: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dm-opens-bench-"))
    async with emulated_discord() as emu:
        emu.dm_open_limit = OPEN_LIMIT
        users = [emu.add_user(f"user-{i}") for i in range(count)]
        settings = service_settings(
            folder / "bench.sqlite3", emu, dm_opens_per_minute=per_minute, poll_seconds=1.0
        )
        app = await Application.open(settings)
        await app.start()
        try:
            print(
                f"{count:,} DM subscribers over {SIGN_UP_SECONDS:.0f}s,"
                f" budget {per_minute:.0f}/min,"
                f" emulator: 40003 past {OPEN_LIMIT[0]} new DM channels in {OPEN_LIMIT[1]:.0f}s"
            )
            started = time.monotonic()
            step = max(1, count // BATCHES)
            for i in range(0, count, step):
                batch = users[i : i + step]
                await subscribe_many(app.db, [(TargetKind.DM, str(u), {}) for u in batch])
                await asyncio.sleep(SIGN_UP_SECONDS / BATCHES)

            async def all_open() -> bool:
                return await app.db.repos.dm_channels.count() >= count

            await eventually(all_open, 3600, "every DM channel open")
            took = time.monotonic() - started
            disabled = [s for s in await app.services.subscriptions.list() if not s.active]
            print(
                f" every DM channel open after {took:.0f}s from the first sign-up;"
                f" 40003 answers: {emu.stats.dm_too_fast}; disabled: {len(disabled)}"
            )
            requests = emu.stats.requests - emu.stats.logins
            opens = emu.stats.dm_open_requests
            started = time.monotonic()
            await app.services.status.change(reopen("BTC"))
            await wait_for(lambda: all(emu.dm_messages(u) for u in users), 600, "the alert")
            took = time.monotonic() - started
            spent = emu.stats.requests - emu.stats.logins - requests
            print(
                f" one alert to all: {spent / count:.3f} requests per message,"
                f" {emu.stats.dm_open_requests - opens} DM channels opened,"
                f" last DM after {took:.1f}s"
            )
        finally:
            await app.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subscribers", nargs="?", type=int, default=2_000)
    parser.add_argument("--per-minute", type=float, default=600.0)
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.per_minute))
