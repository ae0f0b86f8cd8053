"""How long one status change takes to write its outbox for 100,000 subscribers.

Run: .venv/bin/python -m bench.outbox_write [SUBSCRIBERS]
Half the subscribers want every asset, half a few assets each; the change is one operator action
(one event), first for one asset, then for all eleven assets at once.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bot.clock import utcnow
from bot.domain import (
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
from bot.store import Database

SOME = [frozenset({"BTC"}), frozenset({"MONA", "BCH"}), frozenset({"ZAIF", "XCP", "BTC"})]


def subscribers(count: int) -> list[Subscription]:
    now = utcnow()
    return [
        Subscription(
            id=0,
            target_kind=TargetKind.DM if i % 10 else TargetKind.CHANNEL,
            target=str(10**17 + i),
            guild_id=None,
            all_assets=i % 2 == 0,
            assets=frozenset() if i % 2 == 0 else SOME[i % 3],
            events=EventFilter.ALL,
            locale="ja" if i % 4 else "en",
            created_by="bench",
            created_at=now,
        )
        for i in range(count)
    ]


async def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="outbox-bench-"))
    db = await Database.open(folder / "bench.sqlite3")
    try:
        await seed(db, shipped_reference())
        started = time.perf_counter()
        async with db.transaction() as repos:
            await repos.subscriptions.add_many(subscribers(count))
        print(f"{count:,} subscriptions written in {time.perf_counter() - started:.2f}s (setup)")
        service = StatusService(db)
        one = StatusRequest(
            (Target("BTC", Direction.DEPOSIT, State.OPERATIONAL),),
            Reason.MAINTENANCE,
            "",
            "bench",
            Source.CLI,
        )
        started = time.perf_counter()
        result = await service.change(one)
        took = time.perf_counter() - started
        print(f"one asset:  {result.deliveries:,} deliveries written in {took * 1000:.0f} ms")
        codes = [a.code for a in await service.assets()]
        everything = StatusRequest(
            tuple(Target(c, d, State.MAINTENANCE) for c in codes for d in Direction),
            Reason.MAINTENANCE,
            "",
            "bench",
            Source.CLI,
        )
        started = time.perf_counter()
        result = await service.change(everything)
        took = time.perf_counter() - started
        print(
            f"all assets ({len(result.changes)} pairs, one event): {result.deliveries:,} "
            f"deliveries written in {took * 1000:.0f} ms"
        )
    finally:
        await db.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
