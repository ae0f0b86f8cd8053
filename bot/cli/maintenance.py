"""CLI: `maintenance` (upcoming and in progress), `maintenance schedule ...`,
`maintenance cancel ID` and `maintenance extend ID --ends WHEN`."""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import parse_moment, show
from bot.domain import Maintenance, NewMaintenance, Reason, Source
from bot.services.maintenance import MaintenanceService
from bot.settings import Settings
from bot.store import Database

from .commands import default_actor
from .table import render

COMMAND = "maintenance"


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    listing = sub.add_parser(
        COMMAND, help="upcoming and in-progress maintenance; `schedule`, `cancel`, `extend`"
    )
    commands = listing.add_subparsers(dest="maintenance_command", parser_class=parser_class)
    schedule = commands.add_parser("schedule", help="schedule a window (alerts subscribers)")
    schedule.add_argument("--assets", required=True, help="codes separated by commas, or `all`")
    schedule.add_argument("--direction", required=True, choices=["deposit", "withdrawal", "both"])
    schedule.add_argument("--starts", required=True, help="YYYY-MM-DD HH:MM, in the display zone")
    schedule.add_argument("--ends", required=True, help="YYYY-MM-DD HH:MM, in the display zone")
    schedule.add_argument("--reason", required=True, choices=[r.value for r in Reason])
    schedule.add_argument("--note", default="", help="for customers, in Japanese")
    schedule.add_argument("--note-en", default="", help="the same in English")
    schedule.add_argument("--actor", help="who schedules it (default cli:$USER)")
    cancel = commands.add_parser("cancel", help="cancel a window (one in progress ends now)")
    cancel.add_argument("id", type=int)
    cancel.add_argument("--actor", help="who cancels it (default cli:$USER)")
    extend = commands.add_parser("extend", help="move a window's end later")
    extend.add_argument("id", type=int)
    extend.add_argument("--ends", required=True, help="YYYY-MM-DD HH:MM, in the display zone")
    extend.add_argument("--actor", help="who extends it (default cli:$USER)")


async def run(db: Database, args: argparse.Namespace, settings: Settings) -> str:
    service = MaintenanceService(db, remind_before_hours=settings.maintenance.remind_before_hours)
    zone = settings.zone
    actor = getattr(args, "actor", None) or default_actor()
    if args.maintenance_command == "schedule":
        selection = await service.parse_assets(args.assets)
        new = NewMaintenance(
            assets=selection.codes,
            direction=args.direction,
            starts_at=parse_moment(args.starts, zone),
            ends_at=parse_moment(args.ends, zone),
            reason=Reason(args.reason),
            note_ja=args.note,
            note_en=args.note_en,
            all_assets=selection.all,
        )
        window, event = await service.schedule(new, actor=actor, source=Source.CLI)
        return (
            f"maintenance {window.id} scheduled: {', '.join(window.assets)} {window.direction},"
            f" {show(window.starts_at, zone)} to {show(window.ends_at, zone)}; event {event.id}"
        )
    if args.maintenance_command == "cancel":
        window, event = await service.cancel(args.id, actor=actor, source=Source.CLI)
        return f"maintenance {window.id} cancelled; event {event.id}"
    if args.maintenance_command == "extend":
        before = await service.get(args.id)
        window, event = await service.extend(
            args.id, parse_moment(args.ends, zone), actor=actor, source=Source.CLI
        )
        return (
            f"maintenance {window.id} extended: {show(before.ends_at, zone)}"
            f" -> {show(window.ends_at, zone)}; event {event.id}"
        )
    return table(await service.active(), zone)


def table(windows: list[Maintenance], zone: ZoneInfo) -> str:
    rows = [
        [
            str(w.id),
            w.state.value,
            "all" if w.all_assets else ",".join(w.assets),
            w.direction,
            show(w.starts_at, zone),
            show(w.ends_at, zone),
            w.reason.value,
            w.note_ja,
        ]
        for w in windows
    ]
    headers = ["id", "state", "assets", "direction", "starts", "ends", "reason", "note"]
    return render(headers, rows)
