"""/incident: what happened in the 2018 outflow, when, and the losses per asset."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..client import StatusBot
from ..embeds import reference as render
from ..replies import language, reply


class IncidentCog(commands.Cog, name="Incident"):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="incident")
    async def incident(self, interaction: discord.Interaction) -> None:
        """What happened in the 2018 outflow, and the losses"""
        facts = (await self.context.services.snapshots.get()).reference.incident
        await reply(interaction, embeds=render.incident(facts, language(interaction)))


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(IncidentCog(bot))
