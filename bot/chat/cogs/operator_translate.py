"""/operator translate status|order|maintenance: the English of a text already sent; no alert."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import i18n
from bot.domain import MAX_NOTE_LENGTH, Source
from bot.services.status import directions

from ..checks import OperatorGroup
from ..embeds import orders as orders_render
from ..options import DIRECTION_CHOICES, asset_choices
from ..replies import actor, language, reply

if TYPE_CHECKING:
    from ..client import ChatContext


class OperatorTranslate(OperatorGroup, name="translate"):
    """Add the English of a text already sent (no new alert)"""

    def __init__(self, context: ChatContext) -> None:
        super().__init__(
            context, description="Add the English of a text already sent (no new alert)"
        )

    @app_commands.command(name="status")
    @app_commands.describe(
        asset="Asset code, or all",
        direction="Deposit, withdrawal or both",
        note_en="The English of the pair's current note",
    )
    @app_commands.choices(direction=DIRECTION_CHOICES)
    async def translate_status(
        self,
        interaction: discord.Interaction,
        asset: str,
        direction: str,
        note_en: app_commands.Range[str, 1, MAX_NOTE_LENGTH],
    ) -> None:
        """Add the English of a pair's current note"""
        pairs = await self.context.services.translations.translate_status(
            asset,
            directions(direction),
            note_en,
            actor=actor(interaction.user),
            source=Source.DISCORD,
        )
        done = ", ".join(
            f"{code} {i18n.t(language(interaction), f'direction.{way.value}')}"
            for code, way in pairs
        )
        await reply(
            interaction,
            i18n.t(language(interaction), "chat.operator.translated", what=done),
            ephemeral=True,
        )

    @translate_status.autocomplete("asset")
    async def _translate_asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return asset_choices(await self.context.services.status.assets(), current, with_all=True)

    @app_commands.command(name="order")
    @app_commands.describe(
        order="The order's number (see /orders)",
        summary_en="The English of the order's summary",
        issuer_en="The English of who issued it",
    )
    async def translate_order(
        self,
        interaction: discord.Interaction,
        order: int,
        summary_en: str | None = None,
        issuer_en: str | None = None,
    ) -> None:
        """Add the English of an order's summary or issuer"""
        saved = await self.context.services.translations.translate_order(
            order, summary_en, issuer_en, actor=actor(interaction.user), source=Source.DISCORD
        )
        lang = language(interaction)
        await reply(
            interaction,
            i18n.t(lang, "chat.operator.translated", what=f"#{saved.id}"),
            embeds=[orders_render.one(saved, lang, self.context.zone)],
            ephemeral=True,
        )

    @app_commands.command(name="maintenance")
    @app_commands.describe(
        maintenance="The maintenance window's number (see /maintenance)",
        note_en="The English of the window's note",
    )
    async def translate_maintenance(
        self,
        interaction: discord.Interaction,
        maintenance: int,
        note_en: app_commands.Range[str, 1, MAX_NOTE_LENGTH],
    ) -> None:
        """Add the English of a maintenance window's note"""
        await self.context.services.translations.translate_maintenance(
            maintenance, note_en, actor=actor(interaction.user), source=Source.DISCORD
        )
        await reply(
            interaction,
            i18n.t(language(interaction), "chat.operator.translated", what=f"#{maintenance}"),
            ephemeral=True,
        )
