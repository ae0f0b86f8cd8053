"""The regulator's orders: a list, and one order with its items and report deadline."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import discord

from bot import i18n
from bot.clock import end_of_day, show
from bot.domain import Order, OrderItem, SkippedReminder
from bot.i18n import Lang
from bot.i18n import orders as _texts  # noqa: F401 - registers the reminder strings

from ..replies import fit
from . import BLUE, DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, TITLE_LIMIT

MAX_LISTED = 10
LISTED_SUMMARY_LIMIT = 200


def _summary(order: Order, language: Lang) -> str:
    # An order written in English only (an English-speaking operator) reads as it was written.
    return i18n.written(language, order.summary_ja, order.summary_en) or order.summary_en


def _issuer(order: Order, language: Lang) -> str:
    return i18n.written(language, order.issuer, order.issuer_en)


def _item_text(item: OrderItem, language: Lang) -> str:
    return (item.text_en or item.text_ja) if language is Lang.EN else item.text_ja


def _title(order: Order, language: Lang) -> str:
    return fit(
        i18n.t(
            language,
            "chat.orders.order_title",
            id=order.id,
            issued_on=order.issued_on.isoformat(),
            action=i18n.t(language, f"action.{order.action.value}"),
        ),
        TITLE_LIMIT,
    )


def _due(order: Order, language: Lang, zone: ZoneInfo) -> str:
    if order.report_due is None:
        return i18n.t(language, "chat.orders.no_due")
    # "Due by the 27th" means by the end of that day in Japan; Discord shows the countdown.
    deadline = int(end_of_day(order.report_due, zone).timestamp())
    return f"{order.report_due.isoformat()} <t:{deadline}:R>"


def listing(orders: Sequence[Order], language: Lang, zone: ZoneInfo) -> discord.Embed:
    """The newest orders, one field each."""
    newest = sorted(orders, key=lambda o: (o.issued_on, o.id), reverse=True)
    embed = discord.Embed(title=i18n.t(language, "chat.orders.title"), colour=BLUE)
    if not newest:
        embed.description = i18n.t(language, "chat.orders.empty")
    for order in newest[:MAX_LISTED]:
        lines = [
            f"{i18n.t(language, 'chat.orders.issuer')}: {_issuer(order, language)}",
            f"{i18n.t(language, 'chat.orders.status')}: "
            + i18n.t(language, f"order_status.{order.status.value}"),
        ]
        if order.report_due:
            lines.append(
                f"{i18n.t(language, 'chat.orders.report_due')}: {_due(order, language, zone)}"
            )
        summary = _summary(order, language)
        if summary:
            lines.append(fit(summary, LISTED_SUMMARY_LIMIT))
        embed.add_field(
            name=_title(order, language),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    if len(newest) > MAX_LISTED:
        embed.set_footer(text=i18n.t(language, "chat.orders.more", count=len(newest) - MAX_LISTED))
    return embed


def one(
    order: Order,
    language: Lang,
    zone: ZoneInfo,
    skipped: list[SkippedReminder] | None = None,
) -> discord.Embed:
    """An order in full: summary, the numbered items, who, when, the report deadline, and the
    reminders of it that were not sent because they were too late."""
    parts = [_summary(order, language)]
    if order.items:
        items = [f"{item.position}. {_item_text(item, language)}" for item in order.items]
        parts.append(f"**{i18n.t(language, 'chat.orders.items')}**\n" + "\n".join(items))
    embed = discord.Embed(
        title=_title(order, language),
        description=fit("\n\n".join(p for p in parts if p), DESCRIPTION_LIMIT),
        colour=BLUE,
        url=order.url or None,
    )
    embed.add_field(
        name=i18n.t(language, "chat.orders.issuer"), value=fit(_issuer(order, language), 1024)
    )
    if order.legal_basis:
        embed.add_field(
            name=i18n.t(language, "chat.orders.legal_basis"), value=fit(order.legal_basis, 1024)
        )
    embed.add_field(
        name=i18n.t(language, "chat.orders.issued_on"), value=order.issued_on.isoformat()
    )
    embed.add_field(
        name=i18n.t(language, "chat.orders.report_due"), value=_due(order, language, zone)
    )
    embed.add_field(
        name=i18n.t(language, "chat.orders.status"),
        value=i18n.t(language, f"order_status.{order.status.value}"),
    )
    if skipped:
        lines = [
            i18n.t(
                language,
                "reminder.skipped.entry",
                kind=i18n.t(language, f"reminder.kind.{reminder.kind}"),
                when=show(reminder.skipped_at, zone),
            )
            for reminder in skipped
        ]
        embed.add_field(
            name=i18n.t(language, "reminder.skipped.field"),
            value=fit("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed
