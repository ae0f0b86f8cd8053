"""Beats counted in memory and written in batches: a beat costs its process no write of its own.

Each process that serves the API keeps, per heartbeat, how many beats came since its last batch
and when (on its monotonic clock) the first and the last of them came. Every FLUSH_SECONDS one
transaction writes them all, with the uses of the tokens that sent them (see
`TokenService.quick_access`). The database dates the last beat its own now less that beat's age,
so silence is still measured on the database's clock, as the leader and every replica see it.

A clean stop writes what is left. A process killed outright loses at most its last FLUSH_SECONDS
of beats, well under the shortest grace (1 s); the leader allows for that lag before it calls a
heartbeat silent (`BEAT_LAG_SECONDS`).

Which heartbeats exist is kept in memory and read again every REFRESH_SECONDS. A name not known
is looked up at once: a heartbeat the CLI added a moment ago beats at once, and an unknown one
gets its 404 at once. A heartbeat removed meanwhile may still be answered 200 for up to
REFRESH_SECONDS; its beats update no row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.domain import NotFound
from bot.services.tokens import TokenService
from bot.store import Database, StoreError
from bot.store.heartbeats import Beats

log = logging.getLogger(__name__)

# A batch every quarter second: one write however many beats came, and a lag the leader can
# allow for within the shortest grace.
FLUSH_SECONDS = 0.25
REFRESH_SECONDS = 1.0  # how soon a removed heartbeat's beats are refused
# How much later than it came a beat may reach the database: a batch's wait, and its write.
BEAT_LAG_SECONDS = 2 * FLUSH_SECONDS


@dataclass(slots=True)
class _Run:
    """One heartbeat's beats since the last batch, each within its grace of the one before."""

    count: int
    first: float
    last: float
    after_gap: bool = False  # a beat longer than the grace before the first is in this batch


class BeatBuffer:
    """The beats this process was sent, written every FLUSH_SECONDS; a component of the web
    front end (started before it, stopped after it)."""

    name = "beats"

    def __init__(
        self,
        db: Database,
        tokens: TokenService,
        *,
        flush_seconds: float = FLUSH_SECONDS,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._flush_seconds = flush_seconds
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._graces: dict[str, float] = {}  # every heartbeat's name and grace
        self._refreshed = -math.inf
        self._pending: dict[str, _Run] = {}
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._refresh()
        self._stopping.clear()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Write what is left, then end."""
        if self._task is None:
            return
        self._stopping.set()
        await self._task
        self._task = None

    def health(self) -> dict[str, Any]:
        running = self._task is not None and not self._task.done()
        return {
            "ok": running,
            "state": "running" if running else "stopped",
            "pending": len(self._pending),
        }

    async def beat(self, name: str) -> None:
        """Count a beat of `name`, to be written with the next batch; NotFound at once for a
        heartbeat that does not exist."""
        grace = self._graces.get(name)
        if grace is None:
            grace = await self._db.repos.heartbeats.grace(name)
            if grace is None:
                raise NotFound("heartbeat", name)
            self._graces[name] = grace
        now = self._clock()
        run = self._pending.get(name)
        if run is None:
            self._pending[name] = _Run(1, now, now)
        elif now - run.last > grace:  # only when a batch is late: the beats before are no run
            self._pending[name] = _Run(1, now, now, after_gap=True)
        else:
            run.count += 1
            run.last = now

    async def flush(self) -> None:
        """Write the beats and the tokens' uses gathered so far in one transaction; when that
        fails they are kept for the next batch."""
        batch, self._pending = self._pending, {}
        uses = self._tokens.take_uses()
        if not batch and not uses:
            return
        try:
            async with self._db.touch_transaction() as repos:
                now = self._clock()
                await repos.heartbeats.beat_many(
                    [
                        Beats(name, run.count, now - run.first, now - run.last, run.after_gap)
                        for name, run in batch.items()
                    ]
                )
                await repos.tokens.mark_used(uses)
        except BaseException:
            self._keep(batch)
            self._tokens.keep_uses(uses)
            raise

    def _keep(self, batch: dict[str, _Run]) -> None:
        """Put an unwritten batch back before the beats that came since."""
        for name, old in batch.items():
            new = self._pending.get(name)
            if new is None:
                self._pending[name] = old
            elif new.after_gap or new.first - old.last > self._graces.get(name, math.inf):
                new.after_gap = True  # the older run ended: the newer one stands alone
            else:
                self._pending[name] = _Run(
                    old.count + new.count, old.first, new.last, old.after_gap
                )

    async def _refresh(self) -> None:
        self._graces = await self._db.repos.heartbeats.graces()
        self._refreshed = self._clock()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._flush_seconds)
            last = self._stopping.is_set()  # a stop during a batch gets one more
            try:
                await self.flush()
                if not last and self._clock() - self._refreshed >= self._refresh_seconds:
                    await self._refresh()
            except StoreError as exc:
                log.warning("writing beats failed (kept for the next batch): %s", exc)
            except Exception:
                log.exception("writing beats failed (kept for the next batch)")
            if last:
                return
