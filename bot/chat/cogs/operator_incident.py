"""/operator incident open|update|resolve|translate: a subgroup of /operator, operators only.

Their texts are Japanese first, with an optional English version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import i18n
from bot.domain import Impact, IncidentStage, NewIncident, Source

from ..checks import OperatorGroup
from ..embeds import incidents as render
from ..options import CHOICE_NAME_LIMIT, MAX_CHOICES, asset_choices, choice
from ..replies import actor, fit, language, reply
from ..translator import term
from .incident import CHOICES_FROM, incident_choices

if TYPE_CHECKING:
    from ..client import ChatContext

IMPACT_CHOICES = [
    app_commands.Choice(name=term(f"impact.{i.value}"), value=i.value) for i in Impact
]
STAGE_CHOICES = [
    app_commands.Choice(name=term(f"stage.{s.value}"), value=s.value) for s in IncidentStage
]
UPDATE_PREVIEW = 40


class OperatorIncident(OperatorGroup, name="incident"):
    """Incidents: open, update, resolve, translate"""

    def __init__(self, context: ChatContext) -> None:
        super().__init__(context, description="Incidents: open, update, resolve, translate")

    @app_commands.command(name="open")
    @app_commands.describe(
        title="Title in Japanese (at most 200 characters)",
        message="Message in Japanese (at most 2000 characters)",
        impact="Impact on customers",
        assets="Asset codes separated by commas, or all",
        title_en="Title in English (optional)",
        message_en="Message in English (optional; can be added later)",
    )
    @app_commands.choices(impact=IMPACT_CHOICES)
    async def incident_open(
        self,
        interaction: discord.Interaction,
        title: str,
        message: str,
        impact: str = Impact.MAJOR.value,
        assets: str = "all",
        title_en: str = "",
        message_en: str = "",
    ) -> None:
        """Open an incident and alert its subscribers"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = self.context.services.incidents
        new = NewIncident(
            title_ja=title,
            title_en=title_en,
            message_ja=message,
            message_en=message_en,
            impact=choice(Impact, impact),
            assets=(await service.parse_assets(assets)).named,
        )
        opened, _ = await service.open(new, actor=actor(interaction.user), source=Source.DISCORD)
        await self._answer(interaction, opened.id, "chat.operator.incident_opened")

    @app_commands.command(name="update")
    @app_commands.describe(
        incident="Incident number",
        stage="The incident's new stage",
        message="Message in Japanese (at most 2000 characters)",
        message_en="Message in English (optional; can be added later)",
    )
    @app_commands.choices(stage=STAGE_CHOICES)
    async def incident_update(
        self,
        interaction: discord.Interaction,
        incident: int,
        stage: str,
        message: str,
        message_en: str = "",
    ) -> None:
        """Post an update to an incident"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        updated, _ = await self.context.services.incidents.update(
            incident,
            choice(IncidentStage, stage),
            message,
            message_en,
            actor=actor(interaction.user),
            source=Source.DISCORD,
        )
        await self._answer(interaction, updated.id, "chat.operator.incident_updated")

    @app_commands.command(name="resolve")
    @app_commands.describe(
        incident="Incident number",
        message="Message in Japanese (at most 2000 characters)",
        message_en="Message in English (optional; can be added later)",
    )
    async def incident_resolve(
        self,
        interaction: discord.Interaction,
        incident: int,
        message: str,
        message_en: str = "",
    ) -> None:
        """Resolve an incident"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        resolved, _ = await self.context.services.incidents.resolve(
            incident, message, message_en, actor=actor(interaction.user), source=Source.DISCORD
        )
        await self._answer(interaction, resolved.id, "chat.operator.incident_updated")

    @app_commands.command(name="translate")
    @app_commands.describe(
        update="Update number",
        message_en="Message in English (at most 2000 characters)",
        title_en="The incident's title in English (optional)",
    )
    async def incident_translate(
        self, interaction: discord.Interaction, update: int, message_en: str, title_en: str = ""
    ) -> None:
        """Add the English text of an update (no new alert)"""
        translated = await self.context.services.incidents.translate(
            update,
            message_en,
            actor=actor(interaction.user),
            source=Source.DISCORD,
            title_en=title_en,
        )
        text = i18n.t(
            language(interaction),
            "chat.operator.incident_translated",
            update=translated.id,
            id=translated.incident_id,
        )
        await reply(interaction, text, ephemeral=True)

    async def _answer(self, interaction: discord.Interaction, incident_id: int, key: str) -> None:
        lang = language(interaction)
        incident = await self.context.services.incidents.get(incident_id)
        stage = i18n.t(lang, f"stage.{incident.stage}")
        await reply(
            interaction,
            i18n.t(lang, key, id=incident.id, stage=stage),
            embeds=render.one(incident, lang, self.context.zone),
            ephemeral=True,
        )

    @incident_open.autocomplete("assets")
    async def _assets(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Completes the last of the codes typed so far (`BTC,mo` offers `BTC,MONA`)."""
        done, _, last = current.rpartition(",")
        listed = await self.context.services.status.assets()
        prefix = f"{done}," if done else ""
        return [
            app_commands.Choice(
                name=fit(prefix + c.name, CHOICE_NAME_LIMIT), value=prefix + c.value
            )
            for c in asset_choices(listed, last, with_all=not done)
        ]

    @incident_update.autocomplete("incident")
    @incident_resolve.autocomplete("incident")
    async def _incident_number(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        found = await self.context.services.incidents.recent(CHOICES_FROM)
        return incident_choices(found, current, language(interaction))

    @incident_translate.autocomplete("update")
    async def _update_number(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """Updates still without English first, the newest first."""
        typed = current.strip().lstrip("#").casefold()
        updates = [
            u for i in await self.context.services.incidents.recent(CHOICES_FROM) for u in i.updates
        ]
        updates.sort(key=lambda u: (bool(u.message_en.strip()), -u.id))
        choices = []
        for update in updates:
            name = fit(
                f"#{update.id} (#{update.incident_id} {update.stage.value})"
                f" {fit(update.message_ja, UPDATE_PREVIEW)}",
                CHOICE_NAME_LIMIT,
            )
            if typed in name.casefold():
                choices.append(app_commands.Choice(name=name, value=update.id))
        return choices[:MAX_CHOICES]
