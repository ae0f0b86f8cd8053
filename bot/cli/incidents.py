"""CLI: `incidents` (table), `incidents show ID`, `incidents open ...`, `incidents update ID ...`,
`incidents resolve ID ...` and `incidents translate UPDATE_ID ...`.

Texts are Japanese first (`--title`, `--message`), with an optional English version (`--title-en`,
`--message-en`) that can be added later with `translate`, which sends no alert.
"""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.domain import Impact, Incident, IncidentStage, NewIncident, Source
from bot.services.incidents import IncidentService
from bot.store import Database

from .commands import default_actor
from .table import render

COMMAND = "incidents"
LISTED = 50


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `incidents [show|open|update|resolve|translate]` on the top-level subparsers."""
    listing = sub.add_parser(
        COMMAND, help="incidents; `incidents show|open|update|resolve|translate`"
    )
    commands = listing.add_subparsers(dest="incidents_command", parser_class=parser_class)
    show_one = commands.add_parser("show", help="one incident with its whole timeline")
    show_one.add_argument("id", type=int)

    opening = commands.add_parser("open", help="open an incident (alerts `incidents` subscribers)")
    opening.add_argument("--title", required=True, help="the title, in Japanese")
    opening.add_argument("--message", required=True, help="the first update, in Japanese")
    opening.add_argument("--impact", choices=[i.value for i in Impact], default=Impact.MAJOR.value)
    opening.add_argument("--assets", default="all", help="codes separated by commas, or `all`")
    opening.add_argument("--title-en", default="", help="the title in English")
    opening.add_argument("--message-en", default="", help="the message in English")
    opening.add_argument("--actor", help="who opens it (default cli:$USER)")

    update = commands.add_parser("update", help="post an update (alerts subscribers)")
    update.add_argument("id", type=int)
    update.add_argument("--stage", required=True, choices=[s.value for s in IncidentStage])
    update.add_argument("--message", required=True, help="in Japanese")
    update.add_argument("--message-en", default="")
    update.add_argument("--actor", help="who posts it (default cli:$USER)")

    resolve = commands.add_parser("resolve", help="resolve an incident (alerts subscribers)")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--message", required=True, help="in Japanese")
    resolve.add_argument("--message-en", default="")
    resolve.add_argument("--actor", help="who resolves it (default cli:$USER)")

    translate = commands.add_parser(
        "translate", help="add the English text of one update (no alert)"
    )
    translate.add_argument("update_id", type=int)
    translate.add_argument("--message-en", required=True)
    translate.add_argument("--title-en", default="", help="the incident's title in English")
    translate.add_argument("--actor", help="who translates it (default cli:$USER)")


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = IncidentService(db)
    command = args.incidents_command
    if command == "show":
        return one(await service.get(args.id), zone)
    actor = getattr(args, "actor", None) or default_actor()
    if command == "open":
        new = NewIncident(
            title_ja=args.title,
            title_en=args.title_en,
            message_ja=args.message,
            message_en=args.message_en,
            impact=Impact(args.impact),
            assets=(await service.parse_assets(args.assets)).named,
        )
        incident, event = await service.open(new, actor=actor, source=Source.CLI)
        return f"incident {incident.id} opened; alert event {event.id} queued"
    if command in ("update", "resolve"):
        stage = IncidentStage(args.stage) if command == "update" else IncidentStage.RESOLVED
        incident, event = await service.update(
            args.id, stage, args.message, args.message_en, actor=actor, source=Source.CLI
        )
        return f"incident {incident.id}: {stage.value}; alert event {event.id} queued"
    if command == "translate":
        update = await service.translate(
            args.update_id, args.message_en, actor=actor, source=Source.CLI, title_en=args.title_en
        )
        return f"update {update.id} of incident {update.incident_id} translated; no alert sent"
    return listing(await service.recent(LISTED), zone)


def _assets(incident: Incident) -> str:
    return "all" if incident.all_assets else ",".join(incident.assets)


def listing(incidents: list[Incident], zone: ZoneInfo) -> str:
    rows = [
        [
            str(i.id),
            i.stage.value,
            i.impact.value,
            _assets(i),
            show(i.started_at, zone),
            show(i.updated_at, zone),
            i.title_ja,
        ]
        for i in incidents
    ]
    headers = ["id", "stage", "impact", "assets", "started", "updated", "title"]
    return render(headers, rows)


def one(incident: Incident, zone: ZoneInfo) -> str:
    lines = [
        f"incident {incident.id}: {incident.title_ja}",
        f"title (en): {incident.title_en or '-'}",
        f"stage: {incident.stage.value}; impact: {incident.impact.value};"
        f" assets: {_assets(incident)}",
        f"started: {show(incident.started_at, zone)}; updated: {show(incident.updated_at, zone)}"
        + (f"; resolved: {show(incident.resolved_at, zone)}" if incident.resolved_at else ""),
        "",
    ]
    for u in incident.updates:
        lines.append(f"update {u.id}  {show(u.posted_at, zone)}  {u.stage.value}  by {u.actor}")
        lines.append(f"  ja: {u.message_ja}")
        lines.append(f"  en: {u.message_en or '(not yet translated)'}")
    if incident.losses:
        lines.append("")
        lines.append(
            render(
                ["asset", "stolen", "≈ JPY", "customers'", "≈ JPY"],
                [
                    [x.asset, x.stolen, f"{x.stolen_jpy:,}", x.customers, f"{x.customers_jpy:,}"]
                    for x in incident.losses
                ],
            )
        )
    return "\n".join(lines)
