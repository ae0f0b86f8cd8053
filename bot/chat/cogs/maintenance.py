"""/maintenance: upcoming and in-progress maintenance windows, for everyone."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..client import StatusBot
from ..embeds import maintenance as render
from ..replies import language, reply


class MaintenanceWindows(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="maintenance")
    async def maintenance(self, interaction: discord.Interaction) -> None:
        """Upcoming and in-progress maintenance"""
        windows = await self.context.services.maintenance.active()
        await reply(
            interaction, embeds=[render.listing(windows, language(interaction), self.context.zone)]
        )


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(MaintenanceWindows(bot))
