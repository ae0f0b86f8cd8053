"""Feed parsing and polling figures: run by hand, prints what it measures.

    .venv/bin/python -m bench.feeds

- parse time of an FSA-sized feed (200 items) and of a feed at the 5 MB cap, and how much of it
  is the safety checks (strict decoding + expat's well-formedness/DOCTYPE pass);
- peak Python memory (tracemalloc) for the billion-laughs and quadratic-blowup bombs;
- one whole poll (local HTTP server, SQLite) of a 200-item feed, first and then answered 304.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.feeds.errors import FeedError
from bot.feeds.parse import check_xml, decode, parse
from bot.feeds.watcher import FeedWatcher
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.feeds import FeedService
from bot.services.orders import OrderService
from bot.services.seed import seed
from bot.settings import FeedSettings, FeedSource
from bot.store import open_database
from tests.feeds.server import BILLION_LAUGHS, FeedServer, fsa_rss, rss_item


def feed(items: int) -> bytes:
    return fsa_rss(
        *(
            rss_item(
                f"暗号資産交換業者に対する行政処分について(その{n})",
                f"https://www.fsa.go.jp/news/r8/{n:06d}.html",
                "Thu, 26 Nov 2026 17:30:00 +0900",
                description="近畿財務局は本日、資金決済法に基づき業務改善命令を発出しました。" * 3,
            )
            for n in range(items)
        )
    ).encode()


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def peak_kib(action: Callable[[], object]) -> tuple[float, str]:
    tracemalloc.start()
    outcome = "parsed"
    try:
        action()
    except FeedError as exc:
        outcome = f"refused ({exc.kind})"
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1024, outcome


def quadratic_blowup() -> bytes:
    big = "A" * 100_000
    refs = "&a;" * 40_000  # 40,000 x 100 kB = 4 GB once expanded, in a 220 kB body
    return (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{big}">]>'
        f'<rss version="2.0"><channel><title>{refs}</title></channel></rss>'
    ).encode()


def parsing() -> None:
    small = feed(200)
    large = feed(2_500)
    while len(large) < 4_900_000:
        large = feed(int(2_500 * 4_900_000 / len(large)))
    for name, body, runs in (("200 items", small, 20), ("at the 5 MB cap", large, 3)):
        total = median_ms(lambda body=body: parse(body), runs)  # type: ignore[misc]
        checks = median_ms(lambda body=body: check_xml(decode(body)), runs)  # type: ignore[misc]
        print(
            f"parse, {name} ({len(body) / 1e6:.2f} MB): {total:.1f} ms median,"
            f" of which safety checks {checks:.1f} ms ({checks / total:.0%})"
        )
    bombs = (("billion laughs", BILLION_LAUGHS), ("quadratic blowup", quadratic_blowup()))
    for name, body in bombs:
        kib, outcome = peak_kib(lambda body=body: parse(body))  # type: ignore[misc]
        began = time.perf_counter()
        try:
            parse(body)
        except FeedError:
            pass
        spent = (time.perf_counter() - began) * 1000
        print(f"{name} ({len(body)} bytes): {outcome}, peak {kib:.0f} KiB, {spent:.2f} ms")


async def polling() -> None:
    server = FeedServer()
    await server.start()
    server.serve("rss.xml", feed(200), etag='"v1"')
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.sqlite3")
        await seed(db, shipped_reference())
        scheduler = AsyncIOScheduler()
        source = FeedSource(name="fsa-ja", url=server.url("rss.xml"), keywords=["Zaif"])
        watcher = FeedWatcher(
            FeedSettings(sources=[source]),
            FeedService(db),
            OrderService(db),
            scheduler,
            Metrics(),
        )
        try:
            for label in ("first poll, 200 items recorded", "next poll, answered 304"):
                began = time.perf_counter()
                outcome = await watcher.poll("fsa-ja")
                spent = (time.perf_counter() - began) * 1000
                assert outcome.ok, outcome
                print(f"poll over local HTTP + SQLite, {label}: {spent:.1f} ms")
        finally:
            await watcher.stop()
            await db.close()
            await server.stop()


def main() -> None:
    parsing()
    asyncio.run(polling())


if __name__ == "__main__":
    main()
