"""Wiring: settings -> store -> services -> dispatcher/scheduler -> front ends; start and stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import build_dispatcher
from bot.domain import Event, EventFilter, TargetKind
from bot.feeds.watcher import FeedWatcher
from bot.jobs.maintenance import MaintenanceJobs
from bot.jobs.reminders import ReminderJobs
from bot.metrics import Metrics
from bot.reference import Reference, shipped_reference
from bot.services import EventListener
from bot.services.feeds import FeedService
from bot.services.incidents import IncidentService
from bot.services.maintenance import DEFAULT_LEADS, MaintenanceService
from bot.services.orders import OrderService
from bot.services.reminders import ReminderService
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.services.subscriptions import SubscriptionService
from bot.services.translations import TranslationService
from bot.settings import Settings
from bot.store import Database
from bot.web import WebServer

log = logging.getLogger(__name__)


class Component(Protocol):
    """A long-running part of the service (front end, dispatcher, watcher)."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    status: StatusService
    orders: OrderService
    subscriptions: SubscriptionService
    translations: TranslationService
    reference: Reference
    incidents: IncidentService
    maintenance: MaintenanceService

    @classmethod
    def build(
        cls,
        db: Database,
        reference: Reference,
        on_event: EventListener | None = None,
        remind_before_hours: Sequence[float] = DEFAULT_LEADS,
    ) -> Services:
        status = StatusService(db, on_event=on_event)
        return cls(
            status=status,
            orders=OrderService(db, on_event=on_event),
            subscriptions=SubscriptionService(db),
            translations=TranslationService(db, status),
            reference=reference,
            incidents=IncidentService(db, on_event=on_event),
            maintenance=MaintenanceService(
                db, on_event=on_event, remind_before_hours=remind_before_hours
            ),
        )


@dataclass
class Application:
    settings: Settings
    db: Database
    services: Services
    scheduler: AsyncIOScheduler
    metrics: Metrics
    components: list[Component] = field(default_factory=list)
    listeners: list[EventListener] = field(default_factory=list)

    @classmethod
    async def open(cls, settings: Settings) -> Application:
        """Open (and migrate) the database, seed it, and build the services."""
        db = await Database.open(settings.database.path)
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
        self.scheduler.start()
        self.components.extend(self._front_ends())
        for component in self.components:
            await component.start()
            log.info("%s started", component.name)

    def _front_ends(self) -> list[Component]:
        parts: list[Component] = []
        if self.settings.discord.token is None:
            log.info("Discord is off: BOT_DISCORD__TOKEN is not set; everything else runs")
        else:
            from bot.chat.component import DiscordFrontEnd

            parts.append(DiscordFrontEnd(self.settings, self.services, self.metrics))
        parts.extend(self._watchers())
        dispatcher = build_dispatcher(self.settings, self.db, self.metrics, emit=self._emit)
        self.listeners.append(dispatcher.wake)
        parts.append(dispatcher)
        if self.settings.web.enabled:
            parts.append(WebServer.for_app(self))
        return parts

    def _emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)

    def _watchers(self) -> list[Component]:
        """The regulator feed watcher, the report-deadline reminders and maintenance windows."""
        reminders = ReminderJobs(ReminderService(self.db, on_event=self._emit), self.scheduler)
        self.listeners.append(reminders.on_event)
        maintenance = MaintenanceJobs(self.services.maintenance, self.scheduler)
        self.listeners.append(maintenance.on_event)
        watcher = FeedWatcher(
            self.settings.feeds,
            FeedService(self.db),
            self.services.orders,
            self.scheduler,
            self.metrics,
        )
        return [watcher, reminders, maintenance]

    async def stop(self) -> None:
        for component in reversed(self.components):
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %s failed", component.name)
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
        log.info("running on %s; stop with Ctrl-C", settings.database.path)
        await stop.wait()
        log.info("stopping")
    finally:
        await app.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    log.info("stopped cleanly")
