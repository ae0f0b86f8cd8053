"""What each CLI command does, over an opened database; output goes to stdout."""

from __future__ import annotations

import argparse
import getpass
from zoneinfo import ZoneInfo

from bot.clock import parse_moment, show
from bot.domain import (
    AlertMode,
    Direction,
    Reason,
    Source,
    State,
    StatusRequest,
    Subscription,
    Target,
)
from bot.reference import shipped_reference
from bot.services.orders import OrderService
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.services.subscriptions import DM_CLOSED, SubscriptionService
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database

from .table import render


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


async def open_seeded(settings: DatabaseSettings) -> Database:
    db = await connect_database(settings, identity="cli")
    await seed(db, shipped_reference())
    return db


async def status_table(db: Database, zone: ZoneInfo) -> str:
    service = StatusService(db)
    assets = {a.code: a for a in await service.assets()}
    by_asset: dict[str, dict[Direction, str]] = {}
    since: dict[str, str] = {}
    reasons: dict[str, set[str]] = {}
    for row in await service.current():
        by_asset.setdefault(row.asset, {})[row.direction] = row.state.value
        reasons.setdefault(row.asset, set()).add(row.reason.value)
        latest = show(row.since, zone)
        since[row.asset] = max(since.get(row.asset, ""), latest)
    rows = [
        [
            code,
            asset.name_ja,
            asset.name_en,
            by_asset.get(code, {}).get(Direction.DEPOSIT, "-"),
            by_asset.get(code, {}).get(Direction.WITHDRAWAL, "-"),
            ", ".join(sorted(reasons.get(code, set()))),
            since.get(code, "-"),
        ]
        for code, asset in assets.items()
    ]
    headers = ["code", "名称", "name", "deposit", "withdrawal", "reason", "since"]
    return render(headers, rows)


async def status_set(db: Database, args: argparse.Namespace, zone: ZoneInfo) -> str:
    service = StatusService(db)
    codes = await service.codes(args.asset)
    wanted = [(Direction.DEPOSIT, args.deposit), (Direction.WITHDRAWAL, args.withdrawal)]
    targets = tuple(
        Target(code, direction, State(state))
        for code in codes
        for direction, state in wanted
        if state is not None
    )
    request = StatusRequest(
        targets=targets,
        reason=Reason(args.reason),
        note=args.note or "",
        note_en=args.note_en or "",
        actor=args.actor or default_actor(),
        source=Source.CLI,
        expected_reopen=parse_moment(args.expected_reopen, zone) if args.expected_reopen else None,
    )
    result = await service.change(request)
    if result.noop:
        return "no change: already in that state"
    lines = [
        f"{c.asset} {c.direction.value}: {c.old_state or '-'} -> {c.new_state.value}"
        for c in result.changes
    ]
    lines += [
        f"{e.asset} {e.direction.value}: expected reopening {show(e.old, zone)} ->"
        f" {show(e.new, zone)} (revision {e.revisions})"
        for e in result.estimates
    ]
    assert result.event is not None
    lines.append(f"event {result.event.id}; {result.deliveries} alert(s) queued")
    return "\n".join(lines)


async def history(db: Database, asset: str, limit: int, zone: ZoneInfo) -> str:
    changes = await StatusService(db).history(asset, limit)
    rows = [
        [
            show(c.changed_at, zone),
            c.asset,
            c.direction.value,
            f"{c.old_state.value if c.old_state else '-'} -> {c.new_state.value}",
            c.reason.value,
            c.actor,
            c.source.value,
            c.note,
        ]
        for c in changes
    ]
    headers = ["time", "asset", "direction", "change", "reason", "actor", "source", "note"]
    return render(headers, rows)


async def orders(db: Database, zone: ZoneInfo) -> str:
    service = OrderService(db)
    skipped: dict[int, list[str]] = {}
    for reminder in await service.skipped_reminders():
        skipped.setdefault(reminder.order_id, []).append(
            f"{reminder.kind} (skipped {show(reminder.skipped_at, zone)})"
        )
    rows = [
        [
            str(o.id),
            o.issued_on.isoformat(),
            o.issuer,
            o.action.value,
            o.report_due.isoformat() if o.report_due else "-",
            o.status.value,
            ", ".join(skipped.get(o.id, [])),
            o.summary_en or o.summary_ja,
        ]
        for o in await service.list()
    ]
    headers = [
        "id",
        "issued",
        "issuer",
        "action",
        "report due",
        "status",
        "reminders not sent",
        "summary",
    ]
    return render(headers, rows)


def mode_text(sub: Subscription) -> str:
    """How a subscription's alerts come, in one line for operators."""
    if sub.mode is AlertMode.QUIET:
        return f"quiet {sub.quiet_from}-{sub.quiet_until} JST"
    if sub.mode is AlertMode.DIGEST:
        return f"digest at {sub.digest_at} JST"
    return "instant"


def state_text(sub: Subscription) -> str:
    if sub.active:
        return "active"
    if sub.disabled_reason == DM_CLOSED:
        return "dm_closed"  # paused until the user opens their DMs and subscribes again
    return f"disabled: {sub.disabled_reason or ''}"


async def subscriptions(db: Database, zone: ZoneInfo) -> str:
    rows = [
        [
            str(s.id),
            s.target_kind.value,
            s.target,
            "all" if s.all_assets else ",".join(sorted(s.assets)),
            s.events.value,
            s.locale,
            mode_text(s),
            state_text(s),
            s.last_error or "",
        ]
        for s in await SubscriptionService(db).list()
    ]
    headers = ["id", "kind", "target", "assets", "events", "locale", "mode", "state", "last error"]
    return render(headers, rows)
