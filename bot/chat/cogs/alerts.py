"""/alerts: when a subscriber's alerts come (at once, after quiet hours, or in a daily digest);
and the buttons under every alert, registered here so that they answer after a restart."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.domain import AlertMode, DomainError, Subscription, TargetKind
from bot.i18n import Lang
from bot.i18n import alerts as _texts  # noqa: F401 - registers the strings

from ..buttons import ITEMS
from ..channels import ChannelOption, managed_channel
from ..client import StatusBot
from ..replies import language, reply


def mode_text(sub: Subscription, lang: Lang) -> str:
    if sub.mode is AlertMode.QUIET:
        text = i18n.t(lang, "alerts.mode.quiet", start=sub.quiet_from, end=sub.quiet_until)
    elif sub.mode is AlertMode.DIGEST:
        text = i18n.t(lang, "alerts.mode.digest", at=sub.digest_at)
    else:
        return i18n.t(lang, "alerts.mode.instant")
    return f"{text}\n{i18n.t(lang, 'alerts.mode.critical')}"


class Alerts(commands.GroupCog, group_name="alerts"):
    """When alerts come: at once, after quiet hours, or in a daily digest"""

    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context
        super().__init__()

    async def _subscription(
        self, interaction: discord.Interaction, channel: app_commands.AppCommandChannel | None
    ) -> Subscription:
        """The caller's DM subscription, or that of a channel the caller manages."""
        if channel is None:
            kind, target = TargetKind.DM, str(interaction.user.id)
        else:
            kind = TargetKind.CHANNEL
            target, _ = managed_channel(interaction, channel, bot_must_post=False)
        sub = await self.context.services.subscriptions.find(kind, target)
        if sub is None:
            raise DomainError("no_subscription_here", "no subscription for this target")
        return sub

    async def _done(self, interaction: discord.Interaction, sub: Subscription) -> None:
        lang = language(interaction)
        text = i18n.t(lang, "alerts.mode.set", mode=mode_text(sub, lang))
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="quiet")
    @app_commands.rename(start="from", end="until")
    @app_commands.describe(
        start="Start, HH:MM (JST), e.g. 23:00",
        end="End, HH:MM (JST), e.g. 07:00",
        channel="A channel you manage (default: your DMs)",
    )
    async def quiet(
        self,
        interaction: discord.Interaction,
        start: str,
        end: str,
        channel: ChannelOption | None = None,
    ) -> None:
        """Hold alerts between two times (JST); one summary when they end"""
        sub = await self._subscription(interaction, channel)
        await self._done(
            interaction, await self.context.services.subscriptions.quiet(sub.id, start, end)
        )

    @app_commands.command(name="digest")
    @app_commands.describe(
        at="When, HH:MM (JST), e.g. 08:00", channel="A channel you manage (default: your DMs)"
    )
    async def digest(
        self, interaction: discord.Interaction, at: str, channel: ChannelOption | None = None
    ) -> None:
        """Hold alerts and send one summary a day"""
        sub = await self._subscription(interaction, channel)
        await self._done(interaction, await self.context.services.subscriptions.digest(sub.id, at))

    @app_commands.command(name="instant")
    @app_commands.describe(channel="A channel you manage (default: your DMs)")
    async def instant(
        self, interaction: discord.Interaction, channel: ChannelOption | None = None
    ) -> None:
        """Send every alert at once again"""
        sub = await self._subscription(interaction, channel)
        await self._done(interaction, await self.context.services.subscriptions.instant(sub.id))

    @app_commands.command(name="show")
    @app_commands.describe(channel="A channel you manage (default: your DMs)")
    async def show(
        self, interaction: discord.Interaction, channel: ChannelOption | None = None
    ) -> None:
        """Show when alerts come"""
        sub = await self._subscription(interaction, channel)
        lang = language(interaction)
        target = channel.mention if channel else i18n.t(lang, "alerts.target.dm")
        text = i18n.t(lang, "alerts.mode.show", target=target, mode=mode_text(sub, lang))
        await reply(interaction, text, ephemeral=True)


async def setup(bot: StatusBot) -> None:
    bot.add_dynamic_items(*ITEMS)
    await bot.add_cog(Alerts(bot))
