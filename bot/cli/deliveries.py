"""`deliveries [EVENT]`: how far the latest fan-out (or the one named) has got, with the same
figures as the operators' progress message."""

from __future__ import annotations

import argparse
from typing import Any

from bot.clock import utcnow
from bot.i18n import Lang, t
from bot.services.deliveries import DeliveryReport
from bot.services.progress import progress, text
from bot.store import Database

COMMAND = "deliveries"


def add_parser(
    sub: argparse._SubParsersAction[Any], parser_class: type[argparse.ArgumentParser]
) -> None:
    parser = sub.add_parser(
        COMMAND, help="a fan-out's progress: reached per lane, failures, queued, rate, ETA"
    )
    parser.add_argument(
        "event", nargs="?", type=int, metavar="EVENT", help="an event id (default: the latest)"
    )


async def run(db: Database, args: argparse.Namespace) -> str:
    counts = await DeliveryReport(db).counts(args.event)
    if counts is None:
        return t(Lang.EN, "progress.nothing")
    return text(progress(counts, utcnow()), Lang.EN)
