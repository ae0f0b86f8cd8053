"""What the scheduler-job components share: jobs kept in step with the database.

Each keeps one date job per step still ahead under its own id prefix, rebuilds them from the
database every so often (work recorded by another process) and at once when this process
commits an event of its kind, and removes every job of its own when it stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain import Event, EventKind

log = logging.getLogger(__name__)


S = TypeVar("S")


class RebuiltJobs(Generic[S]):
    """Subclasses say what they plan (`sync`) with their service, for which events and job ids."""

    name: str
    job_prefix: str
    sync_job_id: str
    kind: EventKind

    def __init__(self, service: S, scheduler: AsyncIOScheduler, resync_seconds: float) -> None:
        self._service = service
        self._scheduler = scheduler
        self._resync_seconds = resync_seconds
        self._tasks: set[asyncio.Task[Sequence[Any]]] = set()

    async def sync(self) -> Sequence[Any]:
        """Make this component's jobs match the database; return what is planned."""
        raise NotImplementedError

    def keep_in_step(self, what: str) -> None:
        """The periodic rebuild: it picks up what other processes recorded."""
        self._scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=self._resync_seconds),
            id=self.sync_job_id,
            name=f"rebuild {what} jobs",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for job in self._scheduler.get_jobs():
            if job.id.startswith(self.job_prefix) or job.id == self.sync_job_id:
                job.remove()

    def on_event(self, event: Event) -> None:
        """A listener: an event of this kind committed here re-plans at once."""
        if event.kind is not self.kind:
            return
        task = asyncio.get_running_loop().create_task(self.sync())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def place(
        self,
        job_id: str,
        at: datetime,
        func: Callable[..., Awaitable[Any]],
        *,
        args: Sequence[Any] = (),
        name: str,
    ) -> None:
        """One date job under `job_id` at `at`: added, or moved when it was planned for another
        time. Late (the service was busy or down), it runs at once."""
        job = self._scheduler.get_job(job_id)
        if job is not None and job.next_run_time == at:
            return
        self._scheduler.add_job(
            func,
            DateTrigger(run_date=at),
            args=list(args),
            id=job_id,
            name=name,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def drop_unwanted(self, wanted: set[str]) -> None:
        for job in self._scheduler.get_jobs():
            if job.id.startswith(self.job_prefix) and job.id not in wanted:
                job.remove()
