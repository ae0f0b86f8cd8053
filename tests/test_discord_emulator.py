"""The Discord emulator against real discord.py 2.7: nothing on the client side is mocked."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from tests.discord_emulator import DiscordEmulator, EmulatorError, Faults
from tests.discord_emulator.commands import validate_commands
from tests.discord_emulator.validation import check_choices

TOKEN = "test-token"
ASSETS = ["btc", "bch", "eth", "xrp", "xym"]
MANAGE_GUILD = 1 << 5


@contextlib.asynccontextmanager
async def emulated_discord() -> AsyncIterator[DiscordEmulator]:
    """An emulator with discord.py pointed at it; the real endpoints are restored after."""
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


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator


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
    operators = emu.add_role(guild, "operators", permissions=MANAGE_GUILD)
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
        return [
            app_commands.Choice(name=a.upper(), value=a) for a in ASSETS if a.startswith(current)
        ]

    @tree.command(name="report", description="Slow report: defers, then edits the response")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="report ready")

    @tree.command(name="dump", description="Replies with more than Discord allows")
    async def dump(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x" * 2001)

    operator = app_commands.Group(name="operator", description="Operator tools")

    @operator.command(name="set-status", description="Override an asset's status")
    async def set_status(interaction: discord.Interaction, asset: str, halted: bool) -> None:
        if not interaction.permissions.manage_guild:
            await interaction.response.send_message("operators only", ephemeral=True)
            return
        can_post = interaction.app_permissions.send_messages
        await interaction.response.send_message(
            f"{asset} halted={halted} can_post={can_post}", ephemeral=True
        )

    alerts = app_commands.Group(name="alerts", description="Alert settings", parent=operator)

    @alerts.command(name="mute", description="Mute alerts for a while")
    async def mute(
        interaction: discord.Interaction, minutes: int, channel: discord.TextChannel
    ) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send(f"muted {channel.name} for {minutes} min", ephemeral=True)

    tree.add_command(operator)
    return tree


class PromptClient(discord.Client):
    """discord.py waits 5 s before every re-IDENTIFY; the emulator has no identify limit."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


@dataclass
class Bot:
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    world: World


@contextlib.asynccontextmanager
async def running_bot(emu: DiscordEmulator, world: World) -> AsyncIterator[Bot]:
    intents = discord.Intents.default()
    intents.members = True
    client = PromptClient(intents=intents, guild_ready_timeout=0.05)
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
    assert sorted(c["name"] for c in registered) == ["dump", "operator", "report", "status"]
    assert all(c["application_id"] == str(emu.application_id) for c in registered)
    assert emu.commands(None) == []


async def test_invoke_returns_reply_with_embed(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke(
        "status",
        options={"asset": "btc"},
        user=w.alice,
        guild=w.guild,
        channel=w.alerts,
        locale="en-US",
    )
    assert res.response_type == 4
    assert res.content == "btc (en-US)"
    assert res.embeds[0]["title"] == "BTC status"
    assert res.embeds[0]["fields"][0] == {"name": "Withdrawals", "value": "normal", "inline": True}
    assert not res.ephemeral
    assert res.allowed_mentions == {"parse": []}
    assert 0 <= res.latency < 2


async def test_invoke_uses_the_users_locale_by_default(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke("status", options={"asset": "eth"}, user=w.alice, guild=w.guild)
    assert res.content == "eth (ja)"


async def test_subcommand_reply_is_ephemeral(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke(
        "operator set-status", options={"asset": "xrp", "halted": True}, user=w.alice, guild=w.guild
    )
    assert res.response_type == 4
    assert res.content == "xrp halted=True can_post=True"
    assert res.ephemeral and res.flags & 64


async def test_member_and_app_permissions(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    options = {"asset": "btc", "halted": False}
    res = await emu.invoke("operator set-status", options=options, user=w.bob, guild=w.guild)
    assert res.content == "operators only"
    emu.set_user_permissions(w.guild, w.alerts, w.bob, MANAGE_GUILD)
    res = await emu.invoke(
        "operator set-status", options=options, user=w.bob, guild=w.guild, channel=w.alerts
    )
    assert res.content == "btc halted=False can_post=True"
    res = await emu.invoke(
        "operator set-status", options=options, user=w.alice, guild=w.guild, channel=w.closed
    )
    assert res.content == "btc halted=False can_post=False"
    admin = emu.add_user("dave")
    emu.add_member(w.guild, admin, permissions=MANAGE_GUILD)
    res = await emu.invoke("operator set-status", options=options, user=admin, guild=w.guild)
    assert res.content == "btc halted=False can_post=True"


async def test_global_command_in_dm(emu: DiscordEmulator, bot: Bot) -> None:
    await bot.tree.sync()
    assert {c["name"] for c in emu.commands(None)} == {"dump", "operator", "report", "status"}
    res = await emu.invoke("status", options={"asset": "btc"}, user=bot.world.alice)
    assert res.content == "btc (ja)"


async def test_subcommand_group_defers_then_follows_up(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke(
        "operator alerts mute",
        options={"minutes": 30, "channel": w.alerts},
        user=w.alice,
        guild=w.guild,
    )
    assert res.response_type == 5
    assert res.content == "muted alerts for 30 min"
    assert res.ephemeral
    assert len(res.followups) == 1


async def test_deferred_response_filled_from_original_edit(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    res = await emu.invoke("report", user=w.alice, guild=w.guild)
    assert res.response_type == 5
    assert res.content == "report ready"
    assert not res.ephemeral
    assert res.followups == []


async def test_autocomplete_returns_choices(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    choices = await emu.autocomplete(
        "status", options={"asset": "b"}, focused="asset", user=w.alice, guild=w.guild, locale="ja"
    )
    assert choices == [{"name": "BTC", "value": "btc"}, {"name": "BCH", "value": "bch"}]


async def test_invoke_checks_the_command_exists(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    with pytest.raises(EmulatorError, match="not registered"):
        await emu.invoke("withdraw", user=w.alice, guild=w.guild)
    with pytest.raises(EmulatorError, match="missing required"):
        await emu.invoke("status", user=w.alice, guild=w.guild)
    with pytest.raises(EmulatorError, match="no subcommand"):
        await emu.invoke("operator nope", user=w.alice, guild=w.guild)


def messages_route(channel_id: int) -> discord.http.Route:
    return discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)


async def assert_rejected(coro: Any, code: int = 50035) -> discord.HTTPException:
    with pytest.raises(discord.HTTPException) as caught:
        await coro
    assert caught.value.status == 400
    assert caught.value.code == code
    return caught.value


async def test_message_validation(emu: DiscordEmulator, bot: Bot) -> None:
    emu.channel_message_limit = (20, 5.0)  # rejected requests still spend bucket tokens
    channel = bot.client.get_channel(bot.world.alerts)
    assert isinstance(channel, discord.TextChannel)
    err = await assert_rejected(channel.send("x" * 2001))
    assert "content" in err.text
    # discord.py refuses >10 embeds itself, so go through its HTTP client directly.
    too_many = {"embeds": [{"title": str(i)} for i in range(11)]}
    await assert_rejected(bot.client.http.request(messages_route(channel.id), json=too_many))
    big = [discord.Embed(description="d" * 3500), discord.Embed(description="d" * 3500)]
    err = await assert_rejected(channel.send(embeds=big))
    assert "6000" in err.text
    await assert_rejected(channel.send(embed=discord.Embed(title="t" * 257)))
    fields = discord.Embed(title="many fields")
    for i in range(26):
        fields.add_field(name=str(i), value="v")
    await assert_rejected(channel.send(embed=fields))
    await assert_rejected(bot.client.http.request(messages_route(channel.id), json={}), 50006)
    await assert_rejected(channel.send("hi", nonce="n" * 26))
    assert emu.messages(channel.id) == []
    sent = await channel.send("x" * 2000, embed=discord.Embed(description="d" * 4096))
    assert emu.messages(channel.id)[0]["id"] == str(sent.id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Status"}, "name"),
        ({"name": "status check"}, "name"),
        ({"description": "d" * 101}, "description"),
        ({"description": ""}, "description"),
        ({"name_localizations": {"jp": "ステータス"}}, "jp"),
        ({"description_localizations": {"ja": "説" * 101}}, "ja"),
    ],
)
async def test_command_validation(
    emu: DiscordEmulator, bot: Bot, change: dict[str, Any], field: str
) -> None:
    command = {"name": "status", "description": "Asset status", "type": 1, **change}
    upsert = bot.client.http.bulk_upsert_guild_commands(
        emu.application_id, bot.world.guild, [command]
    )
    err = await assert_rejected(upsert)
    assert field in err.text
    # The earlier sync is untouched by a rejected overwrite.
    assert len(emu.commands(bot.world.guild)) == 4


async def test_unicode_command_names_are_accepted(emu: DiscordEmulator, bot: Bot) -> None:
    payload = [
        {"name": "ステータス", "description": "状態", "type": 1},
        {"name": "स्थिति", "description": "status in hindi", "type": 1},
        {"name": "Report message", "type": 3},
    ]
    saved = await bot.client.http.bulk_upsert_global_commands(emu.application_id, payload)
    assert [c["name"] for c in saved] == ["ステータス", "स्थिति", "Report message"]
    assert [c["name"] for c in emu.commands(None)] == ["ステータス", "स्थिति", "Report message"]


async def test_dm_to_user_with_closed_dms_is_forbidden(emu: DiscordEmulator, bot: Bot) -> None:
    bob = await bot.client.fetch_user(bot.world.bob)
    with pytest.raises(discord.Forbidden) as caught:
        await bob.send("your withdrawal is complete")
    assert caught.value.code == 50007
    alice = await bot.client.fetch_user(bot.world.alice)
    await alice.send("your withdrawal is complete")
    first = await bot.client.http.start_private_message(bot.world.alice)
    second = await bot.client.http.start_private_message(bot.world.alice)
    assert first["id"] == second["id"]
    assert [m["content"] for m in emu.dm_messages(bot.world.alice)] == [
        "your withdrawal is complete"
    ]
    assert emu.messages(int(first["id"])) == emu.dm_messages(bot.world.alice)


async def test_unknown_channel_and_missing_access(emu: DiscordEmulator, bot: Bot) -> None:
    with pytest.raises(discord.NotFound) as not_found:
        await bot.client.get_partial_messageable(1234).send("halt")
    assert not_found.value.code == 10003
    with pytest.raises(discord.NotFound):
        await bot.client.fetch_channel(1234)
    closed = bot.client.get_channel(bot.world.closed)
    assert isinstance(closed, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as forbidden:
        await closed.send("halt")
    assert forbidden.value.code == 50001
    with pytest.raises(discord.NotFound) as unknown_route:
        await bot.client.http.request(discord.http.Route("GET", "/no/such/route"))
    assert unknown_route.value.code == 0 and unknown_route.value.text == "404: Not Found"


async def test_enforced_nonce_deduplicates(emu: DiscordEmulator, bot: Bot) -> None:
    channel = bot.client.get_channel(bot.world.alerts)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("BTC withdrawals halted", nonce="halt-btc-1")
    again = await channel.send("BTC withdrawals halted", nonce="halt-btc-1")
    other = await channel.send("BTC withdrawals halted", nonce="halt-btc-2")
    assert again.id == first.id != other.id
    assert len(emu.messages(channel.id)) == 2
    assert emu.stats.duplicate_nonces == 1
    assert emu.stats.messages_created == 2


async def test_global_rate_limit(emu: DiscordEmulator) -> None:
    url = f"{emu.api_base}/users/@me"
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with aiohttp.ClientSession() as session:

        async def hit() -> tuple[int, dict[str, str], Any]:
            async with session.get(url, headers=headers) as resp:
                return resp.status, dict(resp.headers), await resp.json(content_type=None)

        results = await asyncio.gather(*(hit() for _ in range(120)))
        async with session.get(url) as unauthenticated:
            assert unauthenticated.status == 401
    limited = [r for r in results if r[0] == 429]
    assert sum(1 for r in results if r[0] == 200) == 50
    assert len(limited) == 70 == emu.stats.global_429s
    assert emu.stats.requests == 121
    _, resp_headers, body = limited[0]
    assert resp_headers["X-RateLimit-Global"] == "true"
    assert resp_headers["X-RateLimit-Scope"] == "global"
    assert resp_headers["Via"] == "1.1 google"
    assert int(resp_headers["Retry-After"]) >= 1
    assert resp_headers["Content-Type"] == "application/json"
    assert body["global"] is True and body["message"] == "You are being rate limited."
    assert isinstance(body["retry_after"], float) and 0 < body["retry_after"] <= 1
    assert emu.stats.route_429s == 0


async def test_channel_bucket_headers_and_route_429(emu: DiscordEmulator) -> None:
    guild = emu.add_guild("Zaif Community")
    channel = emu.add_channel(guild, "alerts")
    url = f"{emu.api_base}/channels/{channel}/messages"
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with aiohttp.ClientSession() as session:
        statuses = []
        for i in range(6):
            async with session.post(url, json={"content": str(i)}, headers=headers) as resp:
                statuses.append(resp.status)
                if i == 0:
                    first = dict(resp.headers)
                last, body = dict(resp.headers), await resp.json()
    assert statuses == [200] * 5 + [429]
    assert first["X-RateLimit-Limit"] == "5" and first["X-RateLimit-Remaining"] == "4"
    assert 4.5 < float(first["X-RateLimit-Reset-After"]) <= 5.0
    assert first["X-RateLimit-Bucket"] == last["X-RateLimit-Bucket"]
    assert last["X-RateLimit-Scope"] == "user" and "X-RateLimit-Global" not in last
    assert body["global"] is False and body["retry_after"] > 0
    assert emu.stats.route_429s == 1 and emu.stats.global_429s == 0


async def test_discord_py_waits_out_the_channel_bucket(emu: DiscordEmulator, bot: Bot) -> None:
    emu.channel_message_limit = (2, 0.3)
    channel = bot.client.get_channel(bot.world.alerts)
    assert isinstance(channel, discord.TextChannel)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for i in range(5):
        await channel.send(f"alert {i}")
    assert loop.time() - started >= 0.6
    assert [m["content"] for m in emu.messages(channel.id)] == [f"alert {i}" for i in range(5)]


async def test_faults_are_retried_by_discord_py(emu: DiscordEmulator, bot: Bot) -> None:
    channel = bot.client.get_channel(bot.world.alerts)
    assert isinstance(channel, discord.TextChannel)
    emu.faults = Faults(error_429_rate=1.0, limit=2, seed=1)
    await channel.send("after two 429s")
    assert emu.stats.injected_429s == 2 and emu.stats.global_429s == 0
    emu.faults = Faults(error_500_rate=1.0, limit=1, seed=1)
    await channel.send("after a 500")
    assert emu.stats.injected_500s == 1
    assert [m["content"] for m in emu.messages(channel.id)] == ["after two 429s", "after a 500"]


async def test_dropped_connection_and_latency(emu: DiscordEmulator, bot: Bot) -> None:
    channel = bot.client.get_channel(bot.world.alerts)
    assert isinstance(channel, discord.TextChannel)
    emu.faults = Faults(drop_rate=1.0, limit=1)
    with pytest.raises(aiohttp.ClientError):
        await channel.send("lost")
    assert emu.stats.dropped == 1 and emu.messages(channel.id) == []
    emu.faults = Faults(latency=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await channel.send("slow")
    assert loop.time() - started >= 0.2
    assert [m["content"] for m in emu.messages(channel.id)] == ["slow"]


def test_faults_are_reproducible_with_a_seed() -> None:
    first = Faults(error_500_rate=0.3, error_429_rate=0.3, seed=7)
    second = Faults(error_500_rate=0.3, error_429_rate=0.3, seed=7)
    picks = [first.pick() for _ in range(50)]
    assert picks == [second.pick() for _ in range(50)]
    assert len(set(picks)) == 3


async def test_client_resumes_after_disconnect(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    await emu.disconnect_gateway(resumable=True)
    # Dispatched while the client is away: replayed on RESUME.
    res = await emu.invoke("status", options={"asset": "btc"}, user=w.alice, guild=w.guild)
    assert res.content == "btc (ja)"
    await emu.wait_resumed(timeout=5)
    assert emu.resume_count == 1 and emu.identify_count == 1
    await emu.disconnect_gateway(resumable=True, use_reconnect_opcode=True)
    await emu.wait_resumed(timeout=5)
    res = await emu.invoke("status", options={"asset": "eth"}, user=w.alice, guild=w.guild)
    assert res.content == "eth (ja)"
    assert emu.resume_count == 2 and emu.identify_count == 1


async def test_client_identifies_again_after_invalid_session(
    emu: DiscordEmulator, bot: Bot
) -> None:
    w = bot.world
    await emu.disconnect_gateway(resumable=False)
    await emu.wait_ready(timeout=10)
    res = await emu.invoke("status", options={"asset": "xym"}, user=w.alice, guild=w.guild)
    assert res.content == "xym (ja)"
    assert emu.identify_count == 2


async def test_route_base_is_restored() -> None:
    before = discord.http.Route.BASE
    async with emulated_discord() as emulator:
        assert discord.http.Route.BASE == emulator.api_base
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == emulator.gateway_url
    assert discord.http.Route.BASE == before == "https://discord.com/api/v10"


async def test_rejected_interaction_response_is_reported(emu: DiscordEmulator, bot: Bot) -> None:
    w = bot.world
    with pytest.raises(EmulatorError, match="50035"):
        await emu.invoke("dump", user=w.alice, guild=w.guild, timeout=1)
    assert emu.rejections[-1].status == 400
    assert "content" in emu.rejections[-1].body["errors"]


async def test_late_acknowledgement_is_refused(emu: DiscordEmulator, bot: Bot) -> None:
    emu.interaction_ack_deadline = 0.0
    w = bot.world
    with pytest.raises(EmulatorError, match="10062"):
        await emu.invoke("status", options={"asset": "btc"}, user=w.alice, guild=w.guild, timeout=1)


async def test_world_changes_reach_a_connected_client(emu: DiscordEmulator, bot: Bot) -> None:
    carol = emu.add_user("carol")
    emu.add_member(bot.world.guild, carol)
    channel_id = emu.add_channel(bot.world.guild, "halts")
    guild = bot.client.get_guild(bot.world.guild)
    assert guild is not None
    for _ in range(50):
        if guild.get_member(carol) is not None and guild.get_channel(channel_id) is not None:
            break
        await asyncio.sleep(0.02)
    assert guild.get_member(carol) is not None and guild.member_count == 4
    channel = guild.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel) and channel.name == "halts"


async def test_member_chunk_request_is_answered(emu: DiscordEmulator, bot: Bot) -> None:
    guild = bot.client.get_guild(bot.world.guild)
    assert guild is not None
    members = await asyncio.wait_for(guild.chunk(), 5)
    assert {m.id for m in members} == {emu.bot_user_id, bot.world.alice, bot.world.bob}
    found = await asyncio.wait_for(guild.query_members(user_ids=[bot.world.alice]), 5)
    assert [m.name for m in found] == ["alice"]


async def test_heartbeats_are_acknowledged(emu: DiscordEmulator) -> None:
    emu.heartbeat_interval = 0.05
    world = build_world(emu)
    async with running_bot(emu, world) as running:
        await asyncio.sleep(0.3)
        assert emu.gateway.heartbeats >= 3
        assert running.client.latency < 1.0


@pytest.mark.parametrize(
    "options",
    [
        [
            {"type": 3, "name": "note", "description": "optional first"},
            {"type": 3, "name": "asset", "description": "required after", "required": True},
        ],
        [
            {
                "type": 1,
                "name": "outer",
                "description": "sub",
                "options": [{"type": 1, "name": "inner", "description": "sub in sub"}],
            }
        ],
        [
            {
                "type": 2,
                "name": "outer",
                "description": "group",
                "options": [{"type": 2, "name": "inner", "description": "group in group"}],
            }
        ],
        [
            {"type": 1, "name": "set", "description": "sub"},
            {"type": 3, "name": "asset", "description": "plain option beside a subcommand"},
        ],
        [{"type": 3, "name": f"o{i}", "description": "many"} for i in range(26)],
        [
            {
                "type": 3,
                "name": "asset",
                "description": "too many choices",
                "choices": [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)],
            }
        ],
        [
            {
                "type": 3,
                "name": "asset",
                "description": "long choice",
                "choices": [{"name": "c" * 101, "value": "c"}],
            }
        ],
        [{"type": 3, "name": "asset", "description": ""}],
        [{"type": 3, "name": "Asset", "description": "uppercase option name"}],
        [{"type": 3, "name": "asset", "description": "d", "name_localizations": {"xx": "a"}}],
    ],
)
def test_command_option_rules(options: list[dict[str, Any]]) -> None:
    command = {"name": "operator", "description": "Operator tools", "options": options}
    problem = validate_commands([command])
    assert problem is not None and problem["code"] == 50035


def test_valid_nested_command_passes() -> None:
    sub = {
        "type": 1,
        "name": "mute",
        "description": "Mute alerts",
        "options": [
            {"type": 4, "name": "minutes", "description": "How long", "required": True},
            {"type": 7, "name": "channel", "description": "Where"},
        ],
    }
    group = {"type": 2, "name": "alerts", "description": "Alerts", "options": [sub]}
    command = {
        "name": "operator",
        "description": "Operator tools",
        "description_localizations": {"ja": "オペレーター用", "es-419": "Operador"},
        "options": [group, {"type": 1, "name": "set-status", "description": "Set"}],
    }
    assert validate_commands([command]) is None
    assert validate_commands([command, command]) is not None  # duplicate names


def test_autocomplete_choice_limit() -> None:
    assert check_choices([{"name": "BTC", "value": "btc"}] * 25) is None
    assert check_choices([{"name": "BTC", "value": "btc"}] * 26) is not None


SUBPROCESS_BOT = """
import os

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
guild = discord.Object(int(os.environ["GUILD_ID"]))
client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
tree = app_commands.CommandTree(client)


@tree.command(name="ping", description="Liveness check", guild=guild)
async def ping(interaction):
    await interaction.response.send_message("pong from another process")


@client.event
async def on_ready():
    await tree.sync(guild=guild)
    await client.get_channel(int(os.environ["CHANNEL_ID"])).send("bot online")


client.run(os.environ["DISCORD_TOKEN"], log_handler=None)
"""


async def test_bot_in_another_process(emu: DiscordEmulator) -> None:
    world = build_world(emu)
    env = {
        **os.environ,
        "DISCORD_API_BASE": emu.api_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "DISCORD_TOKEN": TOKEN,
        "GUILD_ID": str(world.guild),
        "CHANNEL_ID": str(world.alerts),
    }
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", SUBPROCESS_BOT, env=env)
    try:
        await emu.wait_commands(world.guild, timeout=15)
        res = await emu.invoke("ping", user=world.alice, guild=world.guild)
        assert res.content == "pong from another process"
        for _ in range(100):
            if emu.messages(world.alerts):
                break
            await asyncio.sleep(0.02)
        assert [m["content"] for m in emu.messages(world.alerts)] == ["bot online"]
    finally:
        proc.terminate()
        await proc.wait()
