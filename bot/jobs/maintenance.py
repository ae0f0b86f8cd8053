"""Scheduler jobs for maintenance windows, rebuilt from SQLite.

One date job per step still ahead (`maintenance:{id}:remind:{hours}`, `maintenance:{id}:start`,
`maintenance:{id}:end`), made at start-up, whenever a maintenance notice is written in this
process, and every minute (windows scheduled from the command line). Every job asks the service
to take whatever is due, oldest first, so a stale or duplicate job is harmless, and at start-up
what passed while the service was down happens once, in order, before anything else.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain import EventKind
from bot.jobs.rebuilt import RebuiltJobs
from bot.services.maintenance import MaintenanceService
from bot.services.maintenance_plan import JOB_PREFIX, Due

log = logging.getLogger(__name__)

RESYNC_SECONDS = 60.0
SYNC_JOB_ID = "maintenances:sync"


class MaintenanceJobs(RebuiltJobs[MaintenanceService]):
    name = "maintenance"
    job_prefix = JOB_PREFIX
    sync_job_id = SYNC_JOB_ID
    kind = EventKind.MAINTENANCE

    def __init__(
        self,
        service: MaintenanceService,
        scheduler: AsyncIOScheduler,
        *,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        super().__init__(service, scheduler, resync_seconds)

    async def start(self) -> None:
        caught_up = await self.fire()  # what passed while down, in order, once
        ahead = await self.sync()
        self.keep_in_step("maintenance")
        log.info("%d maintenance step(s) caught up, %d scheduled", caught_up, len(ahead))

    async def sync(self) -> list[Due]:
        """Make the jobs match the database: add or move what is ahead, drop the rest."""
        ahead = await self._service.ahead()
        self.drop_unwanted({due.job_id for due in ahead})
        for due in ahead:
            self.place(
                due.job_id, due.at, self.fire, name=f"maintenance {due.maintenance_id} {due.action}"
            )
        return ahead

    async def fire(self) -> int:
        """Take every step that is due; how many notices that made. The jobs are then made
        again, so that a step not yet due (a clock a hair behind) keeps its job; after a
        failure the periodic rebuild retries, rather than a job that fails at once, again."""
        try:
            taken = len(await self._service.run_due())
            await self.sync()
        except Exception:
            log.exception("maintenance steps failed")
            return 0
        return taken
