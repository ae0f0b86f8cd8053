"""No alert waits for Discord to be asked what a channel is: a channel's type is recorded when it
is subscribed with /subscribe, when the gateway shows the server's channels or a change to one,
and otherwise asked once, after its first alert, and kept for every process and restart."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from bot.store.engines import open_database
from tests.chat.conftest import MANAGE_CHANNELS
from tests.delivery.support import (
    bot_settings,
    operated_guild,
    serving,
    subscribe_many,
    wait_for,
)
from tests.discord_emulator import DiscordEmulator


def change(state: State) -> StatusRequest:
    return StatusRequest(
        (Target("BTC", Direction.WITHDRAWAL, state),), Reason.MAINTENANCE, "", "ops", Source.CLI
    )


def both_posted(emu: DiscordEmulator, channels: tuple[int, int], count: int) -> bool:
    return all(len(emu.messages(c)) == count for c in channels)


def recorded(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as raw:
        return dict(raw.execute("SELECT channel_id, channel_type FROM channel_types").fetchall())


async def test_subscribed_with_slash_commands_no_channel_is_looked_up(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    news = emu.add_channel(guild.id, "exchange-status", announcement=True)
    plain = emu.add_channel(guild.id, "alerts")
    emu.set_user_permissions(guild.id, news, guild.duty, MANAGE_CHANNELS)
    emu.set_user_permissions(guild.id, plain, guild.duty, MANAGE_CHANNELS)
    async with serving(bot_settings(db_path, emu, guild), emu, guild) as app:
        for channel in (news, plain):
            await emu.invoke("subscribe", {"channel": channel}, user=guild.duty, guild=guild.id)
        assert recorded(db_path) == {str(news): 5, str(plain): 0}
        for n, state in enumerate((State.OPERATIONAL, State.MAINTENANCE), start=1):
            await app.services.status.change(change(state))
            await wait_for(functools.partial(both_posted, emu, (news, plain), n), 10, "alerts")
        await wait_for(lambda: emu.stats.crossposts == 2, 10, "both published")
    assert emu.stats.channel_lookups == 0
    assert emu.published(plain) == []


async def test_a_channel_of_unknown_type_is_posted_in_first_and_asked_about_once(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    settings = bot_settings(db_path, emu, guild)
    async with serving(settings, emu, guild) as app:
        # Made after the gateway showed the server, and imported from a file: nobody told the
        # service what the channel is.
        news = emu.add_channel(guild.id, "exchange-status", announcement=True)
        await subscribe_many(app.db, [(TargetKind.CHANNEL, str(news), {"guild_id": str(guild.id)})])
        await app.services.status.change(change(State.OPERATIONAL))
        await wait_for(lambda: emu.stats.crossposts == 1, 10, "the first alert published")
        assert emu.stats.channel_lookups == 1
    assert recorded(db_path) == {str(news): 5}

    async with serving(settings, emu, guild) as app:  # a restart (or another process) knows it
        await app.services.status.change(change(State.MAINTENANCE))
        await wait_for(lambda: emu.stats.crossposts == 2, 10, "the second alert published")
    assert emu.stats.channel_lookups == 1
    assert len(emu.messages(news)) == 2


async def test_the_gateway_tells_the_types_of_subscribed_channels_and_their_changes(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    status = emu.add_channel(guild.id, "exchange-status")
    emu.add_channel(guild.id, "not-subscribed", announcement=True)
    settings = bot_settings(db_path, emu, guild)
    db = await open_database(db_path)
    await subscribe_many(db, [(TargetKind.CHANNEL, str(status), {"guild_id": str(guild.id)})])
    await db.close()
    async with serving(settings, emu, guild) as app:
        await wait_for(lambda: recorded(db_path) == {str(status): 0}, 10, "the type recorded")
        await app.services.status.change(change(State.OPERATIONAL))
        await wait_for(lambda: len(emu.messages(status)) == 1, 10, "the first alert")
        # The server's admin makes it an announcement channel: its next alert is published.
        emu.set_channel_type(status, announcement=True)
        await wait_for(lambda: recorded(db_path) == {str(status): 5}, 10, "the new type")
        await app.services.status.change(change(State.MAINTENANCE))
        await wait_for(lambda: emu.stats.crossposts == 1, 10, "the second alert published")
    assert emu.stats.channel_lookups == 0
    assert len(emu.messages(status)) == 2
