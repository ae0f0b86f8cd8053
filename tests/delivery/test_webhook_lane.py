"""The webhook lane through the real webhook transport: one slow endpoint gets at most its
per-host share of sends at once and holds back neither the other hosts nor Discord's lanes."""

from __future__ import annotations

import time
from pathlib import Path

from bot.delivery.hosts import PER_HOST
from bot.domain import State, TargetKind
from tests.delivery.fanout import change, fan_out_service
from tests.delivery.support import Endpoint, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator

SLOW_SECONDS = 2.0


async def test_a_slow_endpoint_takes_its_share_and_holds_back_no_one(
    emu: DiscordEmulator, db_path: Path
) -> None:
    slow, fast = Endpoint(SLOW_SECONDS), Endpoint(0.01)
    await slow.start()
    await fast.start()
    user = emu.add_user("kenji")
    try:
        async with fan_out_service(emu, db_path) as service:
            await subscribe_many(
                service.db,
                [(TargetKind.WEBHOOK, f"{slow.base}/h{n}", {"secret": "s"}) for n in range(12)]
                + [(TargetKind.WEBHOOK, f"{fast.base}/h{n}", {"secret": "s"}) for n in range(8)]
                + [(TargetKind.DM, str(user), {})],
            )
            started = time.time()
            await service.status.change(change("BTC", State.DELAYED))
            await wait_for(lambda: len(fast.answered) == 8, 5, "every fast endpoint")
            fast_done = max(fast.answered) - started
            await wait_for(lambda: bool(emu.dm_messages(user)), 5, "the DM")
            await wait_for(lambda: len(slow.answered) == 12, 30, "every slow endpoint")
    finally:
        await slow.stop()
        await fast.stop()
    assert slow.most == PER_HOST  # never more than its share at once
    assert fast_done < SLOW_SECONDS, "the fast endpoints did not wait for the slow one"
