"""Who may use the operator commands: hidden by default permissions AND checked in code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.settings import DiscordSettings

if TYPE_CHECKING:
    from .client import ChatContext

log = logging.getLogger(__name__)

T = TypeVar("T")

# Members without this permission do not see the group at all, until a server admin grants it to
# the operators' role in Server Settings > Integrations. It is a hint to Discord's clients, so
# the code check below is what actually decides.
OPERATOR_DEFAULT_PERMISSIONS = discord.Permissions(manage_guild=True)


class NotOperator(app_commands.CheckFailure):
    """A non-operator tried an operator command."""


class GuildOnly(app_commands.CheckFailure):
    """A server-only command was used in a DM."""


class NeedsManageChannels(app_commands.CheckFailure):
    def __init__(self, channel: str) -> None:
        super().__init__(f"Manage Channels needed in {channel}")
        self.channel = channel


class BotCannotSend(app_commands.CheckFailure):
    def __init__(self, channel: str) -> None:
        super().__init__(f"the bot cannot post in {channel}")
        self.channel = channel


def hidden_from_non_operators() -> Callable[[T], T]:
    """The Discord-side half of the operator check: server-only, hidden by default permissions."""

    def decorate(group: T) -> T:
        group = app_commands.guild_only()(group)
        return app_commands.default_permissions(OPERATOR_DEFAULT_PERMISSIONS)(group)

    return decorate


def is_operator(user: discord.abc.User, config: DiscordSettings) -> bool:
    """An operator is a configured user id, or a member holding a configured role."""
    if user.id in config.operator_user_ids:
        return True
    if isinstance(user, discord.Member):
        return any(role.id in config.operator_role_ids for role in user.roles)
    return False


def ensure_operator(interaction: discord.Interaction, config: DiscordSettings) -> None:
    """The code half of the operator check; every refusal is logged with the user id."""
    command = interaction.command.qualified_name if interaction.command else "?"
    if interaction.guild is None:
        log.warning("/%s refused for user %s: not in a server", command, interaction.user.id)
        raise GuildOnly()
    if not is_operator(interaction.user, config):
        log.warning("/%s refused for user %s: not an operator", command, interaction.user.id)
        raise NotOperator(f"user {interaction.user.id} is not an operator")


class OperatorGroup(app_commands.Group):
    """A subgroup of /operator (incident, maintenance, translate), each in a module of its own.

    Its commands are bound to the group, not to the /operator cog, so discord.py asks the group
    for the check: every subgroup makes the same operator check as the cog.
    """

    def __init__(self, context: ChatContext, *, description: str) -> None:
        super().__init__(description=description)
        self.context = context

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        ensure_operator(interaction, self.context.config)
        return True
