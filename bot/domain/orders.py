"""The regulator's orders and their deadline reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.domain.status import Source


class OrderAction(StrEnum):
    REPORT_ORDER = "report_order"  # 報告徴求命令
    BUSINESS_IMPROVEMENT = "business_improvement"  # 業務改善命令
    BUSINESS_SUSPENSION = "business_suspension"  # 業務停止命令
    REGISTRATION_CANCELLED = "registration_cancelled"  # 登録取消
    OTHER = "other"


class OrderStatus(StrEnum):
    OPEN = "open"
    REPORTED = "reported"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class OrderItem:
    position: int
    text_ja: str
    text_en: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    slug: str
    issuer: str
    action: OrderAction
    legal_basis: str
    issued_on: date
    report_due: date | None
    url: str
    summary_ja: str
    summary_en: str
    source: Source
    status: OrderStatus
    created_at: datetime
    items: tuple[OrderItem, ...] = ()
    issuer_en: str = ""


@dataclass(frozen=True, slots=True)
class SkippedReminder:
    """A report-deadline reminder not sent because its time had long passed (the service was
    down); `announced_at` is when the operators were told of it at a start-up."""

    order_id: int
    kind: str  # before_24h | due
    skipped_at: datetime
    announced_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewOrder:
    issuer: str
    action: OrderAction
    issued_on: date
    legal_basis: str = ""
    report_due: date | None = None
    url: str = ""
    summary_ja: str = ""
    summary_en: str = ""
    items: tuple[OrderItem, ...] = ()
    slug: str | None = None
    issuer_en: str = ""
