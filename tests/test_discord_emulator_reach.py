"""The emulator's answers for reaching people: Discord's anti-spam refusals to open DM channels,
announcement channels and their publish limit, member roles, and allowed_mentions checks; driven
through discord.py's own HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from discord.http import HTTPClient, handle_message_parameters

from tests.delivery.support import emulated_discord
from tests.discord_emulator import DiscordEmulator

MANAGE_ROLES = 1 << 28


@pytest.fixture
async def http() -> AsyncIterator[tuple[DiscordEmulator, HTTPClient]]:
    async with emulated_discord() as emu:
        discord.http.Route.BASE = emu.api_base
        client = HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=30)
        await client.static_login(emu.token)
        try:
            yield emu, client
        finally:
            await client.close()


async def test_past_the_window_opening_a_dm_is_40003_and_a_quarantine_20026(
    http: tuple[DiscordEmulator, HTTPClient],
) -> None:
    emu, client = http
    emu.dm_open_limit = (2, 60.0)
    users = [emu.add_user(f"u{i}") for i in range(4)]
    first = await client.start_private_message(users[0])
    await client.start_private_message(users[1])
    with pytest.raises(discord.Forbidden) as too_fast:
        await client.start_private_message(users[2])
    assert too_fast.value.code == 40003
    again = await client.start_private_message(users[0])  # an open channel is no new open
    assert again["id"] == first["id"]
    await client.send_message(int(first["id"]), params=handle_message_parameters(content="hi"))
    emu.quarantined = True
    with pytest.raises(discord.Forbidden) as flagged:
        await client.start_private_message(users[3])
    assert flagged.value.code == 20026
    assert (await client.start_private_message(users[0]))["id"] == first["id"]  # messaged before
    assert (emu.stats.dm_too_fast, emu.stats.quarantine_refusals) == (1, 1)


async def test_an_announcement_channel_publishes_ten_an_hour(
    http: tuple[DiscordEmulator, HTTPClient],
) -> None:
    emu, client = http
    guild = emu.add_guild("g")
    news = emu.add_channel(guild, "news", announcement=True)
    plain = emu.add_channel(guild, "plain")
    assert (await client.get_channel(news))["type"] == 5
    params = handle_message_parameters(content="alert")
    posted = [await client.send_message(news, params=params) for _ in range(11)]
    for message in posted[:10]:
        assert (await client.publish_message(news, message["id"]))["flags"] & 1
    with pytest.raises(discord.HTTPException) as twice:
        await client.publish_message(news, posted[0]["id"])
    assert twice.value.code == 40033
    with pytest.raises(discord.RateLimited) as eleventh:
        await client.publish_message(news, posted[10]["id"])
    assert eleventh.value.retry_after > 3000
    assert emu.stats.crosspost_429s == 1 and len(emu.published(news)) == 10
    elsewhere = await client.send_message(plain, params=params)
    with pytest.raises(discord.Forbidden) as not_news:
        await client.publish_message(plain, elsewhere["id"])
    assert not_news.value.code == 50024


async def test_member_roles_need_manage_roles_and_a_higher_role(
    http: tuple[DiscordEmulator, HTTPClient],
) -> None:
    emu, client = http
    guild = emu.add_guild("g")
    ping = emu.add_role(guild, "alerts", mentionable=True)
    member = emu.add_user("m")
    emu.add_member(guild, member)
    with pytest.raises(discord.Forbidden) as no_permission:
        await client.add_role(guild, member, ping)
    assert no_permission.value.code == 50013
    low = emu.add_role(guild, "bot-low", permissions=MANAGE_ROLES)
    emu.add_member(guild, emu.bot_user_id, roles=[low])
    top = emu.add_role(guild, "above-bot", mentionable=True)
    with pytest.raises(discord.Forbidden):
        await client.add_role(guild, member, top)  # above the bot's own role
    await client.add_role(guild, member, ping)
    assert emu.member_roles(guild, member) == [ping]
    await client.remove_role(guild, member, ping)
    assert emu.member_roles(guild, member) == []


@pytest.mark.parametrize(
    ("mentions", "ok"),
    [
        ({"parse": []}, True),
        ({"parse": [], "roles": ["123"]}, True),
        ({"parse": [], "roles": [123]}, False),  # a snowflake is a string in the spec
        ({"parse": ["roles"], "roles": ["123"]}, False),
        ({"parse": ["nobody"]}, False),
        ({"parse": [], "roles": ["1", "1"]}, False),
    ],
)
async def test_allowed_mentions_are_checked_as_the_spec_says(
    http: tuple[DiscordEmulator, HTTPClient], mentions: dict[str, object], ok: bool
) -> None:
    emu, client = http
    channel = emu.add_channel(emu.add_guild("g"), "c")
    params = handle_message_parameters(content="text")
    assert params.payload is not None
    params.payload["allowed_mentions"] = mentions
    if ok:
        await client.send_message(channel, params=params)
    else:
        with pytest.raises(discord.HTTPException) as refused:
            await client.send_message(channel, params=params)
        assert refused.value.code == 50035
