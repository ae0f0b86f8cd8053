"""Welcomes for a burst of sign-ups, against Discord's anti-spam answer 40003.

2,000 people subscribe by DM within a minute (through the subscription service, as /subscribe
does, spread evenly) to a running service with BOT_DELIVERY__DM_OPENS_PER_MINUTE=600, on an
emulator that answers 40003 past 20 new DM channels in 5 s. Printed: how long until everyone is
welcomed (their DM channel open), how many 40003 answers came, how many subscriptions were
disabled (none should be); then one alert to all of them: requests per message (leaving out each
REST client's one login per process), DM channels opened, and the time to the last DM.

Run: .venv/bin/python -m bench.dm_welcome [SUBSCRIBERS] [--per-minute N]
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
from bot.domain import EventFilter, TargetKind
from bot.store.welcomes import WelcomeState
from tests.delivery.support import (
    emulated_discord,
    eventually,
    service_settings,
    wait_for,
)
from tests.delivery.test_failures import reopen

OPEN_LIMIT = (20, 5.0)
SIGN_UP_SECONDS = 60.0


async def main(count: int, per_minute: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dm-welcome-bench-"))
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
            subscriptions = app.services.subscriptions
            for i, user in enumerate(users):
                await subscriptions.subscribe(
                    TargetKind.DM,
                    str(user),
                    assets=None,
                    events=EventFilter.ALL,
                    locale="ja",
                    created_by=f"discord:{user}",
                )
                ahead = started + SIGN_UP_SECONDS * (i + 1) / count - time.monotonic()
                if ahead > 0:
                    await asyncio.sleep(ahead)

            async def all_welcomed() -> bool:
                return await app.db.repos.welcomes.count(WelcomeState.SENT) >= count

            await eventually(all_welcomed, 3600, "everyone welcomed")
            took = time.monotonic() - started
            disabled = [s for s in await app.services.subscriptions.list() if not s.active]
            print(
                f" everyone welcomed {took:.0f}s after the first sign-up;"
                f" 40003 answers: {emu.stats.dm_too_fast}; disabled: {len(disabled)}"
            )
            requests = emu.stats.requests - emu.stats.logins
            opens = emu.stats.dm_open_requests
            started = time.monotonic()
            await app.services.status.change(reopen("BTC"))
            await wait_for(
                lambda: all(len(emu.dm_messages(u)) == 2 for u in users), 600, "the alert"
            )
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
