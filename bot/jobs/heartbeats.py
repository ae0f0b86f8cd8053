"""The leader's watch over the heartbeats: a round every half second, as long as it leads.

A round is one read of a small table; it writes only when a heartbeat trips or comes back. The
watch notes when it began to lead (the database's clock), so that a heartbeat is judged only
after one grace under this leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.services.heartbeats import HeartbeatService

log = logging.getLogger(__name__)

ROUND_SECONDS = 0.5


class HeartbeatWatch:
    name = "heartbeats"

    def __init__(self, service: HeartbeatService, round_seconds: float = ROUND_SECONDS) -> None:
        self._service = service
        self._round = round_seconds
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        led_since = await self._service.now()
        self._task = asyncio.get_running_loop().create_task(self._watch(led_since))

    async def _watch(self, led_since: float) -> None:
        while True:
            try:
                await self._service.round(led_since)
            except Exception:
                log.exception("heartbeat round failed")
            await asyncio.sleep(self._round)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
