"""How long the daily digest of 100,000 subscribers takes to build and queue.

Run: .venv/bin/python -m bench.digest [SUBSCRIBERS]
Every subscriber is on a digest at 08:00 JST and wants every asset. Two status changes during
the day are held for all of them; at 08:00 one release queues a summary per subscriber (one
transaction), which the dispatcher then sends paced like any fan-out.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import JST
from bot.domain import (
    AlertMode,
    Direction,
    EventFilter,
    Reason,
    Source,
    State,
    StatusRequest,
    Subscription,
    Target,
    TargetKind,
)
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.store import open_database

NOON = datetime(2026, 12, 1, 12, tzinfo=JST)
DIGEST = datetime(2026, 12, 2, 8, 0, 1, tzinfo=JST)


def subscribers(count: int) -> list[Subscription]:
    return [
        Subscription(
            id=0,
            target_kind=TargetKind.DM,
            target=str(10**17 + i),
            guild_id=None,
            all_assets=True,
            assets=frozenset(),
            events=EventFilter.ALL,
            locale="ja" if i % 4 else "en",
            created_by="bench",
            created_at=NOON,
            mode=AlertMode.DIGEST,
            digest_at="08:00",
        )
        for i in range(count)
    ]


def request(state: State) -> StatusRequest:
    return StatusRequest(
        (Target("BTC", Direction.DEPOSIT, state),), Reason.MAINTENANCE, "", "bench", Source.CLI
    )


async def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    db = await open_database(folder / "bench.sqlite3")
    try:
        await seed(db, shipped_reference())
        async with db.transaction() as repos:
            await repos.subscriptions.add_many(subscribers(count))
        for hour, state in ((12, State.DELAYED), (15, State.OPERATIONAL)):
            moment = NOON.replace(hour=hour).astimezone(UTC)
            service = StatusService(db, clock=functools.partial(lambda at: at, moment))
            started = time.perf_counter()
            result = await service.change(request(state))
            took = time.perf_counter() - started
            print(f"held for the digest: {result.deliveries:,} deliveries in {took * 1000:.0f} ms")
        started = time.perf_counter()
        async with db.transaction() as repos:
            queued = await repos.outbox.release_held(DIGEST.astimezone(UTC))
        took = time.perf_counter() - started
        print(f"digest built and queued: {queued:,} summaries in {took:.2f} s")
        print(f"outbox: {await db.repos.outbox.states()}")
    finally:
        await db.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
