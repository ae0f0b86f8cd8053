"""/maintenance: the upcoming and in-progress windows, one field each."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord

from bot import i18n
from bot.clock import show
from bot.domain import Maintenance
from bot.i18n import Lang

from ..replies import fit
from . import AMBER, FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT

MAX_LISTED = 10


def assets_text(window: Maintenance, language: Lang) -> str:
    if window.all_assets:
        return i18n.t(language, "maintenance.all_assets")
    return ", ".join(window.assets)


def direction_text(window: Maintenance, language: Lang) -> str:
    if window.direction == "both":
        return i18n.t(language, "maintenance.direction.both")
    return i18n.t(language, f"direction.{window.direction}")


def window_text(window: Maintenance, language: Lang, zone: ZoneInfo) -> str:
    return i18n.t(
        language,
        "maintenance.window",
        starts=show(window.starts_at, zone),
        ends=show(window.ends_at, zone),
    )


def name(window: Maintenance, language: Lang) -> str:
    return i18n.t(
        language,
        "chat.maintenance.item",
        id=window.id,
        state=i18n.t(language, f"maintenance.state.{window.state.value}"),
        assets=assets_text(window, language),
        direction=direction_text(window, language),
    )


def listing(windows: list[Maintenance], language: Lang, zone: ZoneInfo) -> discord.Embed:
    embed = discord.Embed(title=i18n.t(language, "chat.maintenance.title"), colour=AMBER)
    if not windows:
        embed.description = i18n.t(language, "chat.maintenance.none")
    for window in windows[:MAX_LISTED]:
        lines = [
            window_text(window, language, zone),
            i18n.t(
                language,
                "chat.maintenance.reason",
                reason=i18n.t(language, f"reason.{window.reason.value}"),
            ),
        ]
        note = i18n.written(language, window.note_ja, window.note_en)
        if note.strip():
            lines.append(note)
        embed.add_field(
            name=fit(name(window, language), FIELD_NAME_LIMIT),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    embed.set_footer(text=i18n.t(language, "chat.maintenance.footer"))
    return embed
