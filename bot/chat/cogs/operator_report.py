"""/operator report: the notification report of a period, attached as its HTML file."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord

from bot import i18n
from bot.i18n import report as _texts  # noqa: F401 - registers the strings
from bot.services.report import period
from bot.services.report.html import to_html

from ..replies import NO_MENTIONS, language, reply

if TYPE_CHECKING:
    from ..client import ChatContext

# Discord takes 10 MiB per message from a bot without boosts; the report keeps well under, so
# that it never depends on the server's tier.
MAX_BYTES = 8 * 1024 * 1024
MIB = 1024 * 1024


async def send_report(
    interaction: discord.Interaction, context: ChatContext, start: str, end: str
) -> None:
    """Ephemeral, to the operator who asked: the file, or a reply to narrow the range."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    lang = language(interaction)
    begins, ends = period(start, end, context.zone)
    report = await context.services.report.notifications(begins, ends, lang, context.zone)
    page = to_html(report, context.zone).encode("utf-8")
    if len(page) >= MAX_BYTES:
        size = f"{len(page) / MIB:.1f}"
        await reply(
            interaction, i18n.t(lang, "report.too_big", size=size, limit=MAX_BYTES // MIB),
            ephemeral=True,
        )  # fmt: skip
        return
    shown = (begins.astimezone(context.zone).date(), ends.astimezone(context.zone).date())
    name = f"notification-report-{shown[0].isoformat()}-{shown[1].isoformat()}.html"
    await interaction.followup.send(
        content=i18n.t(
            lang,
            "report.attached",
            start=start.strip(),
            end=end.strip(),
            events=len(report.events),
        ),
        file=discord.File(io.BytesIO(page), filename=name),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
    )
