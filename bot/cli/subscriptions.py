"""`subscriptions` (the list), `subscriptions add-webhook URL ...`, `subscriptions remove ID`,
the alert modes, and `subscriptions import FILE` / `subscriptions export` in bulk."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import EventFilter, InvalidInput, TargetKind
from bot.services.status import StatusService
from bot.services.subscriber_files import (
    COLUMNS,
    SECRET_BYTES,
    Imported,
    SubscriberFiles,
    check_url,
)
from bot.services.subscriptions import SubscriptionService
from bot.store import Database

from . import commands

EVENT_CHOICES = [f.value for f in EventFilter if f is not EventFilter.OPERATOR]


def add_parser(
    sub: argparse._SubParsersAction[Any], parser_class: type[argparse.ArgumentParser]
) -> None:
    parser = sub.add_parser(
        "subscriptions", help="who gets alerts, with their state and last error"
    )
    actions: argparse._SubParsersAction[Any] = parser.add_subparsers(
        dest="subscriptions_command", parser_class=parser_class
    )
    webhook = actions.add_parser(
        "add-webhook", help="send alerts to a URL as signed JSON (prints the secret once)"
    )
    webhook.add_argument("url", help="https://... (http:// only for local receivers)")
    webhook.add_argument("--assets", help="comma-separated asset codes (default: all)")
    webhook.add_argument("--events", choices=EVENT_CHOICES, default=EventFilter.ALL.value)
    webhook.add_argument("--locale", choices=["ja", "en"], default="ja")
    webhook.add_argument("--actor", help="who adds it (default cli:$USER)")
    remove = actions.add_parser("remove", help="remove a subscription and its queued alerts")
    remove.add_argument("id", type=int)
    quiet = actions.add_parser(
        "quiet", help="hold non-critical alerts between two JST times; one summary at the end"
    )
    quiet.add_argument("id", type=int)
    quiet.add_argument("start", metavar="FROM", help="HH:MM (JST)")
    quiet.add_argument("end", metavar="UNTIL", help="HH:MM (JST); before FROM: over midnight")
    digest = actions.add_parser(
        "digest", help="hold non-critical alerts and send one summary a day at a JST time"
    )
    digest.add_argument("id", type=int)
    digest.add_argument("at", metavar="AT", help="HH:MM (JST)")
    instant = actions.add_parser("instant", help="send every alert at once again")
    instant.add_argument("id", type=int)
    columns = ",".join(COLUMNS)
    bulk = actions.add_parser(
        "import", help=f"add subscriptions from a CSV file ({columns}); all or nothing"
    )
    bulk.add_argument("file", type=Path, metavar="FILE.csv")
    bulk.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    bulk.add_argument("--actor", help="who adds them (default cli:$USER)")
    export = actions.add_parser(
        "export", help="the active subscriptions as CSV, the import's format (no secrets)"
    )
    export.add_argument("--out", type=Path, metavar="FILE.csv", help="default: stdout")


def unusable(path: Path, exc: OSError | UnicodeError) -> InvalidInput:
    reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
    return InvalidInput(
        "subscriber_file_unusable", f"cannot use {path}: {reason}", path=str(path), reason=reason
    )


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a spreadsheet's BOM is no column name
    except (OSError, UnicodeError) as exc:
        raise unusable(path, exc) from None


def imported_text(result: Imported) -> str:
    verb = ("would add", "would keep") if result.dry_run else ("added", "kept")
    lines = [
        f"{verb[0]} {result.added} subscription(s); {verb[1]} {result.kept} existing target(s)"
        + (" (dry run: nothing written)" if result.dry_run else "")
    ]
    if result.webhook_secrets:
        lines.append("webhook signing secrets (shown only now):")
        lines.extend(f"{url} {secret}" for url, secret in result.webhook_secrets)
    return "\n".join(lines)


async def run(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = SubscriptionService(db)
    if args.subscriptions_command == "add-webhook":
        url = check_url(args.url)
        assets = None
        if args.assets:
            status = StatusService(db)
            codes = [c.strip() for c in args.assets.split(",") if c.strip()]
            assets = frozenset([(await status.asset(code)).code for code in codes]) or None
        if await service.find(TargetKind.WEBHOOK, url) is not None:
            raise InvalidInput(
                "webhook_already_subscribed", "that URL already has a subscription; remove it first"
            )
        secret = secrets.token_urlsafe(SECRET_BYTES)
        saved = await service.subscribe(
            TargetKind.WEBHOOK,
            url,
            assets=assets,
            events=EventFilter(args.events),
            locale=args.locale,
            created_by=args.actor or commands.default_actor(),
            secret=secret,
        )
        return (
            f"webhook subscription {saved.id} added for {url}\n"
            f"signing secret (shown only now): {secret}\n"
            "each POST carries X-Signature-256: sha256=<HMAC-SHA256 of the body with this secret>"
        )
    if args.subscriptions_command == "import":
        result = await SubscriberFiles(db).import_csv(
            read_file(args.file),
            created_by=args.actor or commands.default_actor(),
            dry_run=args.dry_run,
        )
        return imported_text(result)
    if args.subscriptions_command == "export":
        text, count = await SubscriberFiles(db).export_csv()
        if args.out is None:
            return text.rstrip("\n")
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise unusable(args.out, exc) from None
        return f"exported {count} subscription(s) to {args.out}"
    if args.subscriptions_command in ("quiet", "digest", "instant"):
        if args.subscriptions_command == "quiet":
            sub = await service.quiet(args.id, args.start, args.end)
        elif args.subscriptions_command == "digest":
            sub = await service.digest(args.id, args.at)
        else:
            sub = await service.instant(args.id)
        mode = commands.mode_text(sub)
        return f"subscription {sub.id} ({sub.target_kind.value} {sub.target}): {mode}"
    if args.subscriptions_command == "remove":
        removed = await service.remove(args.id)
        return f"removed subscription {removed.id} ({removed.target_kind.value} {removed.target})"
    return await commands.subscriptions(db, zone)
