"""Interaction-to-reply latency of the Discord front end, against the local Discord emulator.

Runs the real bot (discord.py, the cogs, a fresh SQLite file) in this process and measures, for
each slash command, the time from the emulator dispatching INTERACTION_CREATE to the bot's
acknowledgement reaching it (what Discord's 3-second window is about), and the time from the
invocation to the final reply (the same, unless the command defers and follows up). Once one at
a time, then in waves of 50 in flight at once. Prints p50, p99 and max.

Then `/status` against a bare discord.py bot that answers it with a constant (the same embeds
the service sent), on the same emulator, in alternating blocks (service, bare, bare, service,
...; each bot freshly connected for its block): p50 and p99 one at a time, p99 with 50 in
flight, for both, and service/bare (goal: at most 1.2 each).

    .venv/bin/python -m bench.interaction_latency [--rounds 400] [--wave 50] [--blocks 4]
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
from discord import app_commands
from pydantic import SecretStr

from bot.chat.component import DiscordFrontEnd, point_at
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.bundle import Services
from bot.services.seed import seed
from bot.settings import DatabaseSettings, DiscordSettings, Settings
from bot.store import open_database
from tests.discord_emulator import DiscordEmulator, InteractionResult

TOKEN = "bench-token"
Invoke = Callable[[int], Awaitable[InteractionResult]]
GOAL_RATIO = 1.2
BLOCK_ONE_AT_A_TIME = 200
BLOCK_WAVES = 10
READY_SECONDS = 10.0


class BareBot(discord.Client):
    """discord.py and nothing else: /status answered from a constant."""

    def __init__(self, answers: dict[str, list[discord.Embed]], guild: int) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none())
        self.tree = app_commands.CommandTree(self)
        self._guild = discord.Object(id=guild)

        @self.tree.command(name="status", description="Deposit and withdrawal status")
        async def status(interaction: discord.Interaction) -> None:
            embeds = answers["en" if str(interaction.locale).startswith("en") else "ja"]
            await interaction.response.send_message(
                embeds=embeds, allowed_mentions=discord.AllowedMentions.none()
            )

    async def setup_hook(self) -> None:
        self.tree.copy_global_to(guild=self._guild)
        await self.tree.sync(guild=self._guild)


class Running:
    """One bot connected to the emulator for one block of measurements."""

    def __init__(self, start: Callable[[], Awaitable[None]], stop: Callable[[], Awaitable[None]]):
        self.start = start
        self.stop = stop


async def until_ready(client: discord.Client) -> None:
    """Connected, and its commands synced (setup_hook runs before the gateway is ready)."""
    async with asyncio.timeout(READY_SECONDS):
        while not client.is_ready():  # noqa: ASYNC110 - no event to await before login
            await asyncio.sleep(0.02)


def service_bot(settings: Settings, services: Services) -> Running:
    front = DiscordFrontEnd(settings, services, Metrics())

    async def start() -> None:
        await front.start()
        await until_ready(front.bot)

    return Running(start, front.stop)


def bare_bot(settings: Settings, answers: dict[str, list[discord.Embed]], guild: int) -> Running:
    bot = BareBot(answers, guild)
    task: list[asyncio.Task[None]] = []

    async def start() -> None:
        point_at(settings.discord.api_base, settings.discord.gateway_url)
        task.append(asyncio.create_task(bot.start(TOKEN)))
        await until_ready(bot)

    async def stop() -> None:
        await bot.close()
        await task[0]

    return Running(start, stop)


async def block(invoke: Invoke, wave: int) -> tuple[list[float], list[float]]:
    """/status one at a time, then in waves: the acknowledgement latencies of each."""
    for n in range(10):  # warm-up
        await invoke(n)
    single = [(await invoke(n)).latency for n in range(BLOCK_ONE_AT_A_TIME)]
    # One wave unmeasured: a freshly connected bot opens its HTTP connections in the first one.
    await asyncio.gather(*(invoke(n) for n in range(wave)))
    crowd: list[float] = []
    for _ in range(BLOCK_WAVES):
        results = await asyncio.gather(*(invoke(n) for n in range(wave)))
        crowd.extend(r.latency for r in results)
    return single, crowd


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


async def run(rounds: int, wave: int, blocks: int) -> None:
    emu = DiscordEmulator(token=TOKEN)
    await emu.start()
    guild = emu.add_guild("Zaif Community", locale="ja")
    emu.add_channel(guild, "general")
    role = emu.add_role(guild, "operators")
    users = [emu.add_user(f"user{n}", locale=("ja", "en-US")[n % 2]) for n in range(10)]
    for user in users:
        emu.add_member(guild, user, roles=[role])
    with tempfile.TemporaryDirectory() as folder:
        db = await open_database(Path(folder) / "bench.sqlite3")
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
            answers = {
                lang: [
                    discord.Embed.from_dict(e)
                    for e in (await emu.invoke("status", user=users[n], guild=guild)).embeds
                ]
                for lang, n in (("ja", 0), ("en", 1))
            }
        finally:
            await front.stop()
        try:
            await compare_status(emu, guild, users, settings, services, answers, blocks, wave)
        finally:
            await db.close()
            await emu.stop()


async def compare_status(
    emu: DiscordEmulator,
    guild: int,
    users: list[int],
    settings: Settings,
    services: Services,
    answers: dict[str, list[discord.Embed]],
    blocks: int,
    wave: int,
) -> None:
    def invoke(n: int) -> Awaitable[InteractionResult]:
        return emu.invoke("status", user=users[n % 10], guild=guild)

    found: dict[str, tuple[list[float], list[float]]] = {"service": ([], []), "bare": ([], [])}
    for number in range(blocks):
        # service, bare, bare, service, ...: neither always goes first.
        kind = ("service", "bare")[(number + number // 2) % 2]
        bot = (
            service_bot(settings, services)
            if kind == "service"
            else bare_bot(settings, answers, guild)
        )
        await bot.start()
        try:
            await emu.wait_commands(guild, timeout=10)
            single, crowd = await block(invoke, wave)
        finally:
            await bot.stop()
        found[kind][0].extend(single)
        found[kind][1].extend(crowd)
    print(
        f"\n/status, service against a bare discord.py bot answering from a constant,"
        f" {blocks} alternating blocks:"
    )
    for kind, (single, crowd) in found.items():
        report(f"  {kind}, one at a time", single)
        report(f"  {kind}, {wave} in flight", crowd)
    ours, bare = found["service"], found["bare"]
    ratios = {
        "p50 one at a time": percentile(ours[0], 0.5) / percentile(bare[0], 0.5),
        "p99 one at a time": percentile(ours[0], 0.99) / percentile(bare[0], 0.99),
        f"p99 {wave} in flight": percentile(ours[1], 0.99) / percentile(bare[1], 0.99),
    }
    for name, ratio in ratios.items():
        verdict = "met" if ratio <= GOAL_RATIO else "MISSED"
        print(f"  service/bare {name:<22} {ratio:5.2f}  (goal <= {GOAL_RATIO}) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--wave", type=int, default=50)
    parser.add_argument("--blocks", type=int, default=4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    saved = discord.http.Route.BASE
    try:
        asyncio.run(run(args.rounds, args.wave, args.blocks))
    finally:
        discord.http.Route.BASE = saved


if __name__ == "__main__":
    main()
