"""With 5% server errors, 5% 429s and a gateway reconnect, 1,000 deliveries are 1,000 messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import discord

from bot.app import Application
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from tests.delivery.support import service_settings, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator, Faults


@contextlib.asynccontextmanager
async def gateway_client(emu: DiscordEmulator) -> AsyncIterator[discord.Client]:
    """A discord.py client on the emulator's gateway, as the chat front end keeps one."""
    discord.http.Route.BASE = emu.api_base
    client = discord.Client(intents=discord.Intents.default())
    task = asyncio.create_task(client.start(emu.token))
    try:
        await emu.wait_ready(timeout=10)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def test_faults_and_a_reconnect_lose_and_double_nothing(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    channels = [emu.add_channel(guild, f"alerts-{i}") for i in range(900)]
    users = [emu.add_user(f"user-{i}") for i in range(100)]
    emu.global_limit_per_second = 250
    app = await Application.open(service_settings(db_path, emu, rate_per_second=225))
    await subscribe_many(
        app.db,
        [(TargetKind.CHANNEL, str(c), {}) for c in channels]
        + [(TargetKind.DM, str(u), {}) for u in users],
    )
    emu.faults = Faults(error_500_rate=0.05, error_429_rate=0.05, latency=0.01, seed=2018)
    async with gateway_client(emu):
        await app.start()
        try:
            change = StatusRequest(
                (Target("BCH", Direction.DEPOSIT, State.OPERATIONAL),),
                Reason.MAINTENANCE,
                "",
                "ops:test",
                Source.DISCORD,
            )
            assert (await app.services.status.change(change)).deliveries == 1_000
            await wait_for(lambda: emu.stats.messages_created >= 300, 20, "300 messages")
            await emu.disconnect_gateway(resumable=True)
            await emu.wait_resumed(timeout=10)
            await wait_for(lambda: emu.stats.messages_created >= 1_000, 60, "1,000 messages")
            await asyncio.sleep(0.5)  # room for anything doubled to show up
        finally:
            await app.stop()
    assert emu.resume_count == 1
    sent = app.metrics.deliveries.labels(outcome="sent", transport="channel")._value.get()
    sent += app.metrics.deliveries.labels(outcome="sent", transport="dm")._value.get()
    assert sent == 1_000
    assert emu.stats.injected_500s > 20 and emu.stats.injected_429s > 20
    assert emu.stats.messages_created == 1_000
    assert all(len(emu.messages(c)) == 1 for c in channels)
    assert all(len(emu.dm_messages(u)) == 1 for u in users)
