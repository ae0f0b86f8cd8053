"""The `channel:` option of the subscription commands, and who may act for a channel."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from .checks import BotCannotSend, GuildOnly, NeedsManageChannels
from .errors import BadOption

TEXT_CHANNELS = (discord.ChannelType.text, discord.ChannelType.news)


class TextChannelOption(app_commands.Transformer):
    """A text channel, as Discord resolves it: with the invoking member's permissions there."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return list(TEXT_CHANNELS)

    async def transform(self, interaction: discord.Interaction, value: Any) -> Any:
        if not isinstance(value, app_commands.AppCommandChannel) or value.type not in TEXT_CHANNELS:
            raise BadOption("not_text_channel", "not a text channel")
        return value


ChannelOption = app_commands.Transform[app_commands.AppCommandChannel, TextChannelOption]


def managed_channel(
    interaction: discord.Interaction,
    channel: app_commands.AppCommandChannel,
    *,
    bot_must_post: bool = True,
) -> tuple[str, str]:
    """The channel's target and guild ids, once the member may manage it (and, with
    `bot_must_post`, the bot may post in it)."""
    guild = interaction.guild
    if guild is None:
        raise GuildOnly()
    mention = channel.mention
    # Discord resolves the option with the invoking member's own permissions in that channel.
    if not channel.permissions.manage_channels:
        raise NeedsManageChannels(mention)
    cached = guild.get_channel(channel.id)
    if bot_must_post and cached is not None and guild.me is not None:
        mine = cached.permissions_for(guild.me)
        if not (mine.view_channel and mine.send_messages):
            raise BotCannotSend(mention)
    return str(channel.id), str(guild.id)


def guild_language(interaction: discord.Interaction) -> str:
    """A channel's alerts default to its server's language: Japanese for a Japanese server,
    English otherwise, whoever typed the command."""
    locale = interaction.guild_locale.value if interaction.guild_locale else ""
    return "ja" if locale.lower().startswith("ja") else "en"
