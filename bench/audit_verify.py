"""How long `audit verify` takes over a long chain (goal: 1,000,000 events in under 20 s).

Run: .venv/bin/python -m bench.audit_verify [EVENTS] [--engine postgresql]
The events (status changes of a realistic size) are written in bulk straight into a scratch
database, then chained the way the migration chains existing rows (timed too), then verified
through the service `audit verify` calls. SQLite by default, in a temporary file;
`--engine postgresql` uses a scratch database bench_<random> on the test server, dropped
afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta

import psycopg

from bench.databases import add_engine_option, scratch_settings
from bot.clock import to_db, utcnow
from bot.services.audit import AuditService
from bot.settings import DatabaseSettings
from bot.store import connect_database

BATCH = 50_000


def rows(count: int) -> Iterator[tuple[str, str, str, str, str, str]]:
    start = utcnow() - timedelta(days=365)
    for i in range(count):
        payload = {
            "changes": [
                {"asset": "BTC", "direction": "deposit", "old": "operational",
                 "new": "suspended" if i % 2 else "operational"},
                {"asset": "MONA", "direction": "withdrawal", "old": "suspended",
                 "new": "operational"},
            ],
            "reason": "maintenance",
            "note": f"ウォレットの点検 {i}",
            "note_en": f"Wallet check {i}",
        }  # fmt: skip
        yield (
            "status",
            f"discord:{1000 + i % 7}",
            "discord",
            '["BTC", "MONA"]',
            json.dumps(payload, ensure_ascii=False),
            to_db(start + timedelta(seconds=30 * i)),
        )


def fill(settings: DatabaseSettings, count: int) -> None:
    insert = (
        "INSERT INTO events (kind, actor, source, assets, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    if settings.url is None:
        with sqlite3.connect(settings.path) as conn:
            conn.executemany(insert, rows(count))
        return
    with psycopg.connect(settings.url) as pg, pg.cursor() as cursor:
        with cursor.copy(
            "COPY events (kind, actor, source, assets, payload, created_at) FROM STDIN"
        ) as copy:
            for row in rows(count):
                copy.write_row(row)


async def main(count: int, engine: str) -> None:
    async with scratch_settings(engine) as settings:
        await (await connect_database(settings, identity="bench")).close()
        started = time.perf_counter()
        fill(settings, count)
        print(f"{engine}: {count:,} events written in {time.perf_counter() - started:.1f}s (setup)")
        db = await connect_database(settings, identity="bench")
        try:
            started = time.perf_counter()
            async with db.transaction() as repos:
                await repos.audit.chain_existing()
            print(f"chained as the migration does in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            verdict = await AuditService(db).verify()
            took = time.perf_counter() - started
            assert verdict.intact, verdict.problem
            print(f"audit verify: {verdict.text()[:40]}... in {took:.1f}s (goal < 20 s)")
        finally:
            await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="?", type=int, default=1_000_000)
    add_engine_option(parser)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.engine))
