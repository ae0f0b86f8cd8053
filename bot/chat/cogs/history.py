"""/history asset [limit]: an asset's status changes, newest first."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..client import StatusBot
from ..embeds import status as render
from ..errors import BadOption
from ..options import asset_choices
from ..replies import language, reply

DEFAULT_LIMIT = 10
MAX_LIMIT = 25  # what one embed holds comfortably


class History(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="history")
    @app_commands.describe(
        asset="Asset code, e.g. BTC (any case)", limit="How many changes to show (1-25)"
    )
    async def history(
        self,
        interaction: discord.Interaction,
        asset: str,
        limit: app_commands.Range[int, 1, MAX_LIMIT] = DEFAULT_LIMIT,
    ) -> None:
        """An asset's status changes, newest first"""
        if not 1 <= limit <= MAX_LIMIT:  # Discord's clients enforce it; a raw call may not
            raise BadOption("bad_limit", f"limit must be 1 to {MAX_LIMIT}", limit=MAX_LIMIT)
        snapshot = await self.context.services.snapshots.get()
        found = snapshot.asset(asset)
        changes = snapshot.history(found.code, limit)
        if changes is None:  # more than the snapshot keeps: cannot happen below MAX_LIMIT
            changes = await self.context.services.status.history(found.code, limit)
        embed = render.history(found, changes, language(interaction), self.context.zone)
        await reply(interaction, embeds=[embed])

    @history.autocomplete("asset")
    async def _asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return asset_choices((await self.context.services.snapshots.get()).assets, current)


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(History(bot))
