"""/calendar.ics: maintenance windows and open orders' report deadlines (RFC 5545).

Each event's UID names what it is (a window's id, an order's slug), so it never changes between
requests, restarts or languages; a window's SEQUENCE is bumped whenever it is extended or
cancelled, so calendar apps update the event in place instead of adding a second one.
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot import i18n
from bot.domain import Maintenance, MaintenanceState, Order, OrderStatus
from bot.i18n import Lang
from bot.web.context import WebContext
from bot.web.feed import base_url
from bot.web.keys import CONTEXT
from bot.web.lang import negotiate
from bot.web.maintenance import assets_label, direction_label
from bot.web.page import pick, written

CONTENT_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "exchange-status-bot"
PRODUCT = "-//exchange-status-bot//status calendar//EN"


def window_uid(window: Maintenance) -> str:
    return f"maintenance-{window.id}@{UID_DOMAIN}"


def order_uid(order: Order) -> str:
    return f"report-due-{order.slug}@{UID_DOMAIN}"


def window_event(window: Maintenance, lang: Lang, base: str) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", window_uid(window))
    event.add("sequence", window.sequence)
    event.add("dtstamp", window.updated_at)
    event.add("last-modified", window.updated_at)
    event.add("created", window.created_at)
    event.add("dtstart", window.starts_at)
    event.add("dtend", window.ends_at)
    event.add(
        "summary",
        i18n.t(
            lang,
            "web.calendar_maintenance",
            assets=assets_label(window, lang),
            direction=direction_label(window.direction, lang),
        ),
    )
    lines = [f"{i18n.t(lang, 'web.reason')}: {i18n.t(lang, f'reason.{window.reason.value}')}"]
    note = i18n.written(lang, window.note_ja, window.note_en)
    if note.strip():
        lines.append(note)
    event.add("description", "\n".join(lines))
    event.add("url", f"{base}/?lang={lang.value}#maintenance")
    cancelled = window.state is MaintenanceState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def deadline_event(order: Order, ctx: WebContext, lang: Lang) -> CalendarEvent:
    assert order.report_due is not None
    event = CalendarEvent()
    event.add("uid", order_uid(order))
    event.add("sequence", 0)
    event.add("dtstamp", order.created_at)
    # Due "by the 27th" (JST): an all-day event on that day.
    event.add("dtstart", order.report_due)
    event.add("dtend", order.report_due + timedelta(days=1))
    event.add(
        "summary",
        i18n.t(
            lang,
            "web.calendar_report_due",
            issuer=written(lang, order.issuer, order.issuer_en),
            action=i18n.t(lang, f"action.{order.action.value}"),
        ),
    )
    summary = pick(lang, order.summary_ja, order.summary_en)
    if summary:
        event.add("description", summary)
    if order.url:
        event.add("url", order.url)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(
    windows: list[Maintenance], orders: list[Order], ctx: WebContext, lang: Lang, base: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    exchange = ctx.reference.incident.exchange.name
    calendar.add("x-wr-calname", i18n.t(lang, "web.calendar_title", exchange=exchange))
    for window in windows:
        calendar.add_component(window_event(window, lang, base))
    for order in orders:
        if order.status is OrderStatus.OPEN and order.report_due is not None:
            calendar.add_component(deadline_event(order, ctx, lang))
    body: bytes = calendar.to_ical()
    return body


async def calendar(request: web.Request) -> web.Response:
    ctx: WebContext = request.app[CONTEXT]
    lang, from_url = negotiate(request)
    base = base_url(request, ctx)
    body = build_calendar(await ctx.maintenance.all(), await ctx.orders.list(), ctx, lang, base)
    response = web.Response(body=body)
    response.headers["Content-Type"] = CONTENT_TYPE
    if not from_url:
        response.headers["Vary"] = "Accept-Language"
    return response
