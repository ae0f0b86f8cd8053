"""/orders [order]: the regulator's orders, or one with its items and report deadline."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.i18n import Lang

from ..client import StatusBot
from ..embeds import orders as render
from ..options import CHOICE_NAME_LIMIT
from ..replies import fit, language, reply


class Orders(commands.Cog):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="orders")
    @app_commands.describe(order="Order number")
    async def orders(self, interaction: discord.Interaction, order: int | None = None) -> None:
        """The regulator's orders: the list, or one in full"""
        snapshot = await self.context.services.snapshots.get()
        lang = language(interaction)
        if order is None:
            embed = render.listing(snapshot.orders, lang, self.context.zone)
        else:
            found = snapshot.order(order)
            skipped = list(snapshot.skipped.get(found.id, ()))
            embed = render.one(found, lang, self.context.zone, skipped)
        await reply(interaction, embeds=[embed])

    @orders.autocomplete("order")
    async def _order(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        lang = language(interaction)
        orders = (await self.context.services.snapshots.get()).orders
        found = sorted(orders, key=lambda o: -o.id)
        choices = []
        for order in found:
            issuer = order.issuer_en if lang is Lang.EN and order.issuer_en else order.issuer
            name = fit(
                f"#{order.id} {order.issued_on} {i18n.t(lang, f'action.{order.action.value}')}"
                f" ({issuer})",
                CHOICE_NAME_LIMIT,
            )
            if current.strip().lstrip("#") in name:
                choices.append(app_commands.Choice(name=name, value=order.id))
        return choices[:25]


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Orders(bot))
