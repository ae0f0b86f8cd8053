"""The one error path of the command tree: short ephemeral refusals, logged surprises."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot import i18n
from bot.domain import DomainError
from bot.i18n import Lang

from .checks import BotCannotSend, GuildOnly, NeedsManageChannels, NotOperator
from .replies import language, reply

log = logging.getLogger(__name__)


class BadOption(DomainError):
    """An option the front end could not read (a date, a channel kind); `code` names the text."""


def _text(language_: Lang, key: str, params: dict[str, object]) -> str | None:
    try:
        return i18n.t(language_, key, **params)
    except (KeyError, IndexError):
        return None


def describe(error: Exception, language_: Lang) -> str | None:
    """The text to show for an expected refusal, or None for a surprise."""
    if isinstance(error, NotOperator):
        return i18n.t(language_, "chat.error.not_operator")
    if isinstance(error, GuildOnly | app_commands.NoPrivateMessage):
        return i18n.t(language_, "chat.error.guild_only")
    if isinstance(error, NeedsManageChannels):
        return i18n.t(language_, "chat.error.manage_channels", channel=error.channel)
    if isinstance(error, BotCannotSend):
        return i18n.t(language_, "chat.error.bot_cannot_send", channel=error.channel)
    if isinstance(error, app_commands.CheckFailure):
        return i18n.t(language_, "chat.error.not_operator")
    if not isinstance(error, DomainError):
        return None
    # Each refusal has its own text; Discord may word one for itself (chat.error.<code>).
    for key in (f"chat.error.{error.code}", f"error.{error.code}"):
        text = _text(language_, key, error.params)
        if text is not None:
            return text
    log.error("no text for the refusal %r (%s)", error.code, error)
    return i18n.t(language_, "error.refused")


async def on_tree_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """Expected errors: a short ephemeral reply. Anything else: logged, and an apology."""
    cause: Exception = error
    if isinstance(error, app_commands.CommandInvokeError):
        cause = error.original
    elif isinstance(error.__cause__, DomainError):
        cause = error.__cause__
    command = interaction.command.qualified_name if interaction.command else "?"
    if interaction.type is discord.InteractionType.autocomplete:
        log.warning("autocomplete for /%s failed: %s", command, cause)
        return
    language_ = language(interaction)
    text = describe(cause, language_)
    if text is None:
        log.exception(
            "/%s failed for user %s in channel %s",
            command,
            interaction.user.id,
            interaction.channel_id,
            exc_info=cause,
        )
        text = i18n.t(language_, "chat.error.unexpected")
    else:
        log.info("/%s refused for user %s: %s", command, interaction.user.id, cause)
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not send the error reply for /%s", command, exc_info=True)
