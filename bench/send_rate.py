"""Sustained Discord send rate of the dispatcher, against the emulator enforcing 50 requests/s
with 40 ms latency per request, for 2,000 DM and 200 channel subscribers; and the same fan-out
done the naive way (`await user.send(...)` / `await channel.send(...)` in a loop).

Run: .venv/bin/python -m bench.send_rate [NAIVE_SUBSCRIBERS] [--replicas N]
With `--reach [--dms N] [--slice SECONDS]` it times instead how fast channels and webhooks hear
of a change while 100,000 DMs are queued (see bench/reach.py).
The service runs as `python -m bot run` in a subprocess with its default budget (45/s), on a
SQLite file. The naive loop is timed over the first NAIVE_SUBSCRIBERS subscribers (default 220,
the same DM/channel mix) because at its pace the whole fan-out takes many minutes; its rate is
what is compared. With `--replicas N` (N > 1), N processes share a scratch PostgreSQL database
(bench_<random>, dropped afterwards): one leads and sends, the others stand by, so the fan-out
still gets one budget and one gateway connection; the naive loop is then left out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import discord

from bench.databases import scratch_settings, service_database_env
from bench.reach import reach
from bot.delivery.render import render
from bot.domain import EventFilter, EventKind, Subscription, TargetKind
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.store import connect_database
from tests.delivery.support import emulated_discord, service_env, start_service, subscribe_many
from tests.discord_emulator import DiscordEmulator

LIMIT = 50
LATENCY = 0.04
DMS = 2_000
CHANNELS = 200
CHANGE = {
    "asset": "BTC",
    "name_ja": "ビットコイン",
    "name_en": "Bitcoin",
    "direction": "deposit",
    "old_state": "suspended",
    "new_state": "operational",
}


async def cli(env: dict[str, str], cwd: Path, *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(err.decode())


async def fan_out(emu: DiscordEmulator, env: dict[str, str], cwd: Path, state: str) -> None:
    """One status change, timed from the CLI's commit to the last message."""
    before_msgs, before_reqs = emu.stats.messages_created, emu.stats.requests
    before_429 = emu.stats.global_429s
    samples: list[tuple[float, int, int]] = []
    await cli(env, cwd, "status", "set", "btc", "--deposit", state, "--reason", "maintenance")
    started = time.monotonic()
    target = before_msgs + DMS + CHANNELS
    while emu.stats.messages_created < target:
        samples.append((time.monotonic(), emu.stats.messages_created, emu.stats.requests))
        await asyncio.sleep(0.1)
    ended = time.monotonic()
    requests = emu.stats.requests - before_reqs
    # Sustained: between the 10th and the 90th percentile of messages, start-up and tail aside.
    low = before_msgs + (DMS + CHANNELS) // 10
    high = before_msgs + (DMS + CHANNELS) * 9 // 10
    t1, m1, r1 = next(s for s in samples if s[1] >= low)
    t2, m2, r2 = next(s for s in samples if s[1] >= high)
    sustained = (r2 - r1) / (t2 - t1)
    print(
        f"  {DMS + CHANNELS:,} messages, {requests:,} requests in {ended - started:.1f}s; "
        f"sustained {(m2 - m1) / (t2 - t1):.1f} messages/s, {sustained:.1f} requests/s = "
        f"{sustained / LIMIT:.0%} of the {LIMIT}/s limit; "
        f"global 429s: {emu.stats.global_429s - before_429}"
    )


async def naive(emu: DiscordEmulator, guild: int, subs: list[Subscription], count: int) -> None:
    """What a bot does without an outbox: send to each subscriber in turn."""
    intents = discord.Intents.default()
    intents.members = True
    discord.http.Route.BASE = emu.api_base
    client = discord.Client(intents=intents)
    task = asyncio.create_task(client.start(emu.token))
    try:
        await emu.wait_ready(timeout=20)
        await asyncio.wait_for(client.wait_until_ready(), 20)
        chosen = subs[: count * DMS // (DMS + CHANNELS)] + subs[DMS : DMS + count // 11]
        before = emu.stats.requests
        started = time.monotonic()
        for sub in chosen:
            payload: dict[str, Any] = {"changes": [CHANGE], "reason": "maintenance", "note": ""}
            embed = render(EventKind.STATUS, payload, discord.utils.utcnow(), sub)
            assert embed is not None
            if sub.target_kind is TargetKind.DM:
                user = client.get_user(int(sub.target)) or await client.fetch_user(int(sub.target))
                await user.send(embed=discord.Embed.from_dict(embed))
            else:
                channel = client.get_channel(int(sub.target))
                assert isinstance(channel, discord.TextChannel)
                await channel.send(embed=discord.Embed.from_dict(embed))
        took = time.monotonic() - started
        requests = emu.stats.requests - before
        rate = len(chosen) / took
        print(
            f"  {len(chosen)} messages, {requests} requests in {took:.1f}s: "
            f"{requests / took:.1f} requests/s = {requests / took / LIMIT:.0%} of the limit; "
            f"{rate:.1f} messages/s, so {DMS + CHANNELS:,} would take "
            f"{(DMS + CHANNELS) / rate:.0f}s"
        )
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def main(naive_count: int, replicas: int) -> None:
    engine = "postgresql" if replicas > 1 else "sqlite"
    folder = Path(tempfile.mkdtemp(prefix="send-bench-"))
    async with emulated_discord() as emu, scratch_settings(engine) as settings:
        emu.global_limit_per_second = LIMIT
        emu.faults.latency = LATENCY
        guild = emu.add_guild("Zaif Community")
        users = [emu.add_user(f"user-{i}") for i in range(DMS)]
        for user in users:
            emu.add_member(guild, user)
        channels = [emu.add_channel(guild, f"alerts-{i}") for i in range(CHANNELS)]
        db = await connect_database(settings, identity="bench")
        await seed(db, shipped_reference())
        await subscribe_many(
            db,
            [(TargetKind.DM, str(u), {}) for u in users]
            + [(TargetKind.CHANNEL, str(c), {"locale": "en"}) for c in channels],
        )
        subs = await db.repos.subscriptions.list()
        await db.close()
        env = service_env(folder / "unused.sqlite3", emu)  # default budget: 45/s
        env.update(service_database_env(settings))
        # The first leads (its dispatcher started); the others stand by (their lease loop runs).
        services = [await start_service(env, folder)]
        for _ in range(replicas - 1):
            services.append(await start_service(env, folder, ready="cluster started"))
        try:
            print(
                f"outbox dispatcher, {replicas} process(es) on {engine}, {DMS:,} DMs + "
                f"{CHANNELS} channels, emulator {LIMIT}/s, {LATENCY * 1000:.0f} ms latency"
            )
            print(" first alert (every DM channel opened: two requests per DM):")
            await fan_out(emu, env, folder, "operational")
            print(" second alert (DM channel ids cached: one request per message):")
            await fan_out(emu, env, folder, "suspended")
            print(f" most gateway connections at once: {emu.gateway.most_connected}")
        finally:
            for service in services:
                service.send_signal(signal.SIGTERM)
                await service.wait()
        if replicas > 1:
            return  # the naive loop has no replicas: its figures are the single process's
        print(f"naive loop, one message after another ({naive_count} subscribers):")
        emu.reset_rate_limits()
        await naive(emu, guild, [s for s in subs if s.events is EventFilter.ALL], naive_count)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("naive_subscribers", nargs="?", type=int, default=220)
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="`python -m bot run` processes; more than one share a scratch PostgreSQL database",
    )
    parser.add_argument(
        "--reach",
        action="store_true",
        help="100,000 DMs, 200 channels and 50 webhooks: the time to the last channel and webhook",
    )
    parser.add_argument("--dms", type=int, default=100_000, help="DM subscribers for --reach")
    parser.add_argument(
        "--slice", type=float, default=60.0, help="seconds of the DM fan-out run for --reach"
    )
    args = parser.parse_args()
    if args.reach:
        asyncio.run(reach(args.dms, args.slice))
    else:
        asyncio.run(main(args.naive_subscribers, args.replicas))
