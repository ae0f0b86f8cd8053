"""The buttons under alerts: Unsubscribe and Mute <asset>, persistent across restarts.

Their custom ids carry the subscription id (and the asset), so discord.py finds the item again
from the id alone (`DynamicItem`). A channel's buttons are for the members who may manage that
channel; a DM's for its recipient. A press answers ephemerally in the presser's language, then
the message's buttons are shown as used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot import i18n
from bot.domain import (
    MUTE_BUTTON,
    MUTE_PATTERN,
    UNSUBSCRIBE_BUTTON,
    UNSUBSCRIBE_PATTERN,
    DomainError,
    Subscription,
    TargetKind,
)
from bot.i18n import Lang
from bot.i18n import alerts as _texts  # noqa: F401 - registers the strings
from bot.i18n import welcome as _welcome  # noqa: F401 - registers the strings
from bot.services.subscriptions import NOTIFY_BUTTON, NOTIFY_PATTERN, SubscriptionGone

from .embeds.subscriptions import assets_text
from .errors import describe
from .replies import NO_MENTIONS, language, reply

if TYPE_CHECKING:
    from .client import StatusBot

log = logging.getLogger(__name__)

Action = Callable[["StatusBot", Subscription, Lang], Awaitable[str]]


class ButtonRefused(DomainError):
    """A press by someone the alert's buttons are not for."""


def may_press(interaction: discord.Interaction, sub: Subscription) -> None:
    """A channel's buttons: members with Manage Channels there; a DM's: its recipient."""
    if sub.target_kind is TargetKind.CHANNEL:
        if str(interaction.channel_id) != sub.target:
            raise ButtonRefused("alert_button_not_yours", "not this channel's alert")
        # Discord sends the presser's permissions in this channel, overwrites included.
        if not interaction.permissions.manage_channels:
            raise ButtonRefused(
                "alert_button_not_manager", "Manage Channels is needed to use these buttons"
            )
    elif str(interaction.user.id) != sub.target:
        raise ButtonRefused("alert_button_not_yours", "not this user's alert")


def used(message: discord.Message | None) -> discord.ui.View | None:
    """The message's buttons, disabled (a link stays a link)."""
    if message is None:
        return None
    view = discord.ui.View.from_message(message, timeout=None)
    for item in view.children:
        if isinstance(item, discord.ui.Button) and item.url is None:
            item.disabled = True
    view.stop()  # nothing to listen for: the persistent items answer every press
    return view


async def press(interaction: discord.Interaction, subscription_id: int, action: Action) -> None:
    bot: StatusBot = interaction.client  # type: ignore[assignment]
    services = bot.context.services
    lang = language(interaction)
    try:
        sub = await services.subscriptions.get(subscription_id)
        if sub is None:
            raise SubscriptionGone("subscription_gone", "that subscription no longer exists")
        may_press(interaction, sub)
        text = await action(bot, sub, lang)
    except DomainError as exc:
        log.info(
            "button for subscription %d refused for user %s: %s",
            subscription_id,
            interaction.user.id,
            exc,
        )
        await reply(interaction, describe(exc, lang), ephemeral=True)
        return
    view = used(interaction.message)
    if view is not None:
        await interaction.response.edit_message(view=view)
    else:
        await interaction.response.defer()
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def _unsubscribe(bot: StatusBot, sub: Subscription, lang: Lang) -> str:
    await bot.context.services.subscriptions.drop(sub.id)
    return i18n.t(lang, "alerts.pressed.unsubscribed")


def _mute(asset: str) -> Action:
    async def mute(bot: StatusBot, sub: Subscription, lang: Lang) -> str:
        codes = [a.code for a in await bot.context.services.status.assets()]
        left = await bot.context.services.subscriptions.mute(sub.id, asset, codes)
        if left is None:
            return i18n.t(lang, "alerts.pressed.muted_all", asset=asset)
        return i18n.t(
            lang, "alerts.pressed.muted", asset=asset, assets=assets_text(left, lang, codes)
        )

    return mute


class UnsubscribeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=UNSUBSCRIBE_PATTERN
):
    def __init__(self, subscription_id: int) -> None:
        custom_id = UNSUBSCRIBE_BUTTON.format(subscription_id=subscription_id)
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.subscription_id = subscription_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> UnsubscribeButton:
        return cls(int(match["subscription_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await press(interaction, self.subscription_id, _unsubscribe)


class MuteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=MUTE_PATTERN):
    def __init__(self, subscription_id: int, asset: str) -> None:
        custom_id = MUTE_BUTTON.format(subscription_id=subscription_id, asset=asset)
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.subscription_id = subscription_id
        self.asset = asset

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MuteButton:
        return cls(int(match["subscription_id"]), match["asset"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await press(interaction, self.subscription_id, _mute(self.asset))


async def notify_me(interaction: discord.Interaction, subscription_id: int) -> None:
    """Any member takes the role the channel's alerts ping, or drops it if they have it. When
    the bot may not (no Manage Roles, or the role above its own), the member gets an apology and
    the operators the fix, once per subscription while this process runs."""
    bot: StatusBot = interaction.client  # type: ignore[assignment]
    services = bot.context.services
    lang = language(interaction)
    sub = await services.subscriptions.get(subscription_id)
    mention = None if sub is None else await services.subscriptions.mention(subscription_id)
    guild, member = interaction.guild, interaction.user
    if sub is None or mention is None or guild is None or not isinstance(member, discord.Member):
        gone = SubscriptionGone("subscription_gone", "that subscription no longer exists")
        await reply(interaction, describe(gone, lang), ephemeral=True)
        return
    role = guild.get_role(int(mention.role_id))
    me = guild.me
    has = any(r.id == int(mention.role_id) for r in member.roles)
    changed = False
    if role is not None and me.guild_permissions.manage_roles and role < me.top_role:
        try:
            if has:
                await member.remove_roles(role, reason="Notify me: dropped")
            else:
                await member.add_roles(role, reason="Notify me: taken")
            changed = True
        except discord.Forbidden:
            pass  # Discord knows better than our cache: the same refusal
    if not changed:
        log.warning("cannot change role %s for subscription %d", mention.role_id, sub.id)
        if sub.id not in REPORTED:
            REPORTED.add(sub.id)
            await services.subscriptions.role_refused(sub, mention.role_id)
        await reply(interaction, i18n.t(lang, "mention.refused"), ephemeral=True)
        return
    key = "mention.taken" if has else "mention.given"
    await reply(interaction, i18n.t(lang, key, role=f"<@&{mention.role_id}>"), ephemeral=True)


REPORTED: set[int] = set()  # subscriptions whose role problem the operators were told of


class NotifyButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=NOTIFY_PATTERN):
    def __init__(self, subscription_id: int) -> None:
        custom_id = NOTIFY_BUTTON.format(subscription_id=subscription_id)
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.subscription_id = subscription_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NotifyButton:
        return cls(int(match["subscription_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await notify_me(interaction, self.subscription_id)


ITEMS = (UnsubscribeButton, MuteButton, NotifyButton)
