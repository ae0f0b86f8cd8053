"""The Discord front end against the local emulator: real discord.py, a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import discord
import pytest
from discord.gateway import DiscordWebSocket
from pydantic import SecretStr

from bot.chat.component import DiscordFrontEnd
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.bundle import Services
from bot.settings import DiscordSettings, Settings
from bot.store import Database
from tests.discord_emulator import DiscordEmulator

TOKEN = "chat-test-token-not-a-secret"
MANAGE_CHANNELS = 1 << 4


@dataclass
class Chat:
    """The emulated server and the bot running against it."""

    emu: DiscordEmulator
    db: Database
    front: DiscordFrontEnd
    metrics: Metrics
    guild: int
    channel: int
    alerts: int
    closed: int
    aiko: int  # a customer, Japanese client
    ben: int  # a customer, en-US client
    operator: int  # operator by role, Japanese client
    operator_by_id: int  # operator by user id, en-GB client


@pytest.fixture
def discord_endpoints() -> Iterator[None]:
    """discord.py's endpoints are process-wide; put back the real ones after each test."""
    saved = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield None
    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.fixture
async def emu(discord_endpoints: None) -> AsyncIterator[DiscordEmulator]:
    emulator = DiscordEmulator(token=TOKEN)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


def chat_settings(settings: Settings, emu: DiscordEmulator, **discord_fields: object) -> Settings:
    config = DiscordSettings(
        token=SecretStr(TOKEN),
        api_base=emu.api_base,
        gateway_url=emu.gateway_url,
        **discord_fields,  # type: ignore[arg-type]
    )
    return settings.model_copy(update={"discord": config})


def services_for(db: Database) -> Services:
    return Services.build(db, shipped_reference())


async def wait_for_guild(front: DiscordFrontEnd, guild: int) -> None:
    """Until the bot has the guild (roles, channels) in its cache."""
    if front.bot.get_guild(guild) is None:
        await front.bot.wait_for("guild_available", check=lambda g: g.id == guild, timeout=10)


@pytest.fixture
async def chat(emu: DiscordEmulator, db: Database, settings: Settings) -> AsyncIterator[Chat]:
    guild = emu.add_guild("Zaif Community", locale="ja")
    operators = emu.add_role(guild, "operators")
    channel = emu.add_channel(guild, "general")
    alerts = emu.add_channel(guild, "alerts")
    closed = emu.add_channel(guild, "staff-only", bot_can_send=False)
    aiko = emu.add_user("aiko", locale="ja")
    ben = emu.add_user("ben", locale="en-US")
    operator = emu.add_user("operator", locale="ja")
    operator_by_id = emu.add_user("duty", locale="en-GB")
    emu.add_member(guild, aiko)
    emu.add_member(guild, ben)
    emu.add_member(guild, operator, roles=[operators])
    emu.add_member(guild, operator_by_id)
    configured = chat_settings(
        settings,
        emu,
        guild_ids=[guild],
        operator_role_ids=[operators],
        operator_user_ids=[operator_by_id],
    )
    metrics = Metrics()
    front = DiscordFrontEnd(configured, services_for(db), metrics)
    await front.start()
    try:
        await emu.wait_ready(timeout=10)
        await emu.wait_commands(guild, timeout=10)
        await wait_for_guild(front, guild)
        yield Chat(
            emu,
            db,
            front,
            metrics,
            guild,
            channel,
            alerts,
            closed,
            aiko,
            ben,
            operator,
            operator_by_id,
        )
    finally:
        await front.stop()
