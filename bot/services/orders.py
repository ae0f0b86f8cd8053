"""The regulator's orders: list, read, record (with an alert), and follow their status."""

from __future__ import annotations

import builtins
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import JST, show, to_db
from bot.domain import (
    Event,
    EventKind,
    InvalidInput,
    NewOrder,
    NotFound,
    Order,
    OrderStatus,
    SeenItem,
    SkippedReminder,
    Source,
)
from bot.services import EventWriter

log = logging.getLogger(__name__)

MAX_ISSUER = 100
MAX_SUMMARY = 1000
MAX_URL = 500
MAX_NOTICE_SUMMARY = 500


@dataclass(frozen=True, slots=True)
class Notice:
    """A new item in a regulator feed that matched the feed's keywords."""

    feed: str
    item_id: str
    title: str
    link: str
    summary: str
    published_at: datetime | None
    keywords: tuple[str, ...] = ()


def notice_payload(notice: Notice) -> dict[str, Any]:
    """What a notice alert renders: title, link and the published time (UTC and JST)."""
    summary = notice.summary
    if len(summary) > MAX_NOTICE_SUMMARY:
        summary = summary[: MAX_NOTICE_SUMMARY - 1] + "…"
    return {
        "feed": notice.feed,
        "title": notice.title,
        "link": notice.link,
        "summary": summary,
        "published_at": to_db(notice.published_at) if notice.published_at else None,
        "published_jst": show(notice.published_at, JST) if notice.published_at else None,
        "keywords": list(notice.keywords),
    }


def order_payload(order: Order) -> dict[str, Any]:
    """What an order alert renders, kept on its event."""
    return {
        "order_id": order.id,
        "issuer": order.issuer,
        "issuer_en": order.issuer_en,
        "action": order.action.value,
        "legal_basis": order.legal_basis,
        "issued_on": order.issued_on.isoformat(),
        "report_due": order.report_due.isoformat() if order.report_due else None,
        "url": order.url,
        "summary_ja": order.summary_ja,
        "summary_en": order.summary_en,
    }


def check_issuer(issuer: str) -> str:
    issuer = issuer.strip()
    if not issuer or len(issuer) > MAX_ISSUER:
        raise InvalidInput(
            "issuer_length", f"the issuer must be 1 to {MAX_ISSUER} characters", limit=MAX_ISSUER
        )
    return issuer


def check_summary(summary: str) -> str:
    summary = summary.strip()
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(
            "summary_too_long",
            f"the summary must be at most {MAX_SUMMARY} characters",
            limit=MAX_SUMMARY,
        )
    return summary


def check_new_order(order: NewOrder) -> None:
    check_issuer(order.issuer)
    if order.issuer_en:
        check_issuer(order.issuer_en)
    check_summary(order.summary_ja)
    check_summary(order.summary_en)
    # The regulator publishes its orders over https; anything else is a typo or a copy of a
    # cached or phishing page.
    if order.url and (len(order.url) > MAX_URL or not order.url.startswith("https://")):
        raise InvalidInput(
            "order_url_not_https",
            f"the url must start with https:// (at most {MAX_URL} characters)",
            limit=MAX_URL,
        )
    if order.report_due and order.report_due < order.issued_on:
        raise InvalidInput(
            "report_due_before_issued",
            f"the report cannot be due ({order.report_due}) before the order was issued"
            f" ({order.issued_on})",
            report_due=order.report_due.isoformat(),
            issued_on=order.issued_on.isoformat(),
        )


class OrderService(EventWriter):
    async def list(self, status: OrderStatus | None = None) -> list[Order]:
        return await self._db.repos.orders.list(status)

    async def get(self, order_id: int) -> Order:
        order = await self._db.repos.orders.get(order_id)
        if order is None:
            raise NotFound("order", order_id)
        return order

    async def skipped_reminders(
        self, order_id: int | None = None
    ) -> builtins.list[SkippedReminder]:
        """Report reminders not sent because they were too late, of one order or of all."""
        return await self._db.repos.reminders.skipped(order_id)

    async def add(self, new: NewOrder, *, actor: str, source: Source) -> tuple[Order, Event]:
        """Record an order and queue its alert for `orders` subscribers, in one transaction."""
        check_new_order(new)
        now = self._clock()
        slug = new.slug or f"{new.issued_on.isoformat()}-{new.action.value}-{secrets.token_hex(4)}"
        async with self._db.transaction() as repos:
            order = await repos.orders.add(new, slug=slug, source=source, now=now)
            event = await repos.events.add(
                EventKind.ORDER,
                actor=actor,
                source=source,
                payload=order_payload(order),
                created_at=now,
            )
            deliveries = await repos.outbox.fan_out(event)
        log.info("order %d recorded by %s (%s), %d deliveries", order.id, actor, source, deliveries)
        self._announce(event)
        return order, event

    async def set_status(self, order_id: int, status: OrderStatus, *, actor: str) -> Order:
        async with self._db.transaction() as repos:
            if await repos.orders.get(order_id) is None:
                raise NotFound("order", order_id)
            await repos.orders.set_status(order_id, status)
        log.info("order %d marked %s by %s", order_id, status, actor)
        return await self.get(order_id)

    async def record_notice(self, notice: Notice) -> Event | None:
        """Record a matching feed item as seen and queue its `notice` alert, in one transaction.

        An item already recorded gives nothing: a feed served again, or a restart, never alerts
        twice.
        """
        now = self._clock()
        item = SeenItem(
            item_id=notice.item_id,
            title=notice.title,
            link=notice.link,
            published_at=notice.published_at,
            matched=True,
        )
        async with self._db.transaction() as repos:
            if not await repos.feeds.add_item(notice.feed, item, now):
                return None
            event = await repos.events.add(
                EventKind.NOTICE,
                actor=f"feed:{notice.feed}",
                source=Source.FEED,
                payload=notice_payload(notice),
                created_at=now,
            )
            deliveries = await repos.outbox.fan_out(event)
        log.info(
            "notice from feed %s: %r, event %d, %d deliveries",
            notice.feed,
            notice.title,
            event.id,
            deliveries,
        )
        self._announce(event)
        return event
