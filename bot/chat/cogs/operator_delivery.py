"""/operator delivery [event]: how far a fan-out has got, with the figures of the progress
message in the operators' channel (the command sits on the /operator cog, which checks the
operator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot import i18n
from bot.clock import utcnow
from bot.services.progress import embed, progress

from ..replies import language, reply

if TYPE_CHECKING:
    from ..client import ChatContext


async def show_delivery(
    interaction: discord.Interaction, context: ChatContext, event: int | None
) -> None:
    lang = language(interaction)
    counts = await context.services.deliveries.counts(event)
    if counts is None:
        await reply(interaction, i18n.t(lang, "progress.nothing"), ephemeral=True)
        return
    shown = embed(progress(counts, utcnow()), lang)
    await reply(interaction, embeds=[discord.Embed.from_dict(shown)], ephemeral=True)
