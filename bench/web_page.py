"""The status page, JSON API and feed under load, beside a bare server serving the same bytes.

Run by hand: `.venv/bin/python -m bench.web_page [--seconds 8] [--connections 50] [--rounds 2]
[--gzip]` (`--gzip`: clients accept gzip, as browsers do; else they ask for nothing, as wrk does).
Needs `wrk` (Debian: `apt-get install -y wrk`; the bench installs it when run as root).

Starts the service on a free port over a fresh temporary database and makes some status changes,
then copies each measured response (status, headers, body) into a bare aiohttp server in the
same process that serves those bytes from memory. wrk loads both, alternating, with the same
connections per URL; printed per URL: requests/s, p50 and p99 for each, and service/bare.
Then: the share of 304s when each client sends back the last ETag it got while the data change
every second, and the time from a CLI change to its visibility on `/`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

from bot.app import Application
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.settings import DatabaseSettings, FeedSettings, Settings, WebSettings
from bot.web import WebServer

PATHS = ["/", "/?lang=en", "/api/v1/status", "/feed.atom"]
CHANGES = 40  # status changes written before measuring
GOAL_RATIO = 0.5
GOAL_P99_MS = 20.0
# Set per response by the server itself; everything else is copied to the bare server.
NOT_COPIED = {"date", "server", "content-length", "transfer-encoding", "connection"}
ROOT = Path(__file__).resolve().parents[1]

# Each wrk connection sends back the ETag it last received; statuses are summed over threads.
REVALIDATE_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function request()
  if etag then wrk.headers["If-None-Match"] = etag end
  return wrk.format()
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local tag = headers["ETag"] or headers["etag"]
  if tag then etag = tag end
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do io.write(string.format("status %d %d\\n", status, count)) end
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True, slots=True)
class Captured:
    status: int
    headers: CIMultiDict[str]
    body: bytes


def find_wrk() -> str:
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install -y wrk)...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
        found = shutil.which("wrk")
    if found is None:
        sys.exit("this bench needs wrk: apt-get install -y wrk")
    return found


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


async def wrk(
    binary: str, url: str, seconds: float, connections: int, *extra: str
) -> tuple[Load, str]:
    process = await asyncio.create_subprocess_exec(
        binary,
        "-t2",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        *extra,
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out = (await process.communicate())[0].decode()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if not (rps and p50 and p99):
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    load = Load(
        float(rps.group(1)),
        _ms(p50.group(1)),
        _ms(p99.group(1)),
        int(errors.group(1)) if errors else 0,
    )
    return load, out


async def capture(session: aiohttp.ClientSession, url: str, encoding: str) -> Captured:
    """The response as wrk gets it: no Accept-Language, and the given Accept-Encoding."""
    async with session.get(url, headers={"Accept-Encoding": encoding}) as response:
        body = await response.read()
        headers = CIMultiDict(
            (k, v) for k, v in response.headers.items() if k.lower() not in NOT_COPIED
        )
        return Captured(response.status, headers, body)


async def start_bare(responses: dict[str, Captured]) -> tuple[web.AppRunner, str]:
    """A plain aiohttp server answering each captured URL with a copy of its bytes."""

    async def handler(request: web.Request) -> web.Response:
        found = responses[request.path_qs]
        return web.Response(status=found.status, headers=found.headers, body=found.body)

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


def _change(n: int, note: str) -> StatusRequest:
    state = State.OPERATIONAL if n % 2 == 0 else State.MAINTENANCE
    return StatusRequest(
        targets=tuple(Target("BTC", d, state) for d in Direction),
        reason=Reason.MAINTENANCE,
        note=note,
        actor="bench",
        source=Source.SYSTEM,
    )


def _median(values: list[float]) -> float:
    return statistics.median(values)


async def compare(
    binary: str, service: str, bare: str, args: argparse.Namespace
) -> list[tuple[str, Load, Load]]:
    rows = []
    for path in PATHS:
        ours: list[Load] = []
        theirs: list[Load] = []
        for round_ in range(args.rounds):
            # Alternate which goes first, so neither always meets a warmer or busier machine.
            order = [(service, ours), (bare, theirs)]
            for base, into in order if round_ % 2 == 0 else order[::-1]:
                load, _ = await wrk(
                    binary, base + path, args.seconds, args.connections, *args.wrk_headers
                )
                into.append(load)

        def merged(loads: list[Load]) -> Load:
            return Load(
                _median([x.rps for x in loads]),
                _median([x.p50_ms for x in loads]),
                _median([x.p99_ms for x in loads]),
                sum(x.errors for x in loads),
            )

        rows.append((path, merged(ours), merged(theirs)))
    return rows


async def revalidation(
    binary: str, app: Application, base: str, seconds: float, connections: int
) -> dict[int, int]:
    """wrk clients that send back their last ETag, while the data change every second."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REVALIDATE_LUA)

    async def changes() -> None:
        n = 0
        while True:
            await asyncio.sleep(1.0)
            await app.services.status.change(_change(n, f"revalidation {n}"))
            n += 1

    changing = asyncio.create_task(changes())
    try:
        _, out = await wrk(binary, base + "/", seconds, connections, "-s", script.name)
    finally:
        changing.cancel()
        os.unlink(script.name)
    return {int(s): int(c) for s, c in re.findall(r"^status (\d+) (\d+)$", out, re.M)}


async def cli_visibility(db_path: Path, base: str, times: int) -> list[float]:
    """Seconds from a `python -m bot status set` exiting to its note being on `/`."""
    env = {**os.environ, "BOT_DATABASE__PATH": str(db_path), "BOT_DISCORD__TOKEN": ""}
    found = []
    async with aiohttp.ClientSession() as session:
        for n in range(times):
            note = f"cli visibility {n} {time.time_ns()}"
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "status",
                "set",
                "XCP",
                "--deposit",
                ("operational", "maintenance")[n % 2],
                "--reason",
                "maintenance",
                "--note",
                note,
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            _, err = await process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"the CLI failed: {err.decode()}")
            exited = time.perf_counter()
            while True:
                async with session.get(base + "/?lang=en") as response:
                    if note in await response.text():
                        break
                await asyncio.sleep(0.01)
            found.append(time.perf_counter() - exited)
    return found


def report(rows: list[tuple[str, Load, Load]]) -> None:
    print(
        f"{'URL':<16} {'service req/s':>13} {'p50 ms':>7} {'p99 ms':>7}"
        f"   {'bare req/s':>10} {'p50 ms':>7} {'p99 ms':>7}   {'ratio':>5}  goal"
    )
    for path, ours, bare in rows:
        ratio = ours.rps / bare.rps
        met = ratio >= GOAL_RATIO and ours.p99_ms < GOAL_P99_MS
        errors = f"  ({ours.errors} non-2xx/3xx!)" if ours.errors else ""
        print(
            f"{path:<16} {ours.rps:13.0f} {ours.p50_ms:7.2f} {ours.p99_ms:7.2f}"
            f"   {bare.rps:10.0f} {bare.p50_ms:7.2f} {bare.p99_ms:7.2f}"
            f"   {ratio:5.2f}  {'met' if met else 'MISSED'}{errors}"
        )
    print(f"(goal: service/bare >= {GOAL_RATIO} with service p99 < {GOAL_P99_MS:g} ms)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cli-changes", type=int, default=3)
    parser.add_argument("--gzip", action="store_true", help="clients accept gzip")
    args = parser.parse_args()
    encoding = "gzip" if args.gzip else "identity"
    args.wrk_headers = ["-H", "Accept-Encoding: gzip"] if args.gzip else []
    binary = find_wrk()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.sqlite3"
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database=DatabaseSettings(path=db_path),
            web=WebSettings(port=0),
            feeds=FeedSettings(sources=[]),
        )
        app = await Application.open(settings)
        bare_runner: web.AppRunner | None = None
        try:
            await app.start()
            for n in range(CHANGES):
                await app.services.status.change(_change(n, f"bench change {n}"))
            web_server = next(c for c in app.components if isinstance(c, WebServer))
            service = web_server.url.rstrip("/")
            async with aiohttp.ClientSession(auto_decompress=False) as session:
                captured = {
                    path: await capture(session, service + path, encoding) for path in PATHS
                }
            bare_runner, bare = await start_bare(captured)
            sizes = ", ".join(f"{p} {len(c.body) / 1024:.1f} KB" for p, c in captured.items())
            print(
                f"wrk -t2 -c{args.connections} -d{args.seconds:g}s, {args.rounds} alternating"
                f" round(s) per URL and server (median shown); {encoding} bodies: {sizes}"
            )
            report(await compare(binary, service, bare, args))

            statuses = await revalidation(binary, app, service, args.seconds, args.connections)
            total = sum(statuses.values())
            share = statuses.get(304, 0) / total if total else 0.0
            print(
                f"\nrevalidation of / with the last ETag sent back, a change every second:"
                f" {total} responses, {share:.1%} were 304 ({dict(sorted(statuses.items()))})"
            )
            delays = await cli_visibility(db_path, service, args.cli_changes)
            poll = settings.delivery.poll_seconds
            print(
                "CLI change to visible on /: "
                + ", ".join(f"{d:.2f} s" for d in delays)
                + f" (max {max(delays):.2f} s; goal: within the poll interval, {poll:g} s;"
                " timed from the CLI process exiting)"
            )
        finally:
            if bare_runner is not None:
                await bare_runner.cleanup()
            await app.stop()


if __name__ == "__main__":
    asyncio.run(main())
