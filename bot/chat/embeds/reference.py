"""The support desk, and amounts of yen as people write them."""

from __future__ import annotations

import discord

from bot import i18n
from bot.i18n import Lang
from bot.reference import SupportDesk

from . import BLUE

OKU = 100_000_000  # 億
MAN = 10_000  # 万


def yen(amount: int, language: Lang) -> str:
    """Amounts as people write them: 42.5億円 in Japanese, ¥4.25bn in English."""
    if language is Lang.JA:
        if amount >= OKU:
            return i18n.t(
                language, "chat.yen.oku", value=f"{amount / OKU:,.2f}".rstrip("0").rstrip(".")
            )
        return i18n.t(language, "chat.yen.man", value=f"{amount / MAN:,.0f}")
    if amount >= 1_000_000_000:
        return i18n.t(
            language, "chat.yen.oku", value=f"{amount / 1e9:,.3f}".rstrip("0").rstrip(".")
        )
    return i18n.t(language, "chat.yen.man", value=f"{amount / 1e6:,.0f}")


def _pick(language: Lang, ja: str, en: str) -> str:
    return en if language is Lang.EN else ja


def support(desk: SupportDesk, language: Lang) -> discord.Embed:
    embed = discord.Embed(
        title=i18n.t(
            language, "chat.support.title", name=_pick(language, desk.name_ja, desk.name_en)
        ),
        colour=BLUE,
        url=desk.contact_form,
    )
    embed.add_field(name=i18n.t(language, "chat.support.phones"), value=" / ".join(desk.phones))
    embed.add_field(
        name=i18n.t(language, "chat.support.hours"),
        value=_pick(language, desk.hours_ja, desk.hours_en),
    )
    embed.add_field(
        name=i18n.t(language, "chat.support.form"), value=desk.contact_form, inline=False
    )
    return embed
