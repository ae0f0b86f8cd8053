"""Interaction-to-reply latency of the Discord front end, against the local Discord emulator.

Runs the real bot (discord.py, the cogs, a fresh SQLite file) in this process and measures, for
each slash command, the time from the emulator dispatching INTERACTION_CREATE to the bot's
acknowledgement reaching it (what Discord's 3-second window is about), and the time from the
invocation to the final reply (the same, unless the command defers and follows up). Once one at
a time, then in waves of 50 in flight at once. Prints p50, p99 and max.

    .venv/bin/python -m bench.interaction_latency [--rounds 400] [--wave 50]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
from pydantic import SecretStr

from bot.app import Services
from bot.chat.component import DiscordFrontEnd
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.settings import DatabaseSettings, DiscordSettings, Settings
from bot.store import Database
from tests.discord_emulator import DiscordEmulator, InteractionResult

TOKEN = "bench-token"
Invoke = Callable[[int], Awaitable[InteractionResult]]


async def timed(call: Awaitable[InteractionResult]) -> tuple[float, float]:
    """(acknowledged after, final reply after), in seconds."""
    started = time.perf_counter()
    result = await call
    return result.latency, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, latencies: list[float]) -> None:
    ms = [v * 1000 for v in latencies]
    print(
        f"{label:<34} n={len(ms):<5} p50={percentile(ms, 0.50):7.2f} ms"
        f"  p99={percentile(ms, 0.99):7.2f} ms  max={max(ms):7.2f} ms"
        f"  mean={statistics.fmean(ms):7.2f} ms"
    )


async def run(rounds: int, wave: int) -> None:
    emu = DiscordEmulator(token=TOKEN)
    await emu.start()
    guild = emu.add_guild("Zaif Community", locale="ja")
    emu.add_channel(guild, "general")
    role = emu.add_role(guild, "operators")
    users = [emu.add_user(f"user{n}", locale=("ja", "en-US")[n % 2]) for n in range(10)]
    for user in users:
        emu.add_member(guild, user, roles=[role])
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        await seed(db, shipped_reference())
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database=DatabaseSettings(path=Path(folder) / "bench.sqlite3"),
            discord=DiscordSettings(
                token=SecretStr(TOKEN),
                api_base=emu.api_base,
                gateway_url=emu.gateway_url,
                guild_ids=[guild],
                operator_role_ids=[role],
            ),
        )
        services = Services.build(db, shipped_reference())
        front = DiscordFrontEnd(settings, services, Metrics())
        await front.start()
        try:
            await emu.wait_commands(guild, timeout=10)
            await front.wait_ready()
            commands: dict[str, Invoke] = {
                "/status": lambda n: emu.invoke("status", user=users[n % 10], guild=guild),
                "/status btc": lambda n: emu.invoke(
                    "status", {"asset": "btc"}, user=users[n % 10], guild=guild
                ),
                "/history btc": lambda n: emu.invoke(
                    "history", {"asset": "btc"}, user=users[n % 10], guild=guild
                ),
                "/incident": lambda n: emu.invoke("incident", user=users[n % 10], guild=guild),
                "/operator set-status (writes)": lambda n: emu.invoke(
                    "operator set-status",
                    {
                        "asset": "mona",
                        "direction": "deposit",
                        "state": ("maintenance", "suspended")[n % 2],
                        "reason": "maintenance",
                    },
                    user=users[n % 10],
                    guild=guild,
                ),
            }
            names = list(commands)
            mixed = [names[n % len(names)] for n in range(rounds)]
            # Warm up: first calls build caches and open SQLite pages.
            for n in range(10):
                await commands[names[n % len(names)]](n)

            acks: dict[str, list[float]] = {name: [] for name in names}
            replies: dict[str, list[float]] = {name: [] for name in names}
            for n, name in enumerate(mixed):
                ack, final = await timed(commands[name](n))
                acks[name].append(ack)
                replies[name].append(final)
            print(f"one at a time, {rounds} interactions; acknowledged after:")
            for name in names:
                report(f"  {name}", acks[name])
            report("  all", [v for values in acks.values() for v in values])
            print("final reply after:")
            report("  /operator set-status (deferred)", replies[names[-1]])
            report("  all", [v for values in replies.values() for v in values])

            in_flight: list[tuple[float, float]] = []
            started = time.perf_counter()
            for first in range(0, rounds, wave):
                batch = mixed[first : first + wave]
                in_flight.extend(
                    await asyncio.gather(
                        *(timed(commands[name](first + i)) for i, name in enumerate(batch))
                    )
                )
            elapsed = time.perf_counter() - started
            print(f"\n{wave} in flight at once, {rounds} interactions in {elapsed:.2f} s:")
            report("  acknowledged after", [ack for ack, _ in in_flight])
            report("  final reply after", [final for _, final in in_flight])
        finally:
            await front.stop()
            await db.close()
            await emu.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--wave", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    saved = discord.http.Route.BASE
    try:
        asyncio.run(run(args.rounds, args.wave))
    finally:
        discord.http.Route.BASE = saved


if __name__ == "__main__":
    main()
