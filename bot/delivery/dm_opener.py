"""Opens, in the background and within the DM-open budget, the DM channels of subscribers whose
channel is not known yet (those who subscribed before channels were opened at subscribe time).

Opening a DM channel sends nothing. Done ahead of an incident, it makes each DM alert one request
and keeps the incident's first minutes clear of opens that Discord throttles (40003).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.clock import utcnow
from bot.delivery.discord_errors import Deferred, DmsRestricted
from bot.delivery.notices import tell_operators
from bot.delivery.transport import SendFailure, Transient
from bot.store import Database

log = logging.getLogger(__name__)

BATCH = 100
IDLE_SECONDS = 300.0  # after a full pass, look again this much later (new rows, past failures)
START_DELAY_SECONDS = 1.0


class DmOpener:
    name = "dm-opener"

    def __init__(
        self,
        db: Database,
        open_dm: Callable[[str], Awaitable[None]],
        *,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self._db = db
        self._open = open_dm
        self._idle = idle_seconds
        self._task: asyncio.Task[None] | None = None
        self.opened = 0

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dm-opener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        await asyncio.sleep(START_DELAY_SECONDS)  # the dispatcher's own start-up goes first
        after = 0
        while True:
            try:
                batch = await self._db.repos.dm_channels.unopened(after, BATCH)
            except Exception:
                log.exception("could not read the DM subscriptions to open; trying again")
                await asyncio.sleep(self._idle)
                continue
            if not batch:
                if after:
                    log.info("DM channels opened in the background: %d in all", self.opened)
                after = 0
                await asyncio.sleep(self._idle)
                continue
            for sub_id, user_id in batch:
                while not await self._open_one(user_id):
                    pass
                after = sub_id

    async def _open_one(self, user_id: str) -> bool:
        """Try one open; False when it is worth trying again (after a pause)."""
        try:
            await self._open(user_id)
        except Transient as exc:
            # 40003 has already slowed the budget; restriction or an outage: wait, try again.
            quiet = isinstance(exc, Deferred)
            log.log(logging.DEBUG if quiet else logging.INFO, "DM of user %s: %s", user_id, exc)
            if isinstance(exc, DmsRestricted) and exc.notice is not None:
                await tell_operators(self._db, exc.notice, utcnow())
            await asyncio.sleep(exc.retry_after or 5.0)
            return False
        except SendFailure as exc:
            # Left to the alert that needs it: it decides whether the subscription goes.
            log.info("the DM channel of user %s cannot be opened: %s", user_id, exc)
        else:
            self.opened += 1
        return True
