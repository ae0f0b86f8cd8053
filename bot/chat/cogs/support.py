"""/support: the support desk's phones, hours and contact form."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..client import StatusBot
from ..embeds import reference as render
from ..replies import language, reply


class Support(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="support")
    async def support(self, interaction: discord.Interaction) -> None:
        """The support desk: phones, hours and contact form"""
        desk = self.context.services.reference.support
        await reply(interaction, embeds=[render.support(desk, language(interaction))])


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Support(bot))
