"""The Discord emulator against real discord.py 2.7: nothing on the client side is mocked."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from tests.discord_emulator import DiscordEmulator, EmulatorError, Faults

TOKEN = "test-token"
ASSETS = ["btc", "bch", "eth", "xrp", "xym"]


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    saved_base, saved_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    emulator = DiscordEmulator(token=TOKEN)
    await emulator.start()
    discord.http.Route.BASE = emulator.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)
    try:
        yield emulator
    finally:
        discord.http.Route.BASE = saved_base
        DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway
        await emulator.stop()


@dataclass
class World:
    guild: int
    alice: int
    bob: int
    operators: int
    alerts: int
    closed: int


def build_world(emu: DiscordEmulator) -> World:
    guild = emu.add_guild("Zaif Community")
    alice = emu.add_user("alice", locale="ja", dms_open=True)
    bob = emu.add_user("bob", dms_open=False)
    operators = emu.add_role(guild, "operators", permissions=0)
    emu.add_member(guild, alice, roles=[operators])
    emu.add_member(guild, bob)
    alerts = emu.add_channel(guild, "alerts", bot_can_send=True)
    closed = emu.add_channel(guild, "staff-only", bot_can_send=False)
    return World(guild, alice, bob, operators, alerts, closed)


def build_tree(client: discord.Client) -> app_commands.CommandTree[discord.Client]:
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)

    @tree.command(name="status", description="Deposit/withdrawal status of an asset")
    async def status(interaction: discord.Interaction, asset: str) -> None:
        embed = discord.Embed(title=f"{asset.upper()} status", description="Deposits: normal")
        embed.add_field(name="Withdrawals", value="normal")
        await interaction.response.send_message(
            f"{asset} ({interaction.locale.value})",
            embed=embed,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @status.autocomplete("asset")
    async def asset_choices(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=a.upper(), value=a) for a in ASSETS if a.startswith(current)]

    @tree.command(name="report", description="Slow report: defers, then edits the response")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="report ready")

    operator = app_commands.Group(name="operator", description="Operator tools")

    @operator.command(name="set-status", description="Override an asset's status")
    async def set_status(interaction: discord.Interaction, asset: str, halted: bool) -> None:
        await interaction.response.send_message(f"{asset} halted={halted}", ephemeral=True)

    alerts = app_commands.Group(name="alerts", description="Alert settings", parent=operator)

    @alerts.command(name="mute", description="Mute alerts for a while")
    async def mute(
        interaction: discord.Interaction, minutes: int, channel: discord.TextChannel
    ) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send(f"muted {channel.name} for {minutes} min", ephemeral=True)

    tree.add_command(operator)
    return tree


@dataclass
class Bot:
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    world: World


@contextlib.asynccontextmanager
async def running_bot(emu: DiscordEmulator, world: World) -> AsyncIterator[Bot]:
    intents = discord.Intents.default()
    intents.members = True
    client = discord.Client(intents=intents, guild_ready_timeout=0.05)
    tree = build_tree(client)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await emu.wait_ready(timeout=10)
        await asyncio.wait_for(client.wait_until_ready(), 10)
        tree.copy_global_to(guild=discord.Object(world.guild))
        await tree.sync(guild=discord.Object(world.guild))
        yield Bot(client, tree, world)
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


@pytest.fixture
async def bot(emu: DiscordEmulator) -> AsyncIterator[Bot]:
    async with running_bot(emu, build_world(emu)) as running:
        yield running


async def test_client_connects_and_syncs_commands(emu: DiscordEmulator, bot: Bot) -> None:
    guild = bot.client.get_guild(bot.world.guild)
    assert guild is not None and guild.name == "Zaif Community"
    assert guild.member_count == 3 and guild.get_member(bot.world.alice) is not None
    registered = await emu.wait_commands(bot.world.guild, timeout=2)
    assert sorted(c["name"] for c in registered) == ["operator", "report", "status"]
    assert all(c["application_id"] == str(emu.application_id) for c in registered)
    assert emu.commands(None) == []


async def test_invoke_returns_reply_with_embed(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke("status", options={"asset": "btc"}, user=w.alice, guild=w.guild, channel=w.alerts, locale="en-US")
    assert res.response_type == 4
    assert res.content == "btc (en-US)"
    assert res.embeds[0]["title"] == "BTC status"
    assert res.embeds[0]["fields"][0] == {"name": "Withdrawals", "value": "normal", "inline": True}
    assert not res.ephemeral
    assert res.allowed_mentions == {"parse": []}
    assert 0 <= res.latency < 2
