"""Answering an interaction: always with no allowed mentions, in the user's language."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.i18n import Lang, lang

NO_MENTIONS = discord.AllowedMentions.none()
CONTENT_LIMIT = 2000


def language(interaction: discord.Interaction) -> Lang:
    """English for en-* clients, Japanese for every other locale."""
    return lang(interaction.locale.value)


def actor(user: discord.abc.User) -> str:
    """How a Discord user is named in the audit trail."""
    return f"discord:{user.id}"


def fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    ephemeral: bool = False,
) -> None:
    """The one way the bot answers: the first response, or a followup once responded."""
    text = fit(content, CONTENT_LIMIT) if content else None
    if interaction.response.is_done():
        await interaction.followup.send(
            content=text or discord.utils.MISSING,
            embeds=list(embeds),
            ephemeral=ephemeral,
            allowed_mentions=NO_MENTIONS,
        )
        return
    await interaction.response.send_message(
        content=text,
        embeds=list(embeds),
        ephemeral=ephemeral,
        allowed_mentions=NO_MENTIONS,
    )
