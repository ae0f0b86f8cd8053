"""CLI: `orders` (list), `orders add ...`, `orders set-status ID STATUS`, and `feeds`."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import parse_date, show
from bot.domain import NewOrder, OrderAction, OrderStatus, Source
from bot.services.feeds import FeedService
from bot.services.orders import OrderService
from bot.settings import Settings
from bot.store import Database

from .commands import default_actor, orders
from .table import render

COMMANDS = ("orders", "feeds")


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `orders [add|set-status]` and `feeds` on the top-level subparsers."""
    listing = sub.add_parser("orders", help="the regulator's orders; `orders add`, `set-status`")
    order_sub = listing.add_subparsers(dest="orders_command", parser_class=parser_class)
    add = order_sub.add_parser("add", help="record an order (alerts `orders` subscribers)")
    add.add_argument("--issuer", required=True, help="e.g. 近畿財務局")
    add.add_argument("--issuer-en", default="", help="e.g. Kinki Local Finance Bureau")
    add.add_argument("--action", required=True, choices=[a.value for a in OrderAction])
    add.add_argument("--issued-on", required=True, help="YYYY-MM-DD (JST)")
    add.add_argument("--report-due", help="YYYY-MM-DD (JST): the report is due by that day's end")
    add.add_argument("--legal-basis", default="", help="e.g. 資金決済法")
    add.add_argument("--url", default="")
    add.add_argument("--summary", default="", help="what the order says (Japanese)")
    add.add_argument("--summary-en", default="", help="the same in English")
    add.add_argument("--actor", help="who records it (default cli:$USER)")
    status = order_sub.add_parser("set-status", help="mark an order reported or closed")
    status.add_argument("id", type=int)
    status.add_argument("status", choices=[OrderStatus.REPORTED.value, OrderStatus.CLOSED.value])
    status.add_argument("--actor", help="who marks it (default cli:$USER)")
    sub.add_parser("feeds", help="each regulator feed's state: last success, errors, items")


async def run(db: Database, args: argparse.Namespace, settings: Settings) -> str:
    zone = settings.zone
    if args.command == "feeds":
        return await feeds(db, settings, zone)
    if args.orders_command == "add":
        return await add(db, args)
    if args.orders_command == "set-status":
        return await set_status(db, args)
    return await orders(db, zone)


async def add(db: Database, args: argparse.Namespace) -> str:
    summary = args.summary.strip()
    new = NewOrder(
        issuer=args.issuer.strip(),
        issuer_en=args.issuer_en.strip(),
        action=OrderAction(args.action),
        issued_on=parse_date(args.issued_on),
        legal_basis=args.legal_basis.strip(),
        report_due=parse_date(args.report_due) if args.report_due else None,
        url=args.url.strip(),
        summary_ja=summary,
        summary_en=args.summary_en.strip(),
    )
    order, event = await OrderService(db).add(
        new, actor=args.actor or default_actor(), source=Source.CLI
    )
    due = f"; report due {order.report_due.isoformat()} (JST)" if order.report_due else ""
    return f"order {order.id} recorded{due}; alert event {event.id} queued"


async def set_status(db: Database, args: argparse.Namespace) -> str:
    service = OrderService(db)
    before = await service.get(args.id)
    wanted = OrderStatus(args.status)
    if before.status is wanted:
        return f"order {before.id} is already {wanted.value}"
    after = await service.set_status(args.id, wanted, actor=args.actor or default_actor())
    return f"order {after.id}: {before.status.value} -> {after.status.value}"


async def feeds(db: Database, settings: Settings, zone: ZoneInfo) -> str:
    states = {s.name: s for s in await FeedService(db).list()}
    configured = {source.name: source.url for source in settings.feeds.sources}
    rows = []
    for name in list(configured) + sorted(set(states) - set(configured)):
        state = states.get(name)
        url = configured.get(name) or (state.url if state else "")
        if state is None:
            rows.append([name, url, "never polled", "-", "", "0", "0", "0", "0"])
            continue
        rows.append(
            [
                name + ("" if name in configured else " (not configured)"),
                url,
                show(state.last_success_at, zone),
                show(state.last_error_at, zone),
                state.last_error or "",
                str(state.consecutive_failures),
                str(state.polls),
                str(state.failures),
                str(state.items_seen),
            ]
        )
    headers = [
        "feed",
        "url",
        "last success",
        "last error at",
        "last error",
        "failing",
        "polls",
        "failures",
        "items seen",
    ]
    return render(headers, rows)
