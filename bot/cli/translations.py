"""`translate status|order ...` (English added later, no alert) and `translations` (what still
needs it)."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.domain import Source
from bot.services.status import StatusService, directions
from bot.services.translations import TranslationService
from bot.store import Database

from .commands import default_actor
from .table import render

COMMANDS = ("translate", "translations")
EXCERPT = 40


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    translate = sub.add_parser("translate", help="add the English of a text already sent")
    kinds = translate.add_subparsers(
        dest="translate_command", required=True, parser_class=parser_class
    )
    status = kinds.add_parser("status", help="the English of a pair's current note")
    status.add_argument("asset", help="asset code in any case, or `all`")
    status.add_argument("direction", help="deposit, withdrawal or both")
    status.add_argument("--note-en", required=True)
    status.add_argument("--actor", help="who translates (default cli:$USER)")
    order = kinds.add_parser("order", help="the English of an order's summary or issuer")
    order.add_argument("id", type=int)
    order.add_argument("--summary-en")
    order.add_argument("--issuer-en")
    order.add_argument("--actor", help="who translates (default cli:$USER)")
    window = kinds.add_parser("maintenance", help="the English of a maintenance window's note")
    window.add_argument("id", type=int)
    window.add_argument("--note-en", required=True)
    window.add_argument("--actor", help="who translates (default cli:$USER)")
    sub.add_parser("translations", help="texts customers read that have no English yet")


def _service(db: Database) -> TranslationService:
    return TranslationService(db, StatusService(db))


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = _service(db)
    if args.command == "translations":
        return await pending(service, zone)
    actor = args.actor or default_actor()
    if args.translate_command == "status":
        pairs = await service.translate_status(
            args.asset, directions(args.direction), args.note_en, actor=actor, source=Source.CLI
        )
        done = ", ".join(f"{asset} {direction.value}" for asset, direction in pairs)
        return f"note translated for {done}; no alert sent"
    if args.translate_command == "maintenance":
        await service.translate_maintenance(args.id, args.note_en, actor=actor, source=Source.CLI)
        return f"maintenance {args.id} translated; no alert sent"
    order = await service.translate_order(
        args.id, args.summary_en, args.issuer_en, actor=actor, source=Source.CLI
    )
    return f"order {order.id} translated; no alert sent"


async def pending(service: TranslationService, zone: ZoneInfo) -> str:
    rows = [
        [show(u.since, zone), u.subject, u.subject_key, _excerpt(u.text_ja)]
        for u in await service.untranslated()
    ]
    if not rows:
        return "every text customers read has its English"
    return render(["since", "what", "which", "Japanese"], rows)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"
