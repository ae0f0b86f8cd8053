"""/subscribe, /unsubscribe, /subscriptions: alerts by DM, or in a channel one manages."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.domain import EventFilter, Subscription, TargetKind

from ..checks import BotCannotSend, GuildOnly, NeedsManageChannels
from ..client import StatusBot
from ..embeds.subscriptions import assets_text, subscriptions
from ..errors import BadOption
from ..options import asset_choices
from ..replies import actor, language, reply
from ..translator import term

# What customers may ask for; `operator` is the operators' channel only, set from the settings.
CUSTOMER_EVENTS = tuple(f.value for f in EventFilter if f is not EventFilter.OPERATOR)
EVENT_CHOICES = [
    app_commands.Choice(name=term(f"chat.events.{value}"), value=value) for value in CUSTOMER_EVENTS
]
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


def _managed_channel(
    interaction: discord.Interaction, channel: app_commands.AppCommandChannel
) -> tuple[str, str]:
    """The channel's target and guild ids, once the member may manage it and the bot post in it."""
    guild = interaction.guild
    if guild is None:
        raise GuildOnly()
    mention = channel.mention
    # Discord resolves the option with the invoking member's own permissions in that channel.
    if not channel.permissions.manage_channels:
        raise NeedsManageChannels(mention)
    cached = guild.get_channel(channel.id)
    if cached is not None and guild.me is not None:
        mine = cached.permissions_for(guild.me)
        if not (mine.view_channel and mine.send_messages):
            raise BotCannotSend(mention)
    return str(channel.id), str(guild.id)


class Subscriptions(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    async def _codes(self) -> list[str]:
        return [a.code for a in await self.context.services.status.assets()]

    def _events_text(self, sub: Subscription, interaction: discord.Interaction) -> str:
        return i18n.t(language(interaction), f"chat.events.{sub.events.value}")

    @app_commands.command(name="subscribe")
    @app_commands.describe(
        asset="Asset code, e.g. BTC (any case)",
        events="Which alerts: status changes, orders, or all",
        channel="A channel to post alerts in (needs Manage Channels there)",
    )
    @app_commands.choices(events=EVENT_CHOICES)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        asset: str | None = None,
        events: str = EventFilter.ALL.value,
        channel: ChannelOption | None = None,
    ) -> None:
        """Get alerts by DM, or in a channel"""
        services = self.context.services
        codes = None if asset is None else frozenset({(await services.status.asset(asset)).code})
        if events not in CUSTOMER_EVENTS:
            raise BadOption("bad_events", f"unknown events: {events!r}", value=events)
        wanted = EventFilter(events)
        if channel is None:
            kind, target, guild_id = TargetKind.DM, str(interaction.user.id), None
        else:
            kind = TargetKind.CHANNEL
            target, guild_id = _managed_channel(interaction, channel)
        sub = await services.subscriptions.subscribe(
            kind,
            target,
            assets=codes,
            events=wanted,
            locale=interaction.locale.value,
            created_by=actor(interaction.user),
            guild_id=guild_id,
        )
        lang = language(interaction)
        key = "chat.subscribe.dm" if channel is None else "chat.subscribe.channel"
        text = i18n.t(
            lang,
            key,
            assets=assets_text(sub, lang, await self._codes()),
            events=self._events_text(sub, interaction),
            channel=channel.mention if channel else "",
        )
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="unsubscribe")
    @app_commands.describe(
        asset="Asset code, e.g. BTC (any case)",
        channel="A channel to post alerts in (needs Manage Channels there)",
    )
    async def unsubscribe(
        self,
        interaction: discord.Interaction,
        asset: str | None = None,
        channel: ChannelOption | None = None,
    ) -> None:
        """Stop alerts (all, or for one asset)"""
        services = self.context.services
        codes = None if asset is None else frozenset({(await services.status.asset(asset)).code})
        if channel is None:
            kind, target = TargetKind.DM, str(interaction.user.id)
        else:
            kind = TargetKind.CHANNEL
            target, _ = _managed_channel(interaction, channel)
        lang = language(interaction)
        if await services.subscriptions.find(kind, target) is None:
            await reply(interaction, i18n.t(lang, "chat.unsubscribe.none"), ephemeral=True)
            return
        all_codes = await self._codes()
        left = await services.subscriptions.unsubscribe(
            kind, target, assets=codes, all_codes=all_codes
        )
        if left is None:
            text = i18n.t(lang, "chat.unsubscribe.done")
        else:
            text = i18n.t(lang, "chat.unsubscribe.left", assets=assets_text(left, lang, all_codes))
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="subscriptions")
    @app_commands.describe(channel="Show the alerts of this channel")
    async def subscriptions(
        self, interaction: discord.Interaction, channel: ChannelOption | None = None
    ) -> None:
        """The alerts you (or a channel) get"""
        if channel is None:
            kind, target = TargetKind.DM, str(interaction.user.id)
        else:
            kind, target = TargetKind.CHANNEL, str(channel.id)
        sub = await self.context.services.subscriptions.find(kind, target)
        lang = language(interaction)
        if sub is None:
            await reply(interaction, i18n.t(lang, "chat.subscriptions.none"), ephemeral=True)
            return
        embed = subscriptions([sub], lang, await self._codes())
        await reply(interaction, embeds=[embed], ephemeral=True)

    @subscribe.autocomplete("asset")
    @unsubscribe.autocomplete("asset")
    async def _asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return asset_choices(await self.context.services.status.assets(), current)


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Subscriptions(bot))
