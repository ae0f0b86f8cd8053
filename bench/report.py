"""How long the notification report takes over 1,000 events and 1,000,000 deliveries (goal:
under 10 s, read and rendered).

Run: .venv/bin/python -m bench.report [EVENTS] [SUBSCRIBERS] [--engine postgresql]
Every event goes to every subscriber (DMs, channels and webhooks, Japanese and English); most
deliveries were sent, some failed for one of a few reasons, expired, are held or still queued.
The rows are written in bulk straight into a scratch database (chained as the migration does),
then the report is built through its service and rendered as JSON, CSV and HTML. SQLite by
default, in a temporary file; `--engine postgresql` uses a scratch database bench_<random> on the
test server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import psycopg

from bench.databases import add_engine_option, scratch_settings
from bot.clock import to_db, utcnow
from bot.domain import EventFilter, Subscription, TargetKind
from bot.i18n import Lang
from bot.services.report import NotificationReport, ReportService
from bot.services.report.formats import to_csv, to_json
from bot.services.report.html import to_html
from bot.settings import DatabaseSettings
from bot.store import connect_database

REASONS = ("403 50007: Cannot send messages to this user", "404 10003: Unknown Channel")
PAYLOAD = json.dumps(
    {
        "changes": [{"asset": "BTC", "name_ja": "ビットコイン", "name_en": "Bitcoin",
                     "direction": "deposit", "old_state": "operational",
                     "new_state": "suspended"}],
        "estimates": [], "reason": "maintenance", "note": "点検", "note_en": "",
        "expected_reopen": None, "actor": "bench",
    },
    ensure_ascii=False,
)  # fmt: skip


def subscribers(count: int) -> list[Subscription]:
    now = utcnow()
    kinds = (TargetKind.DM, TargetKind.DM, TargetKind.DM, TargetKind.CHANNEL, TargetKind.WEBHOOK)
    return [
        Subscription(
            id=0,
            target_kind=kinds[i % 5],
            target=f"{10**17 + i}",
            guild_id=None,
            all_assets=True,
            assets=frozenset(),
            events=EventFilter.ALL,
            locale="en" if i % 4 == 0 else "ja",
            created_by="bench",
            created_at=now,
        )
        for i in range(count)
    ]


def events(count: int, start: datetime) -> Iterator[tuple[object, ...]]:
    for i in range(count):
        at = to_db(start + timedelta(minutes=i))
        yield (i + 1, "status", "bench", "cli", '["BTC"]', PAYLOAD, at)


def deliveries(events: int, subs: list[int], start: datetime) -> Iterator[tuple[object, ...]]:
    for e in range(events):
        created = start + timedelta(minutes=e)
        for n, sub in enumerate(subs):
            roll = (e * 7919 + n) % 100
            sent = None
            state, error = "sent", None
            if roll < 4:
                state, error = "failed", REASONS[roll % 2]
            elif roll < 6:
                state = "expired"
            elif roll < 8:
                state = "held"
            elif roll < 9:
                state = "pending"
            else:
                sent = to_db(created + timedelta(milliseconds=20 * n))
            yield (e + 1, sub, state, to_db(created), error, to_db(created), sent)


def fill(settings: DatabaseSettings, count: int, subs: list[int], start: datetime) -> None:
    event_sql = (
        "INSERT INTO events (id, kind, actor, source, assets, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    columns = "event_id, subscription_id, state, next_attempt_at, last_error, created_at, sent_at"
    if settings.url is None:
        with sqlite3.connect(settings.path) as conn:
            conn.executemany(event_sql, events(count, start))
            conn.executemany(
                f"INSERT INTO deliveries ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                deliveries(count, subs, start),
            )
        return
    with psycopg.connect(settings.url) as pg, pg.cursor() as cursor:
        with cursor.copy(
            "COPY events (id, kind, actor, source, assets, payload, created_at) FROM STDIN"
        ) as copy:
            for row in events(count, start):
                copy.write_row(row)
        # Straight in, as port-db does: the outbox's reference checks are statement triggers.
        cursor.execute("SET session_replication_role = replica")
        with cursor.copy(f"COPY deliveries ({columns}) FROM STDIN") as copy:
            for row in deliveries(count, subs, start):
                copy.write_row(row)
        cursor.execute("SELECT setval(pg_get_serial_sequence('events', 'id'), %s)", (count,))
        cursor.execute("ANALYZE")


async def main(count: int, subscribers_count: int, engine: str) -> None:
    async with scratch_settings(engine) as settings:
        start = utcnow() - timedelta(days=1)
        db = await connect_database(settings, identity="bench")
        try:
            async with db.transaction() as repos:
                await repos.subscriptions.add_many(subscribers(subscribers_count))
            subs = [s.id for s in await db.repos.subscriptions.list()]
        finally:
            await db.close()
        started = time.perf_counter()
        fill(settings, count, subs, start)
        total = count * len(subs)
        print(
            f"{engine}: {count:,} events, {total:,} deliveries written in"
            f" {time.perf_counter() - started:.1f}s (setup)"
        )
        db = await connect_database(settings, identity="bench")
        try:
            async with db.transaction() as repos:
                await repos.audit.chain_existing()
            service = ReportService(db)
            started = time.perf_counter()
            report = await service.notifications(start, start + timedelta(days=1), Lang.JA)
            built = time.perf_counter() - started
            print(f"report read: {len(report.events):,} events in {built:.2f}s")
            renders: dict[str, Callable[[NotificationReport], str]] = {
                "json": lambda r: json.dumps(to_json(r), ensure_ascii=False),
                "csv": to_csv,
                "html": to_html,
            }
            for name, render in renders.items():
                started = time.perf_counter()
                size = len(render(report).encode())
                took = time.perf_counter() - started
                print(f"  {name}: {size / 1e6:.1f} MB in {took:.2f}s; total {built + took:.2f}s"
                      " (goal < 10 s)")  # fmt: skip
            reached = sum(e.reached for e in report.events)
            assert reached == report.deliveries_reached > 0
        finally:
            await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="?", type=int, default=1_000)
    parser.add_argument("subscribers", nargs="?", type=int, default=1_000)
    add_engine_option(parser)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.subscribers, args.engine))
