"""/subscribe, /unsubscribe, /subscriptions: alerts by DM, or in a channel one manages."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.domain import EventFilter, Subscription, TargetKind
from bot.i18n import welcome as _welcome_texts  # noqa: F401 - registers the strings
from bot.services.subscriptions import Mention, MentionWhen, WelcomeState

from ..channels import TEXT_CHANNELS, ChannelOption, guild_language, managed_channel
from ..client import StatusBot
from ..embeds.subscriptions import assets_text, subscriptions
from ..errors import BadOption
from ..options import asset_choices
from ..replies import actor, language, reply
from ..translator import term

log = logging.getLogger(__name__)

WELCOME_WAIT_SECONDS = 3.0  # how long /subscribe waits to say whether the welcome DM went
# What customers may ask for; `operator` is the operators' channel only, set from the settings.
CUSTOMER_EVENTS = tuple(f.value for f in EventFilter if f is not EventFilter.OPERATOR)
EVENT_CHOICES = [
    app_commands.Choice(name=term(f"chat.events.{value}"), value=value) for value in CUSTOMER_EVENTS
]
LANGUAGE_CHOICES = [
    app_commands.Choice(name=term(f"chat.language.{code}"), value=code) for code in ("ja", "en")
]


MENTION_WHEN_CHOICES = [
    app_commands.Choice(name=term(f"mention.when.{w.value}"), value=w.value) for w in MentionWhen
]


def wanted_mention(role: discord.Role, when: str | None) -> Mention:
    """The role a channel's alerts may ping: not @everyone, and one the bot may mention."""
    if role.is_default():
        raise BadOption("mention_everyone", "@everyone cannot be a channel's ping")
    me = role.guild.me
    if not role.mentionable and not (me is not None and me.guild_permissions.mention_everyone):
        raise BadOption("mention_not_mentionable", "role not mentionable", role=role.mention)
    if when not in (None, *(w.value for w in MentionWhen)):
        raise BadOption("unknown_choice", "mention_when: critical or all", value=when)
    return Mention(str(role.id), MentionWhen(when or MentionWhen.CRITICAL.value))


class Subscriptions(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    # The gateway shows every channel's type: kept for the subscribed ones, so that the transport
    # knows an announcement channel without asking Discord before an alert.
    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._types_seen(guild.channels)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._types_seen(guild.channels)

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        if before.type != after.type:  # a text channel made an announcement channel, or back
            await self._types_seen([after])

    async def _types_seen(self, channels: Sequence[discord.abc.GuildChannel]) -> None:
        types = {str(c.id): c.type.value for c in channels if c.type in TEXT_CHANNELS}
        try:
            await self.context.services.subscriptions.channel_types_seen(types)
        except Exception as exc:  # best effort: the transport asks Discord instead
            log.warning("channel types not recorded: %s: %s", type(exc).__name__, exc)

    async def _codes(self) -> list[str]:
        return [a.code for a in await self.context.services.status.assets()]

    def _events_text(self, sub: Subscription, interaction: discord.Interaction) -> str:
        return i18n.t(language(interaction), f"chat.events.{sub.events.value}")

    @app_commands.command(name="subscribe")
    @app_commands.describe(
        asset="Asset code, e.g. BTC (any case)",
        events="Which alerts: status changes, orders, or all",
        channel="A channel to post alerts in (needs Manage Channels there)",
        alert_language="A channel's alerts: Japanese or English (default: the server's language)",
        mention_role="A role the channel's alerts ping (members take it with Notify me)",
        mention_when="When the role is pinged: critical alerts (default) or all",
    )
    @app_commands.choices(
        events=EVENT_CHOICES, alert_language=LANGUAGE_CHOICES, mention_when=MENTION_WHEN_CHOICES
    )
    @app_commands.rename(alert_language="language")
    async def subscribe(
        self,
        interaction: discord.Interaction,
        asset: str | None = None,
        events: str = EventFilter.ALL.value,
        channel: ChannelOption | None = None,
        alert_language: str | None = None,
        mention_role: discord.Role | None = None,
        mention_when: str | None = None,
    ) -> None:
        """Get alerts by DM, or in a channel"""
        services = self.context.services
        if channel is None:
            # The welcome DM is waited for (a few seconds at most): say at once if DMs are closed.
            await interaction.response.defer(ephemeral=True, thinking=True)
        codes = None if asset is None else frozenset({(await services.status.asset(asset)).code})
        if events not in CUSTOMER_EVENTS:
            raise BadOption("bad_events", f"unknown events: {events!r}", value=events)
        wanted = EventFilter(events)
        if alert_language not in (None, "ja", "en"):
            raise BadOption("unknown_choice", "language: ja or en", value=alert_language)
        mention = None if mention_role is None else wanted_mention(mention_role, mention_when)
        if channel is None:
            if mention is not None:
                raise BadOption("mention_needs_channel", "mention_role needs channel")
            kind, target, guild_id = TargetKind.DM, str(interaction.user.id), None
            locale = interaction.locale.value
        else:
            kind = TargetKind.CHANNEL
            target, guild_id = managed_channel(interaction, channel)
            locale = alert_language or guild_language(interaction)
        sub = await services.subscriptions.subscribe(
            kind,
            target,
            assets=codes,
            events=wanted,
            locale=locale,
            created_by=actor(interaction.user),
            guild_id=guild_id,
            channel_type=None if channel is None else channel.type.value,
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
        if mention is not None:
            await services.subscriptions.set_mention(sub.id, mention)
            when = i18n.t(lang, f"mention.when.{mention.when.value}")
            text += "\n" + i18n.t(
                lang, "mention.subscribed", role=f"<@&{mention.role_id}>", when=when
            )
        if channel is not None and channel.type is discord.ChannelType.news:
            text = f"{text}\n{i18n.t(lang, 'welcome.subscribe.announcement')}"
        if channel is None:
            outcome = await services.subscriptions.welcome_outcome(sub.id, WELCOME_WAIT_SECONDS)
            if outcome is WelcomeState.DM_CLOSED:
                text = i18n.t(lang, "welcome.subscribe.dm_closed")
            elif outcome is WelcomeState.SENT:
                text = f"{text}\n{i18n.t(lang, 'welcome.subscribe.sent')}"
            else:
                text = f"{text}\n{i18n.t(lang, 'welcome.subscribe.pending')}"
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
            target, _ = managed_channel(interaction, channel)
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
            # A channel's subscription is for those who may manage the channel.
            kind = TargetKind.CHANNEL
            target, _ = managed_channel(interaction, channel, bot_must_post=False)
        sub = await self.context.services.subscriptions.find(kind, target)
        lang = language(interaction)
        if sub is None:
            await reply(interaction, i18n.t(lang, "chat.subscriptions.none"), ephemeral=True)
            return
        mention = await self.context.services.subscriptions.mention(sub.id)
        embed = subscriptions(
            [sub], lang, await self._codes(), {sub.id: mention} if mention else {}
        )
        await reply(interaction, embeds=[embed], ephemeral=True)

    @subscribe.autocomplete("asset")
    @unsubscribe.autocomplete("asset")
    async def _asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return asset_choices(await self.context.services.status.assets(), current)


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Subscriptions(bot))
