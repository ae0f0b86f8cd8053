"""The operators watch the fan-out: one progress message per large fan-out, edited as it goes.

Runs beside the dispatcher, on the leader. Each round it looks for new fan-outs with more than a
handful of recipients and queues, for each, an operators' event whose message (sent first, in
the operators' lane, with its own nonce) is the progress message; then it edits the messages of
the fan-outs still going, no more often than every few seconds (the edits pass the same pacer as
every other request), the last edit giving the totals and the time the fan-out took. The
fan-outs watched and when each was last edited are in the database, so a new leader carries on.
It also keeps the delivery gauges of /metrics current.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import utcnow
from bot.domain import Event, EventKind, Source
from bot.domain.deliveries import Watched
from bot.domain.lanes import Lane
from bot.i18n import Lang, lang
from bot.metrics import Metrics
from bot.services.progress import (
    EDIT_EVERY_SECONDS,
    HANDFUL,
    Progress,
    edit_due,
    embed,
    progress,
)
from bot.store import Database

log = logging.getLogger(__name__)

ROUND_SECONDS = 1.0
# An event first seen later than this after it was made (say, after a long outage) gets no
# progress message: the operators would learn nothing from it.
WATCH_WINDOW = timedelta(minutes=10)

Edit = Callable[[str, str, dict[str, Any]], Awaitable[None]]


class _Taken(Exception):
    """Another process watches this fan-out already."""


def notice_payload(event_id: int, figures: Progress) -> dict[str, Any]:
    """The operators' event whose message becomes the progress message (before its first edit)."""
    ja, en = embed(figures, Lang.JA), embed(figures, Lang.EN)
    return {
        "topic": "fanout_progress",
        "event_id": event_id,
        "title_ja": ja["title"],
        "title_en": en["title"],
        "text_ja": ja["description"],
        "text_en": en["description"],
    }


class ProgressReporter:
    def __init__(
        self,
        db: Database,
        metrics: Metrics,
        edit: Edit | None,
        *,
        on_notice: Callable[[Event], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
        every: float = ROUND_SECONDS,
    ) -> None:
        self._db = db
        self._metrics = metrics
        self._edit = edit
        self._on_notice = on_notice
        self._clock = clock
        self._every = every
        self._task: asyncio.Task[None] | None = None
        self._figured: float | None = None  # when the figures were last read (loop time)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="delivery-progress")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("fan-out progress could not be read; trying again")
            await asyncio.sleep(self._every)

    async def round(self) -> None:
        """New fan-outs every round; the figures (a count over each fan-out's rows) twice as
        often as a message may be edited, so that an edit is never much later than allowed."""
        now = self._clock()
        await self._watch_new(now)
        moment = asyncio.get_running_loop().time()
        if self._figured is not None and moment - self._figured < EDIT_EVERY_SECONDS / 2:
            return
        self._figured = moment
        etas = [await self._report(fan_out, now) for fan_out in await self._watched()]
        await self._gauges(now, [eta for eta in etas if eta is not None])

    async def _watched(self) -> list[Watched]:
        return await self._db.repos.fan_outs.watched()

    async def _watch_new(self, now: datetime) -> None:
        for event_id in await self._db.repos.fan_outs.unwatched(now - WATCH_WINDOW, HANDFUL):
            counts = await self._db.repos.fan_outs.counts(event_id)
            if counts is None:
                continue
            try:
                async with self._db.transaction() as repos:
                    notice = await repos.events.add(
                        EventKind.OPERATOR,
                        actor="system",
                        source=Source.SYSTEM,
                        payload=notice_payload(event_id, progress(counts, now)),
                        created_at=now,
                    )
                    if not await repos.fan_outs.watch(event_id, notice.id, now):
                        raise _Taken
                    await repos.outbox.fan_out(notice)
            except _Taken:
                continue
            log.info("fan-out of event %d: progress message queued (event %d)", event_id, notice.id)
            if self._on_notice is not None:
                self._on_notice(notice)

    async def _report(self, fan_out: Watched, now: datetime) -> float | None:
        """Edit the fan-out's message when due; return its estimated seconds to go."""
        counts = await self._db.repos.fan_outs.counts(fan_out.event_id)
        if counts is None:
            return None
        figures = progress(counts, now)
        if not edit_due(now, fan_out.edited_at):
            return figures.eta
        messages = await self._db.repos.fan_outs.messages(fan_out.notice_id)
        if not messages:
            notice = await self._db.repos.fan_outs.counts(fan_out.notice_id)
            still_going = notice is not None and progress(notice, now).queued > 0
            if not figures.done or still_going:
                return figures.eta  # the message is not out yet: nothing to edit
        for message in messages:
            if self._edit is None:
                break
            try:
                shown = embed(figures, lang(message.locale))
                await self._edit(message.channel_id, message.message_id, shown)
            except Exception as exc:  # a deleted message or a network error: try next round
                log.warning("progress message %s could not be edited: %s", message.message_id, exc)
                if not figures.done:
                    return figures.eta
        async with self._db.transaction() as repos:
            await repos.fan_outs.edited(fan_out.event_id, now, figures.done)
        if figures.done:
            log.info(
                "fan-out of event %d done: %d/%d reached in %.1fs",
                fan_out.event_id,
                figures.reached,
                figures.total,
                figures.elapsed,
            )
        return figures.eta

    async def _gauges(self, now: datetime, etas: list[float]) -> None:
        lanes = await self._db.repos.fan_outs.lanes_now()
        for lane in Lane:
            found = lanes.get(int(lane))
            name = lane.name.lower()
            self._metrics.delivery_queue.labels(lane=name).set(found.queued if found else 0)
            lag = (now - found.oldest).total_seconds() if found and found.oldest else 0.0
            self._metrics.delivery_lag.labels(lane=name).set(max(lag, 0.0))
        self._metrics.delivery_eta.set(max(etas, default=0.0))
