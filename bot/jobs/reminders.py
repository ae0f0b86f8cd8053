"""Scheduler jobs for the report-deadline reminders, rebuilt from SQLite.

One date job per pending reminder (`reminder:{order_id}:{kind}`), made at start-up, whenever an
order is recorded in this process, and every few minutes (orders recorded or marked reported
from the command line). A job whose time has already passed runs at once; whether it sends
anything is decided by the service at that moment, so a stale job is harmless.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain import Event, EventKind
from bot.jobs.rebuilt import RebuiltJobs
from bot.services.reminders import JOB_PREFIX, Reminder, ReminderService

log = logging.getLogger(__name__)

RESYNC_SECONDS = 300.0
SYNC_JOB_ID = "reminders:sync"


class ReminderJobs(RebuiltJobs[ReminderService]):
    name = "reminders"
    job_prefix = JOB_PREFIX
    sync_job_id = SYNC_JOB_ID
    kind = EventKind.ORDER  # a newly recorded order gets its reminders at once

    def __init__(
        self,
        service: ReminderService,
        scheduler: AsyncIOScheduler,
        *,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        super().__init__(service, scheduler, resync_seconds)

    async def start(self) -> None:
        # Reminders too late to help are skipped and announced first, so that no job is made
        # for them; a failure here must not keep the others from being scheduled.
        try:
            await self._service.skip_missed()
        except Exception:
            log.exception("skipped reminders could not be recorded or announced")
        pending = await self.sync()
        self.keep_in_step("reminder")
        log.info("%d report-deadline reminder(s) scheduled", len(pending))

    async def sync(self) -> list[Reminder]:
        """Make the reminder jobs match the database: add what is pending, drop the rest."""
        pending = await self._service.pending()
        self.drop_unwanted({r.job_id for r in pending})
        for reminder in pending:
            self.place(
                reminder.job_id,
                reminder.at,
                self.fire,
                args=[reminder.order_id, reminder.kind],
                name=f"report reminder {reminder.kind} for order {reminder.order_id}",
            )
        return pending

    async def fire(self, order_id: int, kind: str) -> Event | None:
        try:
            return await self._service.fire(order_id, kind)
        except Exception:
            log.exception("reminder %s%d:%s failed", JOB_PREFIX, order_id, kind)
            return None
