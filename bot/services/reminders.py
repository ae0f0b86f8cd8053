"""Report-deadline reminders for the operators: 24 hours before, and at, each open deadline.

A deadline is the end of the `report_due` day in JST. Each reminder happens at most once
(`reminders_sent`); one whose time passed while the service was down fires once at start-up,
unless it is older than the grace period (a reminder days late helps nobody; on a fresh install
the 2018 order would otherwise fire twice), or it is the 24-hour warning and the deadline itself
has passed too. Those are recorded as skipped, not sent; `orders` and `/orders` show them, and
the first start-up after they were skipped tells the operators in one notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import JST, end_of_day, show, to_db, utcnow
from bot.domain import Event, EventKind, Order, OrderStatus, SkippedReminder, Source
from bot.i18n import Lang, t
from bot.i18n import orders as _texts  # noqa: F401 - registers the strings
from bot.services import EventListener, EventWriter
from bot.store import Database

log = logging.getLogger(__name__)

BEFORE_24H = "before_24h"
DUE = "due"
KINDS = (BEFORE_24H, DUE)
MISSED_GRACE = timedelta(hours=24)
JOB_PREFIX = "reminder:"
MAX_ANNOUNCED = 20  # skipped reminders listed one by one in the start-up notice


@dataclass(frozen=True, slots=True)
class Reminder:
    order_id: int
    kind: str
    at: datetime  # when it is meant to fire (UTC)
    deadline: datetime

    @property
    def job_id(self) -> str:
        return f"{JOB_PREFIX}{self.order_id}:{self.kind}"


def reminders_for(order: Order) -> list[Reminder]:
    """The reminders an order calls for: none unless it is open and has a report deadline."""
    if order.status is not OrderStatus.OPEN or order.report_due is None:
        return []
    deadline = end_of_day(order.report_due, JST)
    return [
        Reminder(order.id, BEFORE_24H, deadline - timedelta(hours=24), deadline),
        Reminder(order.id, DUE, deadline, deadline),
    ]


def too_late(reminder: Reminder, now: datetime, grace: timedelta = MISSED_GRACE) -> bool:
    """Whether a reminder would help nobody any more: long past, or a warning after its deadline."""
    return now - reminder.at > grace or (reminder.kind == BEFORE_24H and now >= reminder.deadline)


def skipped_payload(
    skipped: list[tuple[SkippedReminder, Order | None]], now: datetime
) -> dict[str, Any]:
    """The operators' start-up notice: which reminders were not sent, in both languages."""
    texts: dict[str, str] = {}
    for language in Lang:
        lines = []
        for reminder, order in skipped[:MAX_ANNOUNCED]:
            lines.append(
                t(
                    language,
                    "reminder.skipped.line",
                    order_id=reminder.order_id,
                    issuer=order.issuer if order else "-",
                    action=t(language, f"action.{order.action.value}") if order else "-",
                    deadline=f"{order.report_due} 24:00 JST" if order and order.report_due else "-",
                    kind=t(language, f"reminder.kind.{reminder.kind}"),
                )
            )
        if len(skipped) > MAX_ANNOUNCED:
            lines.append(t(language, "reminder.skipped.more", count=len(skipped) - MAX_ANNOUNCED))
        texts[f"title_{language.value}"] = t(language, "reminder.skipped.title")
        texts[f"text_{language.value}"] = (
            t(language, "reminder.skipped.intro", count=len(skipped)) + "\n" + "\n".join(lines)
        )
    return {
        "topic": "reminders_skipped",
        "title": f"{texts['title_ja']} / {texts['title_en']}",
        **texts,
        "skipped": [
            {"order_id": r.order_id, "reminder": r.kind, "skipped_at": to_db(r.skipped_at)}
            for r, _ in skipped
        ],
        "announced_at": to_db(now),
    }


def reminder_payload(order: Order, reminder: Reminder, now: datetime) -> dict[str, Any]:
    """What the operators' message renders: the order, the deadline in JST, and ready text."""
    texts = {}
    for language in Lang:
        params = {
            "issuer": order.issuer,
            "action": t(language, f"action.{order.action.value}"),
            "issued_on": order.issued_on.isoformat(),
            "order_id": order.id,
            # "by the 27th" reads better as 24:00 on the 27th than as 00:00 on the 28th
            "deadline": f"{order.report_due} 24:00 JST" if order.report_due else "-",
        }
        texts[f"title_{language.value}"] = t(language, f"reminder.title.{reminder.kind}")
        texts[f"text_{language.value}"] = t(language, f"reminder.text.{reminder.kind}", **params)
    return {
        "title": f"{texts['title_ja']} / {texts['title_en']}",
        **texts,
        "reminder": reminder.kind,
        "order_id": order.id,
        "slug": order.slug,
        "issuer": order.issuer,
        "action": order.action.value,
        "issued_on": order.issued_on.isoformat(),
        "report_due": order.report_due.isoformat() if order.report_due else None,
        "deadline": to_db(reminder.deadline),
        "deadline_jst": show(reminder.deadline, JST),
        "late": now - reminder.at > timedelta(minutes=5),
        "url": order.url,
        "summary_ja": order.summary_ja,
        "summary_en": order.summary_en,
    }


class ReminderService(EventWriter):
    def __init__(
        self,
        db: Database,
        *,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
        grace: timedelta = MISSED_GRACE,
    ) -> None:
        super().__init__(db, on_event=on_event, clock=clock)
        self._grace = grace

    async def pending(self) -> list[Reminder]:
        """Every reminder of an open order that has not happened yet, soonest first."""
        done = await self._db.repos.reminders.done()
        wanted = [
            reminder
            for order in await self._db.repos.orders.list(OrderStatus.OPEN)
            for reminder in reminders_for(order)
            if (reminder.order_id, reminder.kind) not in done
        ]
        return sorted(wanted, key=lambda r: (r.at, r.order_id, r.kind))

    async def fire(self, order_id: int, kind: str) -> Event | None:
        """Send the reminder to the operators, once; None if there is nothing (more) to send."""
        now = self._clock()
        async with self._db.transaction() as repos:
            order = await repos.orders.get(order_id)
            reminder = next(
                (r for r in (reminders_for(order) if order else []) if r.kind == kind), None
            )
            if order is None or reminder is None:
                log.info(
                    "reminder %s:%s: the order is no longer open; nothing sent", order_id, kind
                )
                return None
            if now < reminder.at:
                log.warning("reminder %s ran early (%s); not sent", reminder.job_id, show(now))
                return None
            if too_late(reminder, now, self._grace):
                if await repos.reminders.skip(order_id, kind, now):
                    _log_skipped(reminder, now)
                return None
            if not await repos.reminders.claim(order_id, kind, now):
                return None
            event = await repos.events.add(
                EventKind.OPERATOR,
                actor="system",
                source=Source.SYSTEM,
                payload=reminder_payload(order, reminder, now),
                created_at=now,
            )
            deliveries = await repos.outbox.fan_out(event)
        log.info("reminder %s sent: event %d, %d deliveries", reminder.job_id, event.id, deliveries)
        self._announce(event)
        return event

    async def skip_missed(self) -> Event | None:
        """At start-up: record as skipped every reminder now too late to help, and tell the
        operators in one notice of each skipped reminder they were not yet told of; one
        transaction, so a reminder is announced once, whatever happens at the next start."""
        now = self._clock()
        async with self._db.transaction() as repos:
            done = await repos.reminders.done()
            for order in await repos.orders.list(OrderStatus.OPEN):
                for reminder in reminders_for(order):
                    key = (reminder.order_id, reminder.kind)
                    if key not in done and too_late(reminder, now, self._grace):
                        await repos.reminders.skip(reminder.order_id, reminder.kind, now)
                        _log_skipped(reminder, now)
            unannounced = await repos.reminders.skipped(unannounced=True)
            if not unannounced:
                return None
            listed = [(r, await repos.orders.get(r.order_id)) for r in unannounced]
            event = await repos.events.add(
                EventKind.OPERATOR,
                actor="system",
                source=Source.SYSTEM,
                payload=skipped_payload(listed, now),
                created_at=now,
            )
            deliveries = await repos.outbox.fan_out(event)
            await repos.reminders.mark_announced([(r.order_id, r.kind) for r in unannounced], now)
        log.info(
            "%d skipped reminder(s) announced to the operators: event %d, %d deliveries",
            len(unannounced),
            event.id,
            deliveries,
        )
        self._announce(event)
        return event


def _log_skipped(reminder: Reminder, now: datetime) -> None:
    log.info(
        "reminder %s skipped: due %s, %s late; recorded, not sent",
        reminder.job_id,
        show(reminder.at),
        f"{(now - reminder.at).days} day(s)",
    )
