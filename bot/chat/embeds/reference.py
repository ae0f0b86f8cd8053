"""The incident (what happened, the timeline, the losses) and the support desk."""

from __future__ import annotations

import discord

from bot import i18n
from bot.i18n import Lang
from bot.reference import Incident, SupportDesk

from ..replies import fit
from . import BLUE, DESCRIPTION_LIMIT, RED

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


def incident(facts: Incident, language: Lang) -> list[discord.Embed]:
    """Three embeds in one message: the summary, the timeline, and the loss table."""
    summary, exchange = facts.summary, facts.exchange
    head = discord.Embed(
        title=_pick(language, summary.title_ja, summary.title_en),
        description=fit(_pick(language, summary.text_ja, summary.text_en), DESCRIPTION_LIMIT),
        colour=RED,
    )
    head.add_field(
        name=i18n.t(language, "chat.incident.operator"),
        value=f"{exchange.name} — {_pick(language, exchange.operator_ja, exchange.operator_en)}",
    )
    head.add_field(
        name=i18n.t(language, "chat.incident.regulator"),
        value=_pick(language, exchange.regulator_ja, exchange.regulator_en),
    )
    timeline = discord.Embed(
        title=i18n.t(language, "chat.incident.timeline"),
        description=fit(
            "\n".join(
                f"**{entry.date.isoformat()}** {_pick(language, entry.text_ja, entry.text_en)}"
                for entry in facts.timeline
            ),
            DESCRIPTION_LIMIT,
        ),
        colour=RED,
    )
    losses = discord.Embed(title=i18n.t(language, "chat.incident.losses"), colour=RED)
    losses.description = fit(
        "\n".join(
            i18n.t(
                language,
                "chat.incident.loss_line",
                asset=loss.asset,
                stolen=f"{float(loss.stolen):,}".removesuffix(".0"),
                stolen_jpy=yen(loss.stolen_jpy, language),
                customers=f"{float(loss.customers):,}".removesuffix(".0"),
                customers_jpy=yen(loss.customers_jpy, language),
            )
            for loss in facts.loss
        ),
        DESCRIPTION_LIMIT,
    )
    losses.add_field(
        name=i18n.t(language, "chat.incident.total"), value=yen(summary.total_jpy, language)
    )
    losses.add_field(
        name=i18n.t(language, "chat.incident.customers"), value=yen(summary.customers_jpy, language)
    )
    losses.set_footer(text=fit(_pick(language, summary.note_ja, summary.note_en), 2048))
    return [head, timeline, losses]


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
