"""How fast the status page, the JSON API and the feed answer, from a real running service.

Run by hand: `.venv/bin/python -m bench.web_page [--seconds 5] [--concurrency 20]`.
Starts the service on a free port over a fresh temporary database, makes a few status changes so
that history and feed have content, then has N clients request each URL in turn for the given
time, and prints requests per second and latency percentiles per URL.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from bot.app import Application
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.settings import DatabaseSettings, Settings, WebSettings
from bot.web import WebServer

PATHS = ["/", "/?lang=en", "/api/v1/status", "/api/v1/assets/BTC/history", "/feed.atom"]
CHANGES = 40  # status changes written before measuring


async def client(
    session: aiohttp.ClientSession, url: str, until: float, latencies: list[float]
) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        async with session.get(url) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
        latencies.append(time.perf_counter() - started)


async def measure(base: str, path: str, seconds: float, concurrency: int) -> None:
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(
            *(client(session, base + path, until, latencies) for _ in range(concurrency))
        )
    latencies.sort()
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{path:32} {len(latencies) / seconds:8.1f} req/s"
        f"  p50 {cuts[49] * 1000:6.1f} ms  p95 {cuts[94] * 1000:6.1f} ms"
        f"  max {latencies[-1] * 1000:6.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database=DatabaseSettings(path=Path(folder) / "bench.sqlite3"),
            web=WebSettings(port=0),
        )
        app = await Application.open(settings)
        try:
            await app.start()
            for n in range(CHANGES):
                state = State.OPERATIONAL if n % 2 == 0 else State.MAINTENANCE
                await app.services.status.change(
                    StatusRequest(
                        targets=tuple(Target("BTC", d, state) for d in Direction),
                        reason=Reason.MAINTENANCE,
                        note=f"bench change {n}",
                        actor="bench",
                        source=Source.SYSTEM,
                    )
                )
            web = next(c for c in app.components if isinstance(c, WebServer))
            base = web.url.rstrip("/")
            print(f"{args.concurrency} clients, {args.seconds:g} s per URL, against {base}")
            for path in PATHS:
                await measure(base, path, args.seconds, args.concurrency)
        finally:
            await app.stop()


if __name__ == "__main__":
    asyncio.run(main())
