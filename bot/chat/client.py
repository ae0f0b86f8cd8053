"""The discord.py client: no privileged intents, no mentions, one error path, its cogs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import utcnow
from bot.metrics import Metrics
from bot.services.bundle import Services
from bot.settings import DiscordSettings

from .errors import on_tree_error
from .replies import NO_MENTIONS
from .translator import ChatTranslator

log = logging.getLogger(__name__)

COGS = (
    "bot.chat.cogs.status",
    "bot.chat.cogs.history",
    "bot.chat.cogs.subscriptions",
    "bot.chat.cogs.alerts",
    "bot.chat.cogs.orders",
    "bot.chat.cogs.incident",
    "bot.chat.cogs.support",
    "bot.chat.cogs.maintenance",
    "bot.chat.cogs.operator",
)


@dataclass(frozen=True, slots=True)
class ChatContext:
    """What the cogs need, handed to the bot once."""

    services: Services
    config: DiscordSettings
    zone: ZoneInfo
    metrics: Metrics


class StatusTree(app_commands.CommandTree["StatusBot"]):
    async def on_error(
        self, interaction: discord.Interaction[StatusBot], error: app_commands.AppCommandError
    ) -> None:
        await on_tree_error(interaction, error)


class StatusBot(commands.Bot):
    def __init__(self, context: ChatContext) -> None:
        # The bot never joins a voice channel: discord.py's warnings that voice needs PyNaCl
        # and davey say nothing to its operators. These flags are how discord.py turns them off.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        # Slash commands only: the guilds intent (channels, roles) and nothing privileged.
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            tree_cls=StatusTree,
            chunk_guilds_at_startup=False,
        )
        self.context = context

    async def setup_hook(self) -> None:
        for name in COGS:
            await self.load_extension(name)
        await self.tree.set_translator(ChatTranslator())
        try:
            await self.sync_commands()
        except discord.HTTPException as exc:
            # The commands already registered keep working; the log says what Discord refused.
            log.error("Discord refused the commands (HTTP %s): %s", exc.status, exc.text)

    async def sync_commands(self) -> None:
        """To the configured guilds at once, else globally (which Discord spreads slowly)."""
        guild_ids = self.context.config.guild_ids
        if not guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global command(s)", len(synced))
            return
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d command(s) to guild %s", len(synced), guild_id)

    async def on_ready(self) -> None:
        user_id = self.user.id if self.user else None
        log.info("Discord ready as user %s in %d guild(s)", user_id, len(self.guilds))

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any]
    ) -> None:
        seconds = (utcnow() - interaction.created_at).total_seconds()
        self.context.metrics.command_latency.labels(command.qualified_name).observe(seconds)
