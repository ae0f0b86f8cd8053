"""The services every front end is built from, wired to one read model and one event stream."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.clock import JST
from bot.domain import Event
from bot.reference import Reference
from bot.services import EventListener
from bot.services.beats import BeatBuffer
from bot.services.deliveries import DeliveryReport
from bot.services.heartbeats import HeartbeatService
from bot.services.idempotency import IdempotencyService
from bot.services.incidents import IncidentService
from bot.services.maintenance import DEFAULT_LEADS, MaintenanceService
from bot.services.orders import OrderService
from bot.services.rate_limit import TokenBucket
from bot.services.report import ReportService
from bot.services.snapshot import ReadModel
from bot.services.status import StatusService
from bot.services.subscriptions import SubscriptionService
from bot.services.tokens import TokenService
from bot.services.translations import TranslationService
from bot.store import Database


@dataclass
class Services:
    status: StatusService
    orders: OrderService
    subscriptions: SubscriptionService
    translations: TranslationService
    reference: Reference
    incidents: IncidentService
    maintenance: MaintenanceService
    snapshots: ReadModel  # what the page, the API, the feed and Discord's read commands show
    tokens: TokenService  # the back office's bearer tokens
    idempotency: IdempotencyService
    heartbeats: HeartbeatService
    beats: BeatBuffer  # the beats this process serves, written in batches while the web runs
    report: ReportService
    deliveries: DeliveryReport

    @classmethod
    def build(
        cls,
        db: Database,
        reference: Reference,
        on_event: EventListener | None = None,
        remind_before_hours: Sequence[float] = DEFAULT_LEADS,
        *,
        zone: ZoneInfo = JST,
        poll_seconds: float = 2.0,
        bucket: TokenBucket | None = None,
    ) -> Services:
        snapshots = ReadModel(db, reference, zone, poll_seconds=poll_seconds)

        def emit(event: Event) -> None:
            snapshots.on_event(event)  # first: whatever is read next must show this change
            if on_event is not None:
                on_event(event)

        status = StatusService(db, on_event=emit)
        tokens = TokenService(db, bucket)
        return cls(
            status=status,
            orders=OrderService(db, on_event=emit),
            subscriptions=SubscriptionService(db),
            translations=TranslationService(db, status, on_change=snapshots.mark_stale),
            reference=reference,
            incidents=IncidentService(db, on_event=emit, on_change=snapshots.mark_stale),
            maintenance=MaintenanceService(
                db, on_event=emit, remind_before_hours=remind_before_hours
            ),
            snapshots=snapshots,
            tokens=tokens,
            idempotency=IdempotencyService(db),
            heartbeats=HeartbeatService(db, status, zone=zone, on_event=emit),
            beats=BeatBuffer(db, tokens),
            report=ReportService(db),
            deliveries=DeliveryReport(db),
        )
