"""Scheduler jobs for the report-deadline reminders, rebuilt from SQLite.

One date job per pending reminder (`reminder:{order_id}:{kind}`), made at start-up, whenever an
order is recorded in this process, and every few minutes (orders recorded or marked reported
from the command line). A job whose time has already passed runs at once; whether it sends
anything is decided by the service at that moment, so a stale job is harmless.
"""

from __future__ import annotations

import asyncio
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain import Event, EventKind
from bot.services.reminders import JOB_PREFIX, Reminder, ReminderService

log = logging.getLogger(__name__)

RESYNC_SECONDS = 300.0
SYNC_JOB_ID = "reminders:sync"


class ReminderJobs:
    name = "reminders"

    def __init__(
        self,
        service: ReminderService,
        scheduler: AsyncIOScheduler,
        *,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        self._service = service
        self._scheduler = scheduler
        self._resync_seconds = resync_seconds
        self._tasks: set[asyncio.Task[list[Reminder]]] = set()

    async def start(self) -> None:
        # Reminders too late to help are skipped and announced first, so that no job is made
        # for them; a failure here must not keep the others from being scheduled.
        try:
            await self._service.skip_missed()
        except Exception:
            log.exception("skipped reminders could not be recorded or announced")
        pending = await self.sync()
        self._scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=self._resync_seconds),
            id=SYNC_JOB_ID,
            name="rebuild reminder jobs",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        log.info("%d report-deadline reminder(s) scheduled", len(pending))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for job in self._scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) or job.id == SYNC_JOB_ID:
                job.remove()

    def on_event(self, event: Event) -> None:
        """A listener: a newly recorded order gets its reminders at once."""
        if event.kind is not EventKind.ORDER:
            return
        task = asyncio.get_running_loop().create_task(self.sync())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def sync(self) -> list[Reminder]:
        """Make the reminder jobs match the database: add what is pending, drop the rest."""
        pending = await self._service.pending()
        wanted = {r.job_id for r in pending}
        for job in self._scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for reminder in pending:
            if self._scheduler.get_job(reminder.job_id) is not None:
                continue
            self._scheduler.add_job(
                self.fire,
                DateTrigger(run_date=reminder.at),
                args=[reminder.order_id, reminder.kind],
                id=reminder.job_id,
                name=f"report reminder {reminder.kind} for order {reminder.order_id}",
                misfire_grace_time=None,  # late (the service was down): run at once
                coalesce=True,
            )
        return pending

    async def fire(self, order_id: int, kind: str) -> Event | None:
        try:
            return await self._service.fire(order_id, kind)
        except Exception:
            log.exception("reminder %s%d:%s failed", JOB_PREFIX, order_id, kind)
            return None
