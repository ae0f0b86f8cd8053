"""How long a maintenance window's start takes, for 100,000 subscribers: its one event, the
pairs' status changes and history rows, and the outbox rows, in one transaction (past 1,000 DM
subscribers, the DM rows are written after it, in batches: timed apart, as "then").

Run: .venv/bin/python -m bench.maintenance_start [SUBSCRIBERS] [RUNS]
The subscribers are those of bench/outbox_write.py, their filters spread over status,
maintenance, all and orders. Each run schedules a window over three assets (both directions),
moves the service's clock to its start and times the start; the end is timed too (it puts the
pairs back, one event). Goal: under 1 s, as for a status change.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.outbox_write import subscribers, write_backlog
from bot.domain import EventFilter, NewMaintenance, Reason, Source
from bot.reference import shipped_reference
from bot.services.maintenance import MaintenanceService
from bot.services.seed import seed
from bot.store import open_database

ASSETS = ("BTC", "MONA", "BCH")
FILTERS = [EventFilter.STATUS, EventFilter.MAINTENANCE, EventFilter.ALL, EventFilter.ORDERS]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _report(name: str, seconds: list[float], deliveries: int) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{name}: median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms,"
        f" max {max(ms):.0f} ms over {len(ms)} runs; {deliveries:,} deliveries each"
    )


async def main(count: int, runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="maintenance-bench-"))
    db = await open_database(folder / "bench.sqlite3")
    try:
        await seed(db, shipped_reference())
        subs = [
            replace(s, events=FILTERS[i % len(FILTERS)]) for i, s in enumerate(subscribers(count))
        ]
        async with db.transaction() as repos:
            await repos.subscriptions.add_many(subs)
        clock = Clock()
        service = MaintenanceService(db, clock=clock)
        starts: list[float] = []
        ends: list[float] = []
        backlog: list[float] = []  # the DM rows of each start and end, written after it
        for _ in range(runs):
            new = NewMaintenance(
                assets=ASSETS,
                direction="both",
                starts_at=clock.now + timedelta(hours=1),
                ends_at=clock.now + timedelta(hours=2),
                reason=Reason.WALLET_UPGRADE,
                note_ja="ウォレットの更新",
            )
            window, _ = await service.schedule(new, actor="bench", source=Source.CLI)
            await write_backlog(db)  # the announcement's DM rows, not timed
            clock.now = window.starts_at
            began = time.perf_counter()
            event = await service.start(window.id)
            starts.append(time.perf_counter() - began)
            backlog.append(await write_backlog(db))
            assert event is not None and event.payload["step"] == "started"
            clock.now = window.ends_at
            began = time.perf_counter()
            assert await service.end(window.id) is not None
            ends.append(time.perf_counter() - began)
            backlog.append(await write_backlog(db))
        written = await db.repos.outbox.count()
        per_event = written // (runs * 3)  # scheduled, started, completed: the same audience
        _report(f"start ({len(ASSETS) * 2} pairs, one event)", starts, per_event)
        _report("end (pairs put back, one event)", ends, per_event)
        _report("then the DM rows of each (a transaction per batch)", backlog, per_event)
    finally:
        await db.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(int(args[0]) if args else 100_000, int(args[1]) if len(args) > 1 else 5))
