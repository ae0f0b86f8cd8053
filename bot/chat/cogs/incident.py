"""/incident [incident]: the open incidents, or one with its whole timeline and its losses."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.domain import Incident
from bot.i18n import Lang

from ..client import StatusBot
from ..embeds import incidents as render
from ..options import CHOICE_NAME_LIMIT, MAX_CHOICES
from ..replies import fit, language, reply

CHOICES_FROM = 50  # recent incidents offered by autocompletion


def incident_choices(
    incidents: Sequence[Incident], current: str, lang: Lang
) -> list[app_commands.Choice[int]]:
    """Open incidents first, then the others; matching the typed number or words."""
    typed = current.strip().lstrip("#").casefold()
    ordered = sorted(incidents, key=lambda i: (i.stage.closed, -i.id))
    choices = []
    for incident in ordered:
        name = fit(
            f"{render.title(incident, lang)} ({i18n.t(lang, f'stage.{incident.stage}')})",
            CHOICE_NAME_LIMIT,
        )
        if typed in name.casefold():
            choices.append(app_commands.Choice(name=name, value=incident.id))
    return choices[:MAX_CHOICES]


class IncidentCog(commands.Cog, name="Incident"):
    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context

    @app_commands.command(name="incident")
    @app_commands.describe(incident="Incident number")
    async def incident(self, interaction: discord.Interaction, incident: int | None = None) -> None:
        """Open incidents, or one with its whole timeline"""
        snapshot = await self.context.services.snapshots.get()
        lang = language(interaction)
        if incident is None and len(snapshot.open_incidents) == 1:
            # One open incident: the list would be one line and a second command; show it whole.
            incident = snapshot.open_incidents[0].id
        if incident is None:
            embeds = [render.listing(snapshot.open_incidents, lang, self.context.zone)]
        else:
            # The recent ones are in the snapshot; an older one is read from the database.
            found = snapshot.incident(incident)
            if found is None:
                found = await self.context.services.incidents.get(incident)
            embeds = render.one(found, lang, self.context.zone)
        await reply(interaction, embeds=embeds)

    @incident.autocomplete("incident")
    async def _incident(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        found = (await self.context.services.snapshots.get()).incidents[:CHOICES_FROM]
        return incident_choices(found, current, language(interaction))


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(IncidentCog(bot))
