"""How long one status change takes to write its outbox for 100,000 subscribers.

Run: .venv/bin/python -m bench.outbox_write [SUBSCRIBERS] [--engine postgresql] [--runs 5]
Half the subscribers want every asset, half a few assets each; the change is one operator action
(one event), first for one asset, then for all eleven assets at once, each timed RUNS times (the
states alternate, so every run moves every pair it names; the outbox grows from run to run, as
it does in service). SQLite by default, in a temporary file; `--engine postgresql` uses a
scratch database bench_<random> on the test server, dropped afterwards. Nothing is sent between
runs, so from the second run on each change also merges the previous run's alerts about the same
pairs into its own (bot/store/outbox_merge.py): the minimum is the plain write, the others
include merging as many rows again.

Past 1,000 DM subscribers the change's transaction writes the other rows and leaves the DM rows
to the backlog (bot/store/outbox_backlog.py), which the service's dispatcher writes in batches
after it: each is timed, the change until it commits, and the backlog until its last batch.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable

from bench.databases import add_engine_option, scratch_settings
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
from bot.store import Database, connect_database

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


async def write_backlog(db: Database) -> float:
    """Write the DM rows the changes left for later, as the dispatcher does (a transaction per
    batch); return the seconds it took."""
    started = time.perf_counter()
    while True:
        async with db.transaction() as repos:
            if await repos.outbox.fan_out_more() is None:
                return time.perf_counter() - started


async def timed(
    db: Database,
    service: StatusService,
    pairs: Callable[[State], tuple[Target, ...]],
    states: list[State],
) -> tuple[list[float], list[float], int, int]:
    """One change per state in `states` (each moves every pair): the seconds each change took to
    commit and its DM backlog to be written, and the pairs and deliveries of the last."""
    took: list[float] = []
    after: list[float] = []
    changed = deliveries = 0
    for state in states:
        request = StatusRequest(pairs(state), Reason.MAINTENANCE, "", "bench", Source.CLI)
        started = time.perf_counter()
        result = await service.change(request)
        took.append(time.perf_counter() - started)
        after.append(await write_backlog(db))
        changed, deliveries = len(result.changes), result.deliveries
    return took, after, changed, deliveries


def spread(took: list[float]) -> str:
    ms = [t * 1000 for t in took]
    return (
        f"{statistics.median(ms):.0f} ms (median of {len(ms)}; min {min(ms):.0f},"
        f" max {max(ms):.0f})"
    )


async def main(count: int, engine: str, runs: int) -> None:
    async with scratch_settings(engine) as settings:
        db = await connect_database(settings, identity="bench")
        try:
            await measure(db, count, engine, runs)
        finally:
            await db.close()


async def measure(db: Database, count: int, engine: str, runs: int) -> None:
    await seed(db, shipped_reference())
    started = time.perf_counter()
    async with db.transaction() as repos:
        await repos.subscriptions.add_many(subscribers(count))
    print(
        f"{engine}: {count:,} subscriptions written in {time.perf_counter() - started:.2f}s (setup)"
    )
    service = StatusService(db)
    # Each change moves every pair it names: the states alternate, and neither of the second
    # pair is the seeded one.
    took, after, _, deliveries = await timed(
        db,
        service,
        lambda state: (Target("BTC", Direction.DEPOSIT, state),),
        [(State.OPERATIONAL, State.SUSPENDED)[run % 2] for run in range(runs)],
    )
    print(f"one asset:  {deliveries:,} deliveries: the change committed in {spread(took)},")
    print(f"            the DM rows written after it in {spread(after)}")
    codes = [a.code for a in await service.assets()]
    took, after, pairs, deliveries = await timed(
        db,
        service,
        lambda state: tuple(Target(c, d, state) for c in codes for d in Direction),
        [(State.MAINTENANCE, State.DELAYED)[run % 2] for run in range(runs)],
    )
    print(
        f"all assets ({pairs} pairs, one event): {deliveries:,} deliveries: the change"
        f" committed in {spread(took)},"
    )
    print(f"            the DM rows written after it in {spread(after)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subscribers", nargs="?", type=int, default=100_000)
    add_engine_option(parser)
    parser.add_argument("--runs", type=int, default=5, help="changes timed per case")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.engine, args.runs))
