"""What the back office's HTTP writes call: the same services the CLI and Discord use."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.services.beats import BeatBuffer
from bot.services.deliveries import DeliveryReport
from bot.services.heartbeats import HeartbeatService
from bot.services.idempotency import IdempotencyService
from bot.services.incidents import IncidentService
from bot.services.maintenance import MaintenanceService
from bot.services.orders import OrderService
from bot.services.report import ReportService
from bot.services.status import StatusService
from bot.services.tokens import TokenService
from bot.services.translations import TranslationService


@dataclass(frozen=True, slots=True)
class BackOffice:
    tokens: TokenService
    idempotency: IdempotencyService
    status: StatusService
    incidents: IncidentService
    maintenance: MaintenanceService
    orders: OrderService
    translations: TranslationService
    heartbeats: HeartbeatService
    beats: BeatBuffer
    report: ReportService
    deliveries: DeliveryReport
    zone: ZoneInfo
