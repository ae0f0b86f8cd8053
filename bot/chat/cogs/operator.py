"""/operator set-status and add-order, and the subgroups of /operator, for operators only."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.domain import (
    MAX_NOTE_LENGTH,
    NewOrder,
    OrderAction,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
)
from bot.i18n import Lang
from bot.services.status import directions

from ..checks import ensure_operator, hidden_from_non_operators
from ..client import StatusBot
from ..embeds import orders as orders_render
from ..embeds import status as render
from ..options import DIRECTION_CHOICES, REASON_CHOICES, asset_choices, choice, day, moment
from ..replies import actor, language, reply
from ..translator import term
from .operator_delivery import show_delivery
from .operator_incident import OperatorIncident
from .operator_maintenance import OperatorMaintenance
from .operator_report import send_report
from .operator_translate import OperatorTranslate

STATE_CHOICES = [app_commands.Choice(name=term(f"state.{s.value}"), value=s.value) for s in State]
ACTION_CHOICES = [
    app_commands.Choice(name=term(f"action.{a.value}"), value=a.value) for a in OrderAction
]


@hidden_from_non_operators()
class Operator(commands.GroupCog, group_name="operator", group_description="Operator tools"):
    """/operator: set-status and add-order here; each other area a subgroup in its own module,
    every one of them making the same operator check (checks.OperatorGroup)."""

    def __init__(self, bot: StatusBot) -> None:
        self.context = bot.context
        super().__init__()
        group = self.app_command
        assert group is not None
        for subgroup in (OperatorIncident, OperatorMaintenance, OperatorTranslate):
            group.add_command(subgroup(self.context))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        ensure_operator(interaction, self.context.config)
        return True

    @app_commands.command(name="set-status")
    @app_commands.describe(
        asset="Asset code, or all",
        direction="Deposit, withdrawal or both",
        state="The new state",
        reason="Why",
        note="A note shown to customers, in Japanese (at most 500 characters)",
        note_en="The same note in English (optional; can be added later)",
        expected_reopen="Expected reopening, YYYY-MM-DD or YYYY-MM-DD HH:MM (JST)",
    )
    @app_commands.choices(direction=DIRECTION_CHOICES, state=STATE_CHOICES, reason=REASON_CHOICES)
    async def set_status(
        self,
        interaction: discord.Interaction,
        asset: str,
        direction: str,
        state: str,
        reason: str,
        note: app_commands.Range[str, None, MAX_NOTE_LENGTH] = "",
        expected_reopen: str | None = None,
        note_en: app_commands.Range[str, None, MAX_NOTE_LENGTH] = "",
    ) -> None:
        """Change an asset's deposit/withdrawal status"""
        # An action on every asset writes many rows and alerts; acknowledge it at once.
        await interaction.response.defer(ephemeral=True, thinking=True)
        service = self.context.services.status
        reopen = moment(expected_reopen, self.context.zone) if expected_reopen else None
        codes = await service.codes(asset)
        new_state = choice(State, state)
        request = StatusRequest(
            targets=tuple(
                Target(code, way, new_state) for code in codes for way in directions(direction)
            ),
            reason=choice(Reason, reason),
            note=note,
            note_en=note_en,
            actor=actor(interaction.user),
            source=Source.DISCORD,
            expected_reopen=reopen,
        )
        result = await service.change(request)
        if not result.noop:
            self.context.metrics.status_changes.labels("discord").inc(len(result.changes))
        await reply(
            interaction,
            render.change_summary(result, note, language(interaction), self.context.zone),
            ephemeral=True,
        )

    @set_status.autocomplete("asset")
    async def _asset(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        assets = await self.context.services.status.assets()
        return asset_choices(assets, current, with_all=True)

    @app_commands.command(name="add-order")
    @app_commands.describe(
        issuer="Who issued it, e.g. 近畿財務局",
        issuer_en="The issuer in English, e.g. Kinki Local Finance Bureau",
        action="The kind of order",
        issued_on="Issued on, YYYY-MM-DD (JST)",
        report_due="Report due, YYYY-MM-DD (JST)",
        url="Link to the announcement (https://...)",
        summary="Summary (at most 1000 characters); Japanese when summary_en is given",
        summary_en="The summary in English (optional; can be added later)",
    )
    @app_commands.choices(action=ACTION_CHOICES)
    async def add_order(
        self,
        interaction: discord.Interaction,
        issuer: str,
        action: str,
        issued_on: str,
        report_due: str | None = None,
        url: str | None = None,
        summary: str | None = None,
        issuer_en: str | None = None,
        summary_en: str | None = None,
    ) -> None:
        """Record a regulatory order"""
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = language(interaction)
        text = (summary or "").strip()
        english = (summary_en or "").strip()
        if english:
            summary_ja, summary_en_text = text, english
        else:
            # Kept in the language the operator wrote it in.
            summary_ja = text if lang is Lang.JA else ""
            summary_en_text = text if lang is Lang.EN else ""
        new = NewOrder(
            issuer=issuer.strip(),
            issuer_en=(issuer_en or "").strip(),
            action=choice(OrderAction, action),
            issued_on=day(issued_on),
            report_due=day(report_due) if report_due else None,
            url=(url or "").strip(),
            summary_ja=summary_ja,
            summary_en=summary_en_text,
        )
        order, _ = await self.context.services.orders.add(
            new, actor=actor(interaction.user), source=Source.DISCORD
        )
        await reply(
            interaction,
            i18n.t(lang, "chat.operator.order_added", id=order.id),
            embeds=[orders_render.one(order, lang, self.context.zone)],
            ephemeral=True,
        )

    @app_commands.command(name="report")
    @app_commands.describe(
        start="From: YYYY-MM-DD or YYYY-MM-DD HH:MM (JST)",
        end="To: YYYY-MM-DD (that whole day) or YYYY-MM-DD HH:MM (JST)",
    )
    @app_commands.rename(start="from", end="to")
    async def report(self, interaction: discord.Interaction, start: str, end: str) -> None:
        """The notification report of a period, as an HTML file (counts only)"""
        await send_report(interaction, self.context, start, end)

    @app_commands.command(name="delivery")
    @app_commands.describe(event="An event's number (default: the latest fan-out)")
    async def delivery(self, interaction: discord.Interaction, event: int | None = None) -> None:
        """How far a fan-out has got: reached per lane, failures, queued, rate, time to go"""
        await show_delivery(interaction, self.context, event)


async def setup(bot: StatusBot) -> None:
    await bot.add_cog(Operator(bot))
