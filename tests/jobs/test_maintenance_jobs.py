"""Maintenance jobs rebuilt from SQLite: stable ids, and what passed while the service was down
happens once at start-up, in order (one combined notice for a window that came and went)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import utcnow
from bot.domain import MaintenanceState, Source
from bot.jobs.maintenance import MaintenanceJobs
from bot.services.maintenance import MaintenanceService
from bot.store import Database, open_database
from tests.services.maintenance_support import (
    T0,
    Clock,
    recipients,
    rows,
    schedule,
    states,
    steps,
    subscribers,
    window,
)


@pytest.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    sched = AsyncIOScheduler(timezone="Asia/Tokyo")
    sched.start(paused=True)
    yield sched
    sched.shutdown(wait=False)


async def _restart(db_path: Path, clock: Clock) -> tuple[list[str], list[str]]:
    """A fresh process: open the file, start the jobs; the steps written and the jobs made."""
    reopened = await open_database(db_path)
    sched = AsyncIOScheduler(timezone="Asia/Tokyo")
    sched.start(paused=True)
    try:
        await MaintenanceJobs(MaintenanceService(reopened, clock=clock), sched).start()
        jobs = sorted(j.id for j in sched.get_jobs() if j.id.startswith("maintenance:"))
    finally:
        sched.shutdown(wait=False)
        await reopened.close()
    return steps(db_path), jobs


async def test_jobs_have_stable_ids_and_follow_an_extension(
    db: Database, scheduler: AsyncIOScheduler
) -> None:
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    jobs = MaintenanceJobs(service, scheduler)
    starts = T0 + timedelta(days=2)
    mid = await schedule(service, window(starts))
    await jobs.start()
    found = {j.id: j.next_run_time for j in scheduler.get_jobs()}
    assert found[f"maintenance:{mid}:remind:24"] == starts - timedelta(hours=24)
    assert found[f"maintenance:{mid}:remind:1"] == starts - timedelta(hours=1)
    assert found[f"maintenance:{mid}:start"] == starts
    assert found[f"maintenance:{mid}:end"] == starts + timedelta(hours=2)
    assert "maintenances:sync" in found

    extending = MaintenanceService(db, clock=clock, on_event=jobs.on_event)
    await extending.extend(mid, starts + timedelta(hours=5), actor="t", source=Source.CLI)
    for _ in range(100):
        job = scheduler.get_job(f"maintenance:{mid}:end")
        if job is not None and job.next_run_time == starts + timedelta(hours=5):
            break
        await asyncio.sleep(0.01)
    assert job is not None and job.next_run_time == starts + timedelta(hours=5)
    await extending.cancel(mid, actor="t", source=Source.CLI)
    for _ in range(100):
        if not [j for j in scheduler.get_jobs() if j.id.startswith("maintenance:")]:
            break
        await asyncio.sleep(0.01)
    assert not [j for j in scheduler.get_jobs() if j.id.startswith("maintenance:")]
    await jobs.stop()
    assert scheduler.get_job("maintenances:sync") is None


async def test_a_restart_across_the_start_and_then_across_the_end(
    db: Database, db_path: Path
) -> None:
    subs = await subscribers(db)
    clock = Clock()
    mid = await schedule(MaintenanceService(db, clock=clock), window(T0 + timedelta(minutes=30)))

    clock.now = T0 + timedelta(minutes=45)  # down across the start
    written, jobs = await _restart(db_path, clock)
    assert written == ["scheduled", "started"]
    assert jobs == [f"maintenance:{mid}:end"]
    assert states(db_path, "BTC") == {"deposit": "maintenance", "withdrawal": "maintenance"}
    assert (await _restart(db_path, clock))[0] == written  # nothing twice

    clock.now = T0 + timedelta(hours=3)  # down across the end
    written, jobs = await _restart(db_path, clock)
    assert written == ["scheduled", "started", "completed"] and jobs == []
    assert states(db_path, "BTC") == {"deposit": "suspended", "withdrawal": "suspended"}
    [(event_id,)] = rows(
        db_path, "SELECT id FROM events WHERE json_extract(payload, '$.step') = 'completed'"
    )
    assert recipients(db_path, int(str(event_id))) == {
        subs["status"],
        subs["maintenance"],
        subs["all"],
    }


async def test_a_window_that_came_and_went_while_down_is_one_notice_and_no_flip(
    db: Database, db_path: Path
) -> None:
    await subscribers(db)
    clock = Clock()
    service = MaintenanceService(db, clock=clock)
    first = await schedule(service, window(T0 + timedelta(minutes=30), hours=1))
    second = await schedule(service, window(T0 + timedelta(hours=5), assets=("MONA",)))
    history_before = rows(db_path, "SELECT COUNT(*) FROM status_history")

    clock.now = T0 + timedelta(hours=6)  # the first came and went; the second is under way
    written, jobs = await _restart(db_path, clock)
    assert written == ["scheduled", "scheduled", "took_place", "started"]  # in time order
    assert jobs == [f"maintenance:{second}:end"]
    assert states(db_path, "BTC") == {"deposit": "suspended", "withdrawal": "suspended"}
    assert rows(db_path, "SELECT COUNT(*) FROM status_history WHERE asset = 'BTC'") == rows(
        db_path, "SELECT COUNT(*) FROM status_history WHERE asset = 'BTC' AND event_id IS NULL"
    )  # only the seeded rows: no flip-flop
    assert rows(db_path, "SELECT COUNT(*) FROM status_history")[0][0] == (
        int(str(history_before[0][0])) + 2
    )
    assert (await service.get(first)).state is MaintenanceState.COMPLETED


async def test_a_start_missed_while_down_runs_at_start_up_by_the_real_clock(
    db: Database, db_path: Path
) -> None:
    """The scheduler's own clock: a job in the past runs at once when the scheduler runs."""
    service = MaintenanceService(db)
    mid = await schedule(service, window(utcnow() - timedelta(minutes=2)))
    sched = AsyncIOScheduler(timezone="Asia/Tokyo")
    sched.start()
    try:
        jobs = MaintenanceJobs(service, sched)
        await jobs.sync()  # no catch-up call: the overdue start job itself must do it
        for _ in range(200):
            if steps(db_path) == ["scheduled", "started"]:
                break
            await asyncio.sleep(0.01)
    finally:
        sched.shutdown(wait=False)
    assert steps(db_path) == ["scheduled", "started"]
    assert (await service.get(mid)).state is MaintenanceState.IN_PROGRESS
