"""/operator maintenance schedule|cancel|extend: a subgroup of /operator, operators only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import i18n
from bot.clock import show
from bot.domain import MAX_NOTE_LENGTH, NewMaintenance, Reason, Source

from ..checks import OperatorGroup
from ..embeds import maintenance as render
from ..options import (
    CHOICE_NAME_LIMIT,
    DIRECTION_CHOICES,
    MAX_CHOICES,
    REASON_CHOICES,
    choice,
    moment,
)
from ..replies import actor, fit, language, reply

if TYPE_CHECKING:
    from ..client import ChatContext


class OperatorMaintenance(OperatorGroup, name="maintenance"):
    """Maintenance windows"""

    def __init__(self, context: ChatContext) -> None:
        super().__init__(context, description="Maintenance windows")

    @app_commands.command(name="schedule")
    @app_commands.describe(
        assets="Asset codes separated by commas, or all",
        direction="Deposit, withdrawal or both",
        starts="Start, YYYY-MM-DD HH:MM (JST)",
        ends="End, YYYY-MM-DD HH:MM (JST)",
        reason="Why",
        note="A note for customers, in Japanese (at most 500 characters)",
        note_en="The same note in English (optional)",
    )
    @app_commands.choices(direction=DIRECTION_CHOICES, reason=REASON_CHOICES)
    async def schedule(
        self,
        interaction: discord.Interaction,
        assets: str,
        direction: str,
        starts: str,
        ends: str,
        reason: str,
        note: app_commands.Range[str, None, MAX_NOTE_LENGTH] = "",
        note_en: app_commands.Range[str, None, MAX_NOTE_LENGTH] = "",
    ) -> None:
        """Schedule a maintenance window"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = self.context.services.maintenance
        zone = self.context.zone
        selection = await service.parse_assets(assets)
        new = NewMaintenance(
            assets=selection.codes,
            direction=direction,
            starts_at=moment(starts, zone),
            ends_at=moment(ends, zone),
            reason=choice(Reason, reason),
            note_ja=note,
            note_en=note_en,
            all_assets=selection.all,
        )
        window, _ = await service.schedule(
            new, actor=actor(interaction.user), source=Source.DISCORD
        )
        lang = language(interaction)
        text = i18n.t(
            lang,
            "chat.maintenance.scheduled",
            id=window.id,
            window=render.window_text(window, lang, zone),
        )
        embed = render.listing([window], lang, zone)
        await reply(interaction, text, embeds=[embed], ephemeral=True)

    @app_commands.command(name="cancel")
    @app_commands.describe(maintenance="The maintenance window")
    async def cancel(self, interaction: discord.Interaction, maintenance: int) -> None:
        """Cancel a maintenance window (one in progress ends at once)"""
        # One in progress puts every pair back and alerts every subscriber: acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        window, _ = await self.context.services.maintenance.cancel(
            maintenance, actor=actor(interaction.user), source=Source.DISCORD
        )
        text = i18n.t(language(interaction), "chat.maintenance.cancelled", id=window.id)
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="extend")
    @app_commands.describe(
        maintenance="The maintenance window", ends="New end, YYYY-MM-DD HH:MM (JST)"
    )
    async def extend(self, interaction: discord.Interaction, maintenance: int, ends: str) -> None:
        """Extend a maintenance window (a new, later end)"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        zone = self.context.zone
        service = self.context.services.maintenance
        before = await service.get(maintenance)
        window, _ = await service.extend(
            maintenance, moment(ends, zone), actor=actor(interaction.user), source=Source.DISCORD
        )
        text = i18n.t(
            language(interaction),
            "chat.maintenance.extended",
            id=window.id,
            old=show(before.ends_at, zone),
            new=show(window.ends_at, zone),
        )
        await reply(interaction, text, ephemeral=True)

    @cancel.autocomplete("maintenance")
    @extend.autocomplete("maintenance")
    async def _window(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        lang = language(interaction)
        typed = current.strip().lstrip("#").casefold()
        found = []
        for window in await self.context.services.maintenance.active():
            when = render.window_text(window, lang, self.context.zone)
            label = fit(f"{render.name(window, lang)} {when}", CHOICE_NAME_LIMIT)
            if typed in label.casefold():
                found.append(app_commands.Choice(name=label, value=window.id))
        return found[:MAX_CHOICES]

    @schedule.autocomplete("assets")
    async def _assets(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        # Codes separated by commas: complete the last one, keeping those already typed.
        done, _, last = current.rpartition(",")
        prefix = f"{done}," if done else ""
        typed = last.strip().casefold()
        names = ["all"] if not done and "all".startswith(typed) else []
        for asset in await self.context.services.status.assets():
            if asset.code.casefold().startswith(typed):
                names.append(f"{prefix}{asset.code}")
        return [app_commands.Choice(name=n, value=n) for n in names[:MAX_CHOICES]]
