"""Incidents: the open ones at a glance, or one with its whole timeline and its losses.

A long timeline is cut from its oldest end: the newest updates are what readers came for.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord

from bot import i18n
from bot.clock import show
from bot.domain import Impact, Incident, IncidentUpdate
from bot.i18n import Lang

from ..replies import fit
from . import AMBER, DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, GREEN, RED, TITLE_LIMIT
from .reference import yen

MAX_LISTED = 10
LISTED_MESSAGE_LIMIT = 600
TOTAL_LIMIT = 6000  # characters over all embeds of one message
GREY = discord.Colour(0x95A5A6)
IMPACT_COLOURS = {Impact.CRITICAL: RED, Impact.MAJOR: AMBER, Impact.MINOR: AMBER, Impact.NONE: GREY}


def title(incident: Incident, language: Lang) -> str:
    """`#1 title`: the English title on English clients where there is one."""
    text = incident.title_en if language is Lang.EN and incident.title_en else incident.title_ja
    return fit(f"#{incident.id} {text}", TITLE_LIMIT)


def colour(incident: Incident) -> discord.Colour:
    return GREEN if incident.stage.closed else IMPACT_COLOURS[incident.impact]


def assets_text(incident: Incident, language: Lang) -> str:
    if incident.all_assets:
        return i18n.t(language, "chat.assets.all")
    return ", ".join(incident.assets)


def entry(update: IncidentUpdate, language: Lang, zone: ZoneInfo) -> str:
    """One update of a timeline: when, at which stage, and what was said."""
    head = f"**{show(update.posted_at, zone)}** · {i18n.t(language, f'stage.{update.stage}')}"
    return f"{head}\n{i18n.written(language, update.message_ja, update.message_en)}"


def timeline(updates: tuple[IncidentUpdate, ...], language: Lang, zone: ZoneInfo, room: int) -> str:
    """The updates oldest first, within `room` characters; what does not fit goes from the start."""
    # Room kept for the line that says how many older updates were left out.
    reserve = len(i18n.t(language, "chat.incident.earlier", count=len(updates))) + 2
    kept: list[str] = []
    used = 0
    for update in reversed(updates):
        text = fit(entry(update, language, zone), DESCRIPTION_LIMIT // 2)
        if kept and used + len(text) + 2 > room - reserve:
            break
        kept.append(text)
        used += len(text) + 2
    lines = kept[::-1]
    if len(kept) < len(updates):
        lines.insert(0, i18n.t(language, "chat.incident.earlier", count=len(updates) - len(kept)))
    return fit("\n\n".join(lines), room)


def listing(incidents: list[Incident], language: Lang, zone: ZoneInfo) -> discord.Embed:
    """The open incidents, newest first, each with its stage and latest update."""
    embed = discord.Embed(title=i18n.t(language, "chat.incident.open_title"), colour=GREEN)
    if not incidents:
        embed.description = i18n.t(language, "chat.incident.none_open")
        return embed
    embed.colour = colour(incidents[0])
    for incident in incidents[:MAX_LISTED]:
        facts = " · ".join(
            (
                i18n.t(language, f"stage.{incident.stage}"),
                i18n.t(language, f"impact.{incident.impact}"),
                assets_text(incident, language),
            )
        )
        latest = incident.updates[-1] if incident.updates else None
        lines = [facts]
        if latest is not None:
            lines.append(fit(entry(latest, language, zone), LISTED_MESSAGE_LIMIT))
        embed.add_field(
            name=title(incident, language),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    footer = i18n.t(language, "chat.incident.footer")
    if len(incidents) > MAX_LISTED:
        more = i18n.t(language, "chat.incident.more", count=len(incidents) - MAX_LISTED)
        footer = f"{more} {footer}"
    embed.set_footer(text=footer)
    return embed


def losses(incident: Incident, language: Lang) -> discord.Embed:
    embed = discord.Embed(title=i18n.t(language, "chat.incident.losses"), colour=colour(incident))
    embed.description = fit(
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
            for loss in incident.losses
        ),
        DESCRIPTION_LIMIT,
    )
    embed.add_field(
        name=i18n.t(language, "chat.incident.total"),
        value=yen(sum(x.stolen_jpy for x in incident.losses), language),
    )
    embed.add_field(
        name=i18n.t(language, "chat.incident.customers"),
        value=yen(sum(x.customers_jpy for x in incident.losses), language),
    )
    return embed


def one(incident: Incident, language: Lang, zone: ZoneInfo) -> list[discord.Embed]:
    """The incident with its whole timeline (as much as fits), then its losses if it has any."""
    head = discord.Embed(title=title(incident, language), colour=colour(incident))
    head.add_field(
        name=i18n.t(language, "chat.incident.stage"),
        value=i18n.t(language, f"stage.{incident.stage}"),
    )
    head.add_field(
        name=i18n.t(language, "chat.incident.impact"),
        value=i18n.t(language, f"impact.{incident.impact}"),
    )
    head.add_field(
        name=i18n.t(language, "chat.incident.assets"),
        value=fit(assets_text(incident, language), FIELD_VALUE_LIMIT),
    )
    head.add_field(
        name=i18n.t(language, "chat.incident.started"), value=show(incident.started_at, zone)
    )
    if incident.resolved_at is not None:
        head.add_field(
            name=i18n.t(language, "chat.incident.resolved_at"),
            value=show(incident.resolved_at, zone),
        )
    embeds = [head]
    if incident.losses:
        embeds.append(losses(incident, language))
    used = sum(len(e) for e in embeds)
    head.description = timeline(
        incident.updates, language, zone, min(DESCRIPTION_LIMIT, TOTAL_LIMIT - used)
    )
    return embeds
