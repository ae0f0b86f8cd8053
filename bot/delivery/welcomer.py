"""Welcomes new DM subscribers: one short message in their language, with an alert's buttons.

Sending it opens the user's DM channel while they are at the keyboard, within the DM-open budget,
so that an alert later costs one request and never opens a channel mid-incident. Welcomes queue
in their own table (`welcomes`) and go out like alerts: a nonce each (the negated welcome id, so
it never meets a delivery's), retried with backoff, paced by the same budget. DMs closed (50007)
leave the subscription paused as `dm_closed`; nothing else a welcome meets disables anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot import i18n
from bot.clock import utcnow
from bot.delivery.backoff import backoff
from bot.delivery.buttons import components
from bot.delivery.discord_errors import Deferred, DmClosed
from bot.delivery.render import Embed
from bot.delivery.transport import Outgoing, Permanent, SendFailure, Transient, Transport
from bot.domain import Subscription, TargetKind
from bot.i18n import chat as _chat_texts  # noqa: F401 - the events' names
from bot.i18n import welcome as _texts  # noqa: F401 - registers the strings
from bot.store import Database
from bot.store.welcomes import DM_CLOSED, Welcome, WelcomeState

log = logging.getLogger(__name__)

BATCH = 50
POLL_SECONDS = 0.5
MAX_AGE = timedelta(days=2)  # a welcome not sent by then would only confuse


def welcome_embed(sub: Subscription) -> Embed:
    language = i18n.lang(sub.locale)
    assets = (
        i18n.t(language, "welcome.all_assets") if sub.all_assets else ", ".join(sorted(sub.assets))
    )
    events = i18n.t(language, f"chat.events.{sub.events.value}")
    return {
        "title": i18n.t(language, "welcome.title"),
        "description": i18n.t(language, "welcome.body", assets=assets, events=events),
        "color": 0x2ECC71,
        "fields": [],
    }


class Welcomer:
    name = "welcomer"

    def __init__(
        self,
        db: Database,
        transport: Transport,
        public_url: str = "",
        *,
        concurrency: int = 8,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._transport = transport
        self._public_url = public_url
        self._clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="welcomer")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._in_flight.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                due = await self._db.repos.welcomes.due(self._clock(), BATCH)
            except Exception:
                log.exception("could not read the welcomes; trying again")
                due = []
            for welcome in due:
                if welcome.id not in self._in_flight:
                    task = asyncio.create_task(self._send(welcome))
                    self._in_flight[welcome.id] = task
                    task.add_done_callback(functools.partial(self._done, welcome.id))
            await asyncio.sleep(POLL_SECONDS)

    def _done(self, welcome_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(welcome_id, None)

    async def _send(self, welcome: Welcome) -> None:
        async with self._slots:
            try:
                await self._try(welcome)
            except Exception:
                log.exception("welcome %d: unexpected failure", welcome.id)
                await self._retry(welcome, "internal error", None)

    async def _try(self, welcome: Welcome) -> None:
        sub = await self._db.repos.subscriptions.get(welcome.subscription_id)
        if sub is None or sub.target_kind is not TargetKind.DM or not sub.active:
            await self._finish(welcome, WelcomeState.FAILED, "the subscription is gone or off")
            return
        if self._clock() - welcome.created_at > MAX_AGE:
            await self._finish(welcome, WelcomeState.FAILED, "too old to welcome")
            return
        outgoing = Outgoing(
            -welcome.id, sub, None, welcome_embed(sub), {}, components(sub, None, self._public_url)
        )
        try:
            receipt = await self._transport.send(outgoing)
        except Transient as exc:
            await self._retry(welcome, None if isinstance(exc, Deferred) else str(exc), exc)
            return
        except DmClosed as exc:
            async with self._db.transaction() as repos:
                await repos.welcomes.finish(welcome.id, WelcomeState.DM_CLOSED, str(exc))
                await repos.subscriptions.disable(sub.id, DM_CLOSED)
            log.info("subscription %d: the user's DMs are closed; paused", sub.id)
            return
        except Permanent as exc:
            async with self._db.transaction() as repos:
                await repos.welcomes.finish(welcome.id, WelcomeState.FAILED, str(exc))
                await repos.subscriptions.disable(sub.id, str(exc))
            return
        except SendFailure as exc:
            await self._finish(welcome, WelcomeState.FAILED, str(exc))
            return
        async with self._db.transaction() as repos:
            await repos.welcomes.sent(welcome.id, receipt, self._clock())

    async def _retry(self, welcome: Welcome, error: str | None, exc: Any) -> None:
        wait = backoff(welcome.attempts + 1, getattr(exc, "retry_after", None))
        async with self._db.transaction() as repos:
            await repos.welcomes.retry(welcome.id, error, self._clock() + timedelta(seconds=wait))

    async def _finish(self, welcome: Welcome, state: WelcomeState, error: str) -> None:
        async with self._db.transaction() as repos:
            await repos.welcomes.finish(welcome.id, state, error)
        log.info("welcome %d not sent: %s", welcome.id, error)
