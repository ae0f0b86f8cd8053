"""Heartbeats per second and their latency: POST /api/v1/heartbeats/{name} at 50 connections.

Run: .venv/bin/python -m bench.heartbeat_rate [SECONDS] [--connections 50] [--engine postgresql]
     [--wrk]
The service runs as `python -m bot run` (a scratch database: a temporary SQLite file, or a
PostgreSQL database bench_<random> dropped afterwards), with a token and one heartbeat; this
process beats from CONNECTIONS concurrent keep-alive connections for SECONDS and prints beats/s
and the latency's median and 99th percentile. That load generator is Python and takes a good part
of the machine's cores from the service; `--wrk` runs wrk instead (`apt-get install -y wrk`) and
prints its report, refusing to count a run with any answer but 2xx. Either way it then shows how
long ago the last beat reached the database (beats are written in batches). Goals: p99 under
20 ms, at least 2,000 beats/s.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import time

import aiohttp

from bench.api_service import Running, api_service, run_cli
from bench.databases import add_engine_option, scratch_settings
from bot.settings import DatabaseSettings
from bot.store import connect_database

WRK_SCRIPT = 'wrk.method = "POST"\nwrk.headers["Authorization"] = "Bearer {token}"\n'


async def beat_for(running: Running, seconds: float, connections: int) -> list[float]:
    url = running.url + "api/v1/heartbeats/btc-node"
    headers = {"Authorization": f"Bearer {running.token}"}
    took: list[float] = []
    failures = 0
    end = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < end:
                started = time.perf_counter()
                async with http.post(url, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        failures += 1
                took.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(connections)))
    if failures:
        raise SystemExit(f"{failures} beats were refused")
    return took


async def main(seconds: float, connections: int, engine: str, use_wrk: bool) -> None:
    async with scratch_settings(engine) as database, api_service(database) as running:
        await run_cli(
            running.env,
            running.folder,
            "heartbeats",
            "add",
            "btc-node",
            "--assets",
            "btc",
            "--direction",
            "deposit",
            "--grace",
            "60",
            "--reason",
            "server_failure",
        )
        await beat_for(running, 1.0, connections)  # warm up
        if use_wrk:
            await with_wrk(running, seconds, connections)
        else:
            took = await beat_for(running, seconds, connections)
            ms = sorted(t * 1000 for t in took)
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(
                f"{engine}: {len(ms):,} beats in {seconds:g} s at {connections} connections:"
                f" {len(ms) / seconds:,.0f} beats/s; latency median"
                f" {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms"
            )
        await last_beat(database)


async def last_beat(database: DatabaseSettings) -> None:
    """That the beats were written, not only answered: the last one's age in the database."""
    db = await connect_database(database)
    try:
        [beat], now = await db.repos.heartbeats.all()
    finally:
        await db.close()
    print(f"last beat in the database: {now - beat.last_beat_at:.2f} s ago, read after the run")


async def with_wrk(running: Running, seconds: float, connections: int) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    script = running.folder / "beat.lua"
    script.write_text(WRK_SCRIPT.format(token=running.token))
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-s",
        str(script),
        running.url + "api/v1/heartbeats/btc-node",
    ]
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    report = out.decode().strip()
    print(" ".join(command[:-3]), "-s beat.lua", command[-1])
    print(report)
    if refused := re.search(r"Non-2xx or 3xx responses: (\d+)", report):
        raise SystemExit(f"{refused.group(1)} beats were refused: the figures count them")
    print("every answer was 2xx")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=50)
    add_engine_option(parser)
    parser.add_argument("--wrk", action="store_true", help="load with wrk instead of Python")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.connections, args.engine, args.wrk))
