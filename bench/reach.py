"""How fast the word reaches channels and webhooks while a huge DM fan-out is under way.

100,000 DM subscribers, 200 channels and 50 webhooks (answered by a local aiohttp server after
50 ms), one status change made with the CLI, `python -m bot run` sending on its default budget
(45/s) to the emulator enforcing Discord's 50/s. Printed: the time from the change to the last
channel message and to the last webhook (goal: under 5 s), DM messages per second and Discord
requests per DM message over the slice of the DM fan-out that was run, the time to the last DM
projected from them, and the service's peak RSS (goal: under 256 MiB).

At 45 requests/s 100,000 DMs take more than half an hour, so only a bounded slice of the DM
fan-out is run (`--slice` seconds, default 60); the rest is projected, and the output says so.

Run: .venv/bin/python -m bench.send_rate --reach [--dms N] [--slice SECONDS]
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import utcnow
from bot.domain import TargetKind
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.store import open_database
from tests.delivery.support import (
    Endpoint,
    emulated_discord,
    service_env,
    start_service,
    subscribe_many,
)

LIMIT = 50
LATENCY = 0.04
CHANNELS = 200
WEBHOOKS = 50
HOOK_LATENCY = 0.05
POLL = 0.2
OPENS = 2_700  # DM channels opened a minute: 45 a second


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sent_at(message: dict[str, object]) -> float:
    return datetime.fromisoformat(str(message["timestamp"])).timestamp()


async def reach(dms: int, slice_seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="reach-bench-"))
    db_path = folder / "bot.sqlite3"
    hooks = Endpoint(HOOK_LATENCY)
    await hooks.start()
    async with emulated_discord() as emu:
        emu.global_limit_per_second = LIMIT
        emu.faults.latency = LATENCY
        guilds = [emu.add_guild(f"guild-{g}") for g in range(10)]
        channels = [emu.add_channel(guilds[n % 10], f"alerts-{n}") for n in range(CHANNELS)]
        users = [emu.add_user(f"user-{n}") for n in range(dms)]
        db = await open_database(db_path)
        await seed(db, shipped_reference())
        # DMs first, then channels and webhooks: subscribed last, as in the worst case.
        await subscribe_many(db, [(TargetKind.DM, str(u), {}) for u in users])
        await subscribe_many(
            db,
            [(TargetKind.CHANNEL, str(c), {"locale": "en"}) for c in channels]
            + [
                (TargetKind.WEBHOOK, f"{hooks.base}/hook-{n}", {"secret": "bench"})
                for n in range(WEBHOOKS)
            ],
        )
        # Subscribed with /subscribe (or seen on the gateway): each channel's type is known.
        async with db.transaction() as repos:
            await repos.channel_types.record_subscribed({str(c): 0 for c in channels}, utcnow())
        await db.close()
        # The default budget (45/s). A change made with the CLI is seen at the dispatcher's next
        # poll on SQLite (on PostgreSQL, NOTIFY wakes it at once): polled often here, so that
        # the figures are the lanes', not the poll interval's.
        # DM channels are opened within the request budget, not the default DM-open budget
        # (30 a minute, for subscribers whose welcome did not open theirs): the slice measures
        # the send path.
        env = service_env(db_path, emu, poll_seconds=POLL, dm_opens_per_minute=OPENS)
        service = await start_service(env, folder)
        try:
            print(
                f"{dms:,} DMs + {CHANNELS} channels + {WEBHOOKS} webhooks, one process on SQLite,"
                f" emulator {LIMIT}/s with {LATENCY * 1000:.0f} ms latency, webhooks answered"
                f" after {HOOK_LATENCY * 1000:.0f} ms; the CLI's change seen within {POLL}s"
            )
            change = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "status",
                "set",
                "btc",
                "--deposit",
                "operational",
                "--reason",
                "maintenance",
                env=env,
                cwd=folder,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            _, err = await change.communicate()
            if change.returncode != 0:
                raise SystemExit(err.decode())
            committed = time.monotonic()
            # The change committed with its channel and webhook rows; past 1,000 DM
            # subscribers the DM rows are written afterwards, by the service, in batches.
            returned = time.time()
            samples: list[tuple[float, int, int]] = []
            while time.monotonic() - committed < slice_seconds:
                dm_messages = emu.stats.messages_created - sum(
                    len(emu.messages(c)) for c in channels
                )
                samples.append((time.monotonic(), dm_messages, emu.stats.requests))
                await asyncio.sleep(1.0)
            rss = peak_rss_mib(service.pid)
        finally:
            service.send_signal(signal.SIGTERM)
            await service.wait()
            await hooks.stop()
    with sqlite3.connect(db_path) as raw:
        made = raw.execute(
            "SELECT created_at FROM events WHERE kind = 'status' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
    change_at = datetime.fromisoformat(made).replace(tzinfo=UTC).timestamp()
    posted = [m for c in channels for m in emu.messages(c)]
    for what, count, times in (
        ("channels", CHANNELS, [sent_at(m) for m in posted]),
        ("webhooks", WEBHOOKS, hooks.answered),
    ):
        if not times:
            print(f" {what}: none reached")
            continue
        print(
            f" {what}: {len(times)}/{count}, the first {min(times) - change_at:.2f}s and the last"
            f" {max(times) - change_at:.2f}s after the change was made"
            f" ({max(times) - returned:.2f}s after the CLI returned)"
        )
    # The rate after the first 10 s (the channels, the webhooks and the start-up aside).
    start = next((s for s in samples if s[0] - samples[0][0] >= 10), samples[0])
    end = samples[-1]
    sent_dms = end[1] - start[1]
    rate = sent_dms / (end[0] - start[0]) if end[0] > start[0] else 0.0
    per_dm = (end[2] - start[2]) / sent_dms if sent_dms else float("nan")
    done = end[1]
    print(
        f" DMs (a {slice_seconds:.0f}s slice of the fan-out, the rest projected): {done:,} sent,"
        f" {rate:.1f} DM messages/s, {per_dm:.2f} Discord requests per DM message"
        " (a first alert opens each DM channel: two requests)"
    )
    if rate:
        projected = (end[0] - committed) + (dms - done) / rate
        print(f" projected time to the last DM: {projected / 60:.1f} min")
    print(f" peak RSS of the service: {rss:.0f} MiB (goal: under 256 MiB)")
    print(f" global 429s: {emu.stats.global_429s}")
