"""`report`: the notification report of a period, as HTML (the default), CSV or JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Lang
from bot.services.report import ReportService, period
from bot.services.report.formats import to_csv, to_json
from bot.services.report.html import to_html
from bot.store import Database

COMMAND = "report"
FORMATS = ("html", "csv", "json")


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(
        COMMAND, help="the notification report of a period (counts only, no recipient named)"
    )
    report.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="WHEN",
        help="YYYY-MM-DD[ HH:MM] in the display zone",
    )
    report.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar="WHEN",
        help="YYYY-MM-DD[ HH:MM]; a date alone includes that whole day",
    )
    report.add_argument("--lang", choices=[lang.value for lang in Lang], default="ja")
    report.add_argument("--format", choices=FORMATS, default="html")
    report.add_argument("--out", type=Path, metavar="PATH", help="write here, not to stdout")


def render(report: Any, fmt: str, zone: ZoneInfo) -> str:
    if fmt == "json":
        return json.dumps(to_json(report), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return to_csv(report, zone)
    return to_html(report, zone)


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    start, end = period(args.start, args.end, zone)
    report = await ReportService(db).notifications(start, end, Lang(args.lang), zone)
    text = render(report, args.format, zone)
    if args.out is None:
        return text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return f"{len(report.events)} events written to {args.out}"
