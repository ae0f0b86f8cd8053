"""Subscriptions as their owner sees them."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot import i18n
from bot.domain import Subscription, TargetKind
from bot.i18n import Lang
from bot.i18n import welcome as _welcome_texts  # noqa: F401 - registers the strings
from bot.services.subscriptions import DM_CLOSED, Mention

from ..replies import fit
from . import BLUE, FIELD_VALUE_LIMIT


def assets_text(sub: Subscription, language: Lang, order: list[str]) -> str:
    if sub.all_assets:
        return i18n.t(language, "chat.assets.all")
    return ", ".join(code for code in order if code in sub.assets)


def target_text(sub: Subscription, language: Lang) -> str:
    if sub.target_kind is TargetKind.DM:
        return i18n.t(language, "chat.subscriptions.target_dm")
    return i18n.t(language, "chat.subscriptions.target_channel")


def subscriptions(
    subs: list[Subscription],
    language: Lang,
    order: list[str],
    mentions: Mapping[int, Mention] | None = None,
) -> discord.Embed:
    embed = discord.Embed(title=i18n.t(language, "chat.subscriptions.title"), colour=BLUE)
    for sub in subs:
        if sub.active:
            state = i18n.t(language, "chat.subscriptions.active")
        elif sub.disabled_reason == DM_CLOSED:
            state = i18n.t(language, "welcome.state.dm_closed")
        else:
            state = i18n.t(
                language, "chat.subscriptions.disabled", reason=sub.disabled_reason or "-"
            )
        lines = [] if sub.target_kind is TargetKind.DM else [f"<#{sub.target}>"]
        lines += [
            f"{i18n.t(language, 'chat.subscriptions.assets')}: {assets_text(sub, language, order)}",
            f"{i18n.t(language, 'chat.subscriptions.events')}: "
            + i18n.t(language, f"chat.events.{sub.events.value}"),
            f"{i18n.t(language, 'chat.subscriptions.state')}: {state}",
        ]
        mention = (mentions or {}).get(sub.id)
        if mention is not None:
            when = i18n.t(language, f"mention.when.{mention.when.value}")
            lines.append(
                i18n.t(language, "mention.shown", role=f"<@&{mention.role_id}>", when=when)
            )
        embed.add_field(
            name=target_text(sub, language),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed
