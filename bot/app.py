"""Wiring: settings -> store -> services -> dispatcher/scheduler -> front ends; start and stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.cluster import Leadership
from bot.cluster.leadership import default_identity
from bot.cluster.wakeups import Wakeups
from bot.delivery import build_dispatcher
from bot.delivery.dispatcher import Dispatcher
from bot.domain import Event, EventFilter, TargetKind
from bot.feeds.watcher import FeedWatcher
from bot.jobs.heartbeats import HeartbeatWatch
from bot.jobs.maintenance import MaintenanceJobs
from bot.jobs.reminders import ReminderJobs
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services import EventListener
from bot.services.bundle import Services
from bot.services.feeds import FeedService
from bot.services.rate_limit import TokenBucket
from bot.services.reminders import ReminderService
from bot.services.seed import seed
from bot.settings import Settings
from bot.store import Database, connect_database
from bot.web import WebServer

log = logging.getLogger(__name__)

# Stopping one leader-only part may take this long at most: the lease is running out meanwhile.
STOP_BOUND_SECONDS = 1.0


class Component(Protocol):
    """A long-running part of the service (front end, dispatcher, watcher)."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Application:
    settings: Settings
    db: Database
    services: Services
    scheduler: AsyncIOScheduler
    metrics: Metrics
    components: list[Component] = field(default_factory=list)
    listeners: list[EventListener] = field(default_factory=list)
    leadership: Leadership | None = None
    # The leader-only parts now running, and their event listeners.
    _leading: tuple[list[Component], list[EventListener]] = field(
        default_factory=lambda: ([], []), init=False, repr=False
    )
    _stopping: bool = field(default=False, init=False, repr=False)
    _dispatcher: Dispatcher | None = field(default=None, init=False, repr=False)

    @classmethod
    async def open(cls, settings: Settings) -> Application:
        """Open (and migrate) the database, seed it, and build the services."""
        db = await connect_database(settings.database, identity=default_identity())
        reference = shipped_reference()
        await seed(db, reference)
        listeners: list[EventListener] = []

        def emit(event: Event) -> None:
            for listener in listeners:
                listener(event)

        services = Services.build(
            db,
            reference,
            on_event=emit,
            remind_before_hours=settings.maintenance.remind_before_hours,
            zone=settings.zone,
            poll_seconds=settings.delivery.poll_seconds,
            bucket=TokenBucket(settings.api.rate_per_second, settings.api.burst),
        )
        operator_channel = settings.discord.operator_channel_id
        if operator_channel is not None:
            await services.subscriptions.subscribe(
                TargetKind.CHANNEL,
                str(operator_channel),
                assets=None,
                events=EventFilter.OPERATOR,
                locale="ja",
                created_by="system",
            )
        scheduler = AsyncIOScheduler(timezone=settings.zone)
        return cls(settings, db, services, scheduler, Metrics(), listeners=listeners)

    async def start(self) -> None:
        """Every process serves the page; the leader alone runs Discord, the scheduler's jobs,
        the feed watcher and the dispatcher (a lone process leads at once)."""
        self.scheduler.start()
        # The read model first, on every process: the page serves from it from the first request,
        # and it polls the database itself, since the dispatcher runs on the leader only.
        await self.services.snapshots.start()
        if self.settings.web.enabled:
            # Stopped in reverse: the web's last requests are served, then their beats written.
            await self._start_part(self.services.beats)
            await self._start_part(WebServer.for_app(self))
        if self.settings.discord.token is None:
            log.info("Discord is off: BOT_DISCORD__TOKEN is not set; everything else runs")
        await self._start_part(
            Wakeups(self.db, outbox=self._wake_dispatcher, content=self.services.snapshots.nudge)
        )
        self.leadership = Leadership(
            self.db,
            self.settings.cluster.lease_seconds,
            lead=self._lead,
            follow=self._follow,
            on_change=self.metrics.cluster_changed,
        )
        await self._start_part(self.leadership)

    async def _start_part(self, component: Component) -> None:
        await component.start()
        self.components.append(component)
        log.info("%s started", component.name)

    async def _lead(self) -> None:
        parts, listeners = self._leader_parts()
        self.listeners.extend(listeners)
        self._leading = (parts, listeners)
        for part in parts:
            await self._start_part(part)

    async def _follow(self) -> None:
        """Stop the leader-only parts; when the lease is running out, each within a bound."""
        parts, listeners = self._leading
        self._leading = ([], [])
        for listener in listeners:
            self.listeners.remove(listener)
        for part in reversed(parts):
            if part in self.components:
                self.components.remove(part)
            try:
                bound = None if self._stopping else STOP_BOUND_SECONDS
                await asyncio.wait_for(part.stop(), bound)
            except Exception:
                log.exception("stopping %s failed", part.name)

    def _leader_parts(self) -> tuple[list[Component], list[EventListener]]:
        parts: list[Component] = []
        if self.settings.discord.token is not None:
            from bot.chat.component import DiscordFrontEnd

            parts.append(DiscordFrontEnd(self.settings, self.services, self.metrics))
        watchers, listeners = self._watchers()
        parts.extend(watchers)
        dispatcher = build_dispatcher(self.settings, self.db, self.metrics, emit=self._emit)
        listeners.append(dispatcher.wake)
        self._dispatcher = dispatcher
        parts.append(dispatcher)
        return parts, listeners

    def _wake_dispatcher(self) -> None:
        """Another process queued deliveries: the leader's dispatcher looks now."""
        if self._dispatcher is not None and self._dispatcher in self._leading[0]:
            self._dispatcher.wake()

    def _emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)

    def _watchers(self) -> tuple[list[Component], list[EventListener]]:
        """The regulator feed watcher, the report-deadline reminders, maintenance windows and
        the heartbeats' watch."""
        reminders = ReminderJobs(ReminderService(self.db, on_event=self._emit), self.scheduler)
        maintenance = MaintenanceJobs(self.services.maintenance, self.scheduler)
        watcher = FeedWatcher(
            self.settings.feeds,
            FeedService(self.db),
            self.services.orders,
            self.scheduler,
            self.metrics,
        )
        heartbeats = HeartbeatWatch(self.services.heartbeats)
        return [watcher, reminders, maintenance, heartbeats], [
            reminders.on_event,
            maintenance.on_event,
        ]

    async def stop(self) -> None:
        self._stopping = True
        # The leadership first: it stops the leader-only parts and hands the lease on.
        if self.leadership is not None and self.leadership in self.components:
            self.components.remove(self.leadership)
            try:
                await self.leadership.stop()
            except Exception:
                log.exception("stopping the cluster's leadership failed")
        for component in reversed(self.components):
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %s failed", component.name)
        await self.services.snapshots.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.db.close()


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the service until SIGINT or SIGTERM (or until `stop` is set), then shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app = await Application.open(settings)
    try:
        await app.start()
        log.info("running on %s; stop with Ctrl-C", app.db.location)
        await stop.wait()
        log.info("stopping")
    finally:
        await app.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    log.info("stopped cleanly")
