"""What the notification report reads: the events of a period and, per event, its deliveries
counted by kind, language and state, the moments they reached people, why some failed; the
subscriptions disabled and the translations added in the period.

Counts only: no query here returns a subscriber's id or target. Each reads the outbox with the
index on (event_id, state), so a period of 1,000 events and 1,000,000 deliveries stays fast.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import from_db, to_db
from bot.domain import Event, EventKind, Source, Translation
from bot.store.sql import Sql

_IN_RANGE = "SELECT id FROM events WHERE created_at >= ? AND created_at < ?"
# When a delivery reached its subscriber: when it was sent, or when the summary telling it was.
_REACHED = (
    "SELECT d.event_id, CASE WHEN d.state = 'sent' THEN d.sent_at ELSE m.sent_at END AS at"
    " FROM deliveries d LEFT JOIN deliveries m ON d.state = 'summarised'"
    " AND m.subscription_id = d.subscription_id AND m.window_end = d.next_attempt_at"
    f" WHERE d.event_id IN ({_IN_RANGE}) AND d.state IN ('sent', 'summarised')"
)
# The first, the last, and the ones at 50% and 95% (rounded up) of each event's reached rows.
_MARKS = (
    "SELECT event_id, n, total, at FROM (SELECT event_id, at,"
    " ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY at) AS n,"
    " COUNT(*) OVER (PARTITION BY event_id) AS total"
    f" FROM ({_REACHED}) AS r WHERE at IS NOT NULL) AS ranked"
    " WHERE n = 1 OR n = total OR n = (total * 50 + 99) / 100 OR n = (total * 95 + 99) / 100"
)


@dataclass
class EventDeliveries:
    """One event's deliveries, counted."""

    by_kind: dict[str, int] = field(default_factory=dict)  # dm, channel, webhook
    by_language: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)  # reason -> count
    # (rank, reached in all, when) for the first, 50%, 95% and last reached.
    marks: list[tuple[int, int, datetime]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Disabled:
    target_kind: str
    reason: str
    count: int


class ReportRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def events(self, start: datetime, end: datetime) -> list[Event]:
        """The events of [start, end), oldest first."""
        async with self._conn.execute(
            "SELECT id, kind, actor, source, assets, payload, created_at FROM events"
            " WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id",
            (to_db(start), to_db(end)),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            Event(
                id=int(r[0]),
                kind=EventKind(r[1]),
                actor=r[2],
                source=Source(r[3]),
                assets=tuple(json.loads(r[4])),
                payload=json.loads(r[5]),
                created_at=from_db(r[6]),
            )
            for r in rows
        ]

    async def deliveries(self, start: datetime, end: datetime) -> dict[int, EventDeliveries]:
        """Per event of [start, end), its deliveries counted."""
        found: dict[int, EventDeliveries] = defaultdict(EventDeliveries)
        period = (to_db(start), to_db(end))
        async with self._conn.execute(
            "SELECT d.event_id, s.target_kind, s.locale, d.state, COUNT(*) FROM deliveries d"
            f" JOIN subscriptions s ON s.id = d.subscription_id WHERE d.event_id IN ({_IN_RANGE})"
            " GROUP BY d.event_id, s.target_kind, s.locale, d.state",
            period,
        ) as cursor:
            for event_id, kind, locale, state, count in await cursor.fetchall():
                counted = found[int(event_id)]
                for bucket, key in (
                    (counted.by_kind, kind),
                    (counted.by_language, locale),
                    (counted.by_state, state),
                ):
                    bucket[key] = bucket.get(key, 0) + int(count)
        async with self._conn.execute(
            "SELECT event_id, COALESCE(last_error, ''), COUNT(*) FROM deliveries"
            f" WHERE event_id IN ({_IN_RANGE}) AND state = 'failed'"
            " GROUP BY event_id, COALESCE(last_error, '')",
            period,
        ) as cursor:
            for event_id, reason, count in await cursor.fetchall():
                found[int(event_id)].failures[str(reason)] = int(count)
        async with self._conn.execute(_MARKS, period) as cursor:
            for event_id, n, total, at in await cursor.fetchall():
                found[int(event_id)].marks.append((int(n), int(total), from_db(at)))
        return dict(found)

    async def recipients_reached(self, start: datetime, end: datetime) -> int:
        """How many subscriptions the events of [start, end) reached at least once."""
        async with self._conn.execute(
            "SELECT COUNT(DISTINCT subscription_id) FROM deliveries"
            f" WHERE event_id IN ({_IN_RANGE}) AND state IN ('sent', 'summarised')",
            (to_db(start), to_db(end)),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def disabled(self, start: datetime, end: datetime) -> list[Disabled]:
        """Subscriptions switched off in [start, end), by kind and reason."""
        async with self._conn.execute(
            "SELECT target_kind, COALESCE(disabled_reason, ''), COUNT(*) FROM subscriptions"
            " WHERE active = 0 AND disabled_at >= ? AND disabled_at < ?"
            " GROUP BY target_kind, COALESCE(disabled_reason, '') ORDER BY 1, 2",
            (to_db(start), to_db(end)),
        ) as cursor:
            return [Disabled(str(r[0]), str(r[1]), int(r[2])) for r in await cursor.fetchall()]

    async def translations(self, start: datetime, end: datetime) -> list[Translation]:
        """English added in [start, end) to texts that went out in Japanese, oldest first."""
        async with self._conn.execute(
            "SELECT id, subject, subject_key, field, old_text, new_text, actor, source,"
            " translated_at FROM translations WHERE translated_at >= ? AND translated_at < ?"
            " ORDER BY translated_at, id",
            (to_db(start), to_db(end)),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            Translation(
                id=int(r[0]),
                subject=r[1],
                subject_key=r[2],
                field=r[3],
                old_text=r[4],
                new_text=r[5],
                actor=r[6],
                source=Source(r[7]),
                translated_at=from_db(r[8]),
            )
            for r in rows
        ]
