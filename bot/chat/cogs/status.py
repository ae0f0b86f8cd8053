"""/status [asset]: every asset at a glance, or one asset in detail."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import Lang

from ..client import StatusBot
from ..embeds import status as render
from ..options import asset_choices
from ..replies import language, reply


class Status(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context
        # The overview of the current snapshot in each language: built once, sent many times
        # (nothing changes an embed after it is built).
        self._overviews: dict[tuple[int, Lang], discord.Embed] = {}

    @app_commands.command(name="status")
    @app_commands.describe(asset="Asset code, e.g. BTC (any case)")
    async def status(self, interaction: discord.Interaction, asset: str | None = None) -> None:
        """Deposit and withdrawal status: all assets, or one in detail"""
        snapshot = await self.context.services.snapshots.get()
        lang = language(interaction)
        if asset is None:
            embed = self._overviews.get((snapshot.version, lang))
            if embed is None:
                embed = render.overview(snapshot.assets, snapshot.current, lang, snapshot.built_at)
                self._overviews = {(snapshot.version, lang): embed} | {
                    key: value
                    for key, value in self._overviews.items()
                    if key[0] == snapshot.version
                }
        else:
            found = snapshot.asset(asset)
            embed = render.detail(found, snapshot.status_of(found.code), lang, self.context.zone)
        await reply(interaction, embeds=[embed])

    @status.autocomplete("asset")
    async def _asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return asset_choices((await self.context.services.snapshots.get()).assets, current)


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Status(bot))
