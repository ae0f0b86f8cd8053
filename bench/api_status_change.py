"""POST /api/v1/status/changes end to end with 100,000 subscribers: request sent → 201 received.

Run: .venv/bin/python -m bench.api_status_change [SUBSCRIBERS] [--engine postgresql] [--runs 5]
The subscribers (as bench.outbox_write makes them) are written first; then `python -m bot run`
serves on that database (a temporary SQLite file, or a PostgreSQL database bench_<random> dropped
afterwards), and this process posts one change of BTC's deposit per run, the states alternating,
timing each answer: the token's lookup, the service's transaction with its outbox rows for every
matching subscriber, and the JSON back. Goal: 201 in under 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import aiohttp

from bench.api_service import api_service
from bench.databases import add_engine_option, scratch_settings
from bench.outbox_write import spread, subscribers
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.settings import DatabaseSettings
from bot.store import connect_database


async def prepare(database: DatabaseSettings, count: int) -> None:
    db = await connect_database(database, identity="bench")
    try:
        await seed(db, shipped_reference())
        async with db.transaction() as repos:
            await repos.subscriptions.add_many(subscribers(count))
    finally:
        await db.close()


async def main(count: int, engine: str, runs: int) -> None:
    async with scratch_settings(engine) as database:
        await prepare(database, count)
        async with api_service(database) as running, aiohttp.ClientSession() as http:
            url = running.url + "api/v1/status/changes"
            headers = {"Authorization": f"Bearer {running.token}"}
            took: list[float] = []
            deliveries = 0
            for run in range(runs):
                body = {
                    "assets": ["BTC"],
                    "deposit": ("operational", "delayed")[run % 2],
                    "reason": "network_congestion",
                }
                started = time.perf_counter()
                async with http.post(url, json=body, headers=headers) as response:
                    answer = await response.json()
                took.append(time.perf_counter() - started)
                if response.status != 201:
                    raise SystemExit(f"answered {response.status}: {answer}")
                deliveries = answer["deliveries"]
                await asyncio.sleep(2.0)  # let the dispatcher's first claims pass
    print(
        f"{engine}: {count:,} subscribers, {deliveries:,} deliveries per change:"
        f" 201 in {spread(took)}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("subscribers", nargs="?", type=int, default=100_000)
    add_engine_option(parser)
    parser.add_argument("--runs", type=int, default=5, help="changes timed")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.engine, args.runs))
