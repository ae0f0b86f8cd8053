"""News of other processes' commits, for every process: on PostgreSQL each commit that queues
deliveries or changes what customers read is announced (NOTIFY), so the leader's dispatcher and
every process's page react at once instead of at their next poll. The polls stay: a notice lost
with a connection is only a delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.store import Database

log = logging.getLogger(__name__)

Wake = Callable[[], None]


class Wakeups:
    name = "wakeups"

    def __init__(self, db: Database, *, outbox: Wake, content: Wake) -> None:
        self._db = db
        self._handlers = {"outbox": outbox, "content": content}
        self._task: asyncio.Task[None] | None = None
        self.received = 0

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._listen(), name="wakeups")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        # aclosing: a stop closes the listening connection now, not when the generator is
        # collected.
        async with contextlib.aclosing(self._db.notifications()) as notices:
            async for channel in notices:
                self.received += 1
                handler = self._handlers.get(channel)
                if handler is None:
                    continue
                try:
                    handler()
                except Exception:
                    log.exception("waking on %s failed", channel)
