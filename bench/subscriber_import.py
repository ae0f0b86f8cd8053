"""How long `subscriptions import` takes for 100,000 rows, and the export of the same.

Run: .venv/bin/python -m bench.subscriber_import [ROWS] [--engine postgresql] [--runs 3]
Each run imports the same CSV text (DMs, channels and webhooks; all assets or a few; every alert
mode) into a new empty database and times the whole import: parsing and checking every row, then
writing them in one transaction. Then the export of what was imported, and the import of that
export again (every target kept). SQLite by default, in a temporary file; `--engine postgresql`
uses a scratch database bench_<random> on the test server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bench.databases import add_engine_option, scratch_settings
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.subscriber_files import COLUMNS, SubscriberFiles
from bot.store import connect_database

SOME = ["BTC", "BCH;MONA", "BTC;XCP;ZAIF"]
EVENTS = ["all", "status", "orders", "incidents", "maintenance"]
MODES = ["instant,,,", "quiet,23:00,07:00,", "digest,,,08:30"]


def csv_text(rows: int) -> str:
    lines = [",".join(COLUMNS)]
    for i in range(rows):
        if i % 100 == 0:
            kind, target = "webhook", f"https://hooks.example.org/{i}"
        elif i % 10 == 0:
            kind, target = "channel", str(900_000_000_000_000_000 + i)
        else:
            kind, target = "dm", str(100_000_000_000_000_000 + i)
        assets = "all" if i % 2 == 0 else SOME[i % 3]
        lines.append(f"{kind},{target},{assets},{EVENTS[i % 5]},ja,{MODES[i % 3]}")
    return "\n".join(lines) + "\n"


def spread(took: list[float]) -> str:
    ms = [t * 1000 for t in took]
    return (
        f"{statistics.median(ms):.0f} ms (median of {len(ms)}; min {min(ms):.0f},"
        f" max {max(ms):.0f})"
    )


async def once(engine: str, text: str, last: bool) -> tuple[float, int]:
    """One import into a new database; on the last run, the export and re-import too."""
    async with scratch_settings(engine) as settings:
        db = await connect_database(settings, identity="bench")
        try:
            await seed(db, shipped_reference())
            files = SubscriberFiles(db)
            started = time.perf_counter()
            done = await files.import_csv(text, created_by="bench")
            took = time.perf_counter() - started
            if last:
                started = time.perf_counter()
                exported, count = await files.export_csv()
                print(f"export: {count:,} rows in {(time.perf_counter() - started) * 1000:.0f} ms")
                started = time.perf_counter()
                again = await files.import_csv(exported, created_by="bench")
                print(
                    f"the export imported again: {again.kept:,} kept, {again.added} added in"
                    f" {(time.perf_counter() - started) * 1000:.0f} ms"
                )
            return took, done.added
        finally:
            await db.close()


async def main(rows: int, engine: str, runs: int) -> None:
    text = csv_text(rows)
    took: list[float] = []
    added = 0
    for run in range(runs):
        seconds, added = await once(engine, text, last=run == runs - 1)
        took.append(seconds)
    print(f"{engine}: import of {rows:,} rows ({added:,} added) in {spread(took)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    add_engine_option(parser)
    parser.add_argument(
        "--runs", type=int, default=3, help="imports timed, each into a new database"
    )
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.engine, args.runs))
