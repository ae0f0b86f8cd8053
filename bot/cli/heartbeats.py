"""`heartbeats` (each with its last beat and state), `heartbeats add NAME ...` and
`heartbeats remove NAME`."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.domain import Reason
from bot.services.heartbeats import HeartbeatService
from bot.services.status import StatusService
from bot.store import Database

from .table import render

COMMAND = "heartbeats"


def add_parser(
    sub: argparse._SubParsersAction[Any], parser_class: type[argparse.ArgumentParser]
) -> None:
    parser = sub.add_parser(
        COMMAND, help="dead man's switches: pairs delayed when a wallet node stops beating"
    )
    actions: argparse._SubParsersAction[Any] = parser.add_subparsers(
        dest="heartbeats_command", parser_class=parser_class
    )
    add = actions.add_parser("add", help="watch a node: POST /api/v1/heartbeats/NAME to beat")
    add.add_argument("name", help="a-z, 0-9, '_', '.', '-'; the actor is heartbeat:NAME")
    add.add_argument("--assets", required=True, help="codes separated by commas, or `all`")
    add.add_argument("--direction", required=True, choices=["deposit", "withdrawal", "both"])
    add.add_argument("--grace", required=True, type=float, help="seconds of silence allowed")
    add.add_argument("--reason", required=True, choices=[r.value for r in Reason])
    add.add_argument("--note", default="", help="for customers (Japanese); default: says when")
    add.add_argument("--note-en", default="", help="the same in English")
    remove = actions.add_parser("remove", help="stop watching (pairs it holds stay as they are)")
    remove.add_argument("name")


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = HeartbeatService(db, StatusService(db), zone=zone)
    if args.heartbeats_command == "add":
        beat = await service.add(
            args.name,
            args.assets,
            args.direction,
            args.grace,
            Reason(args.reason),
            args.note,
            args.note_en,
        )
        return (
            f"heartbeat {beat.name} added: {','.join(beat.assets)} {beat.direction},"
            f" grace {beat.grace_seconds:g} s\n"
            f"beat with POST /api/v1/heartbeats/{beat.name} (a token with scope heartbeats)"
        )
    if args.heartbeats_command == "remove":
        await service.remove(args.name)
        return f"heartbeat {args.name} removed"
    beats, now = await service.all()
    rows = [
        [
            b.name,
            ",".join(b.assets),
            b.direction,
            f"{b.grace_seconds:g}",
            show(datetime.fromtimestamp(b.last_beat_at, UTC), zone),
            f"{max(0.0, now - b.last_beat_at):.0f}",
            "tripped" if b.tripped_at is not None else "beating",
        ]
        for b in beats
    ]
    headers = ["name", "assets", "direction", "grace s", "last beat", "age s", "state"]
    return render(headers, rows)
