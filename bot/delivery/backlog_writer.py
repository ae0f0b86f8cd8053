"""The DM rows that large fan-outs left for later, written on the leader beside the dispatcher.

A batch per transaction (see bot.store.outbox_backlog), so that the dispatcher's claims and
marks go on between batches; each batch written wakes the dispatcher for its rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.store import Database

log = logging.getLogger(__name__)


class BacklogWriter:
    def __init__(self, db: Database, poll_seconds: float, written: Callable[[], None]) -> None:
        self._db = db
        self._poll = poll_seconds
        self._written = written
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="delivery-dm-backlog")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def wake(self) -> None:
        """An event was committed: it may have left DM rows to write."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                async with self._db.transaction() as repos:
                    written = await repos.outbox.fan_out_more()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("DM rows of a fan-out could not be written; trying again")
                written = None
            if written is None:  # nothing left (or a failure): wait for the next event
                try:
                    await asyncio.wait_for(self._wake.wait(), self._poll)
                except TimeoutError:
                    pass
                continue
            if written:
                self._written()
            await asyncio.sleep(0)  # the dispatcher's transactions go between two batches
